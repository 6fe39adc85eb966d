import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import { ApiError } from "../../api/client";
import { ErrorState, Loading } from "../../components/States";
import { formatDate } from "../../components/format";
import { certificateKeys, verifyCertificate } from "./api";

/** The public page a certificate's QR code and shared link open: no login needed. */
export function VerifyPage() {
  const code = useParams().code ?? "";
  const verification = useQuery({
    queryKey: certificateKeys.verify(code),
    queryFn: ({ signal }) => verifyCertificate(code, signal),
  });

  return (
    <section className="narrow">
      <h1>Certificate verification</h1>
      {verification.isPending ? (
        <Loading label="Checking the certificate…" />
      ) : verification.isError ? (
        verification.error instanceof ApiError && verification.error.status === 404 ? (
          <div className="verdict verdict-unknown" role="alert">
            <h2>
              <span aria-hidden="true">?</span> Certificate not found
            </h2>
            <p>
              No certificate has this code. Check that the address is complete: the code is the last part of the link
              on the certificate.
            </p>
          </div>
        ) : (
          <ErrorState error={verification.error} onRetry={() => verification.refetch()} />
        )
      ) : (
        <div className={`verdict verdict-${verification.data.status}`}>
          {verification.data.status === "valid" ? (
            <>
              <h2>
                <span aria-hidden="true">✓</span> Valid certificate
              </h2>
              <p>This certificate is genuine: it was issued for completing the course below.</p>
            </>
          ) : (
            <>
              <h2>
                <span aria-hidden="true">✕</span> Revoked certificate
              </h2>
              <p>This certificate was revoked. It no longer proves that the course below was completed.</p>
            </>
          )}
          <dl className="facts">
            <dt>Name</dt>
            <dd>{verification.data.student_name}</dd>
            <dt>Course</dt>
            <dd>{verification.data.course_title}</dd>
            <dt>Completed on</dt>
            <dd>{formatDate(verification.data.completed_at)}</dd>
          </dl>
        </div>
      )}
    </section>
  );
}
