import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/client";
import type { Certificate } from "../../api/types";
import { Empty, ErrorState, FormError, Loading } from "../../components/States";
import { formatDate } from "../../components/format";
import { saveBlob } from "../../lib/download";
import { certificateKeys, downloadCertificate, fetchMyCertificates, verificationUrl } from "./api";

// How often the list is asked again while a certificate is still being rendered (a few seconds
// after the last lesson, longer when the worker is busy).
const PENDING_POLL_MS = 3000;

export function CertificatesPage() {
  const certificates = useQuery({
    queryKey: certificateKeys.mine,
    queryFn: ({ signal }) => fetchMyCertificates(signal),
    refetchInterval: (query) =>
      query.state.data?.results.some((certificate) => certificate.status === "pending") ? PENDING_POLL_MS : false,
  });

  return (
    <section>
      <h1>My certificates</h1>
      {certificates.isPending ? (
        <Loading label="Loading your certificates…" />
      ) : certificates.isError ? (
        <ErrorState error={certificates.error} onRetry={() => certificates.refetch()} />
      ) : certificates.data.results.length === 0 ? (
        <Empty>
          You have no certificates yet: complete every lesson of a course to receive one.{" "}
          <Link to="/my-courses">Go to my courses</Link>.
        </Empty>
      ) : (
        <ul className="cards">
          {certificates.data.results.map((certificate) => (
            <CertificateCard key={certificate.id} certificate={certificate} />
          ))}
        </ul>
      )}
    </section>
  );
}

const STATUS_TEXT: Record<Certificate["status"], string> = {
  pending: "Being prepared",
  ready: "✓ Valid",
  revoked: "✕ Revoked",
};

function CertificateCard({ certificate }: { certificate: Certificate }) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const download = useMutation({
    mutationFn: () => downloadCertificate(certificate.id),
    onSuccess: ({ blob, filename }) => saveBlob(blob, filename ?? "certificate.pdf"),
    // Refused because it was revoked (410) or is not rendered yet (409): the list is out of date.
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 409 || error.status === 410)) {
        void queryClient.invalidateQueries({ queryKey: certificateKeys.mine });
      }
    },
  });

  return (
    <li className="card certificate">
      <h2 id={headingId}>{certificate.course_title}</h2>
      <p>Completed on {formatDate(certificate.completed_at)}</p>
      <p>
        Status: <span className={`badge badge-${certificate.status}`}>{STATUS_TEXT[certificate.status]}</span>
      </p>
      {certificate.status === "pending" && (
        <p className="muted" role="status">
          Your certificate is being prepared. This page updates by itself when it is ready.
        </p>
      )}
      {certificate.status === "revoked" && certificate.revoked_at && (
        <p>
          Revoked on {formatDate(certificate.revoked_at)}. It no longer proves that you completed the course, and it
          can no longer be downloaded.
        </p>
      )}
      <FormError error={download.error} />
      <div className="actions">
        {certificate.status === "ready" && (
          <button
            type="button"
            onClick={() => download.mutate()}
            disabled={download.isPending}
            aria-describedby={headingId}
          >
            {download.isPending ? "Downloading…" : "Download PDF"}
          </button>
        )}
        {certificate.status !== "revoked" && <CopyLink code={certificate.code} describedBy={headingId} />}
      </div>
      <p>
        <Link to={`/verify/${encodeURIComponent(certificate.code)}`}>See the public verification page</Link>
      </p>
    </li>
  );
}

/** Copies the public verification link, and says so (visibly and to screen readers). */
function CopyLink({ code, describedBy }: { code: string; describedBy: string }) {
  const url = verificationUrl(code);
  const [result, setResult] = useState<"copied" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setResult("copied");
    } catch {
      setResult("failed"); // no clipboard access (an old browser, a denied permission)
    }
  }

  return (
    <>
      <button type="button" className="secondary" onClick={copy} aria-describedby={describedBy}>
        Copy link
      </button>
      {/* Always in the page, so a screen reader announces what appears in it. */}
      <p className="copy-result" role="status">
        {result === "copied" && "Link copied"}
        {result === "failed" && (
          <>
            Could not copy. The link is: <span className="code">{url}</span>
          </>
        )}
      </p>
    </>
  );
}
