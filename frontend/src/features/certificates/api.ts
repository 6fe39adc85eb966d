import { api, apiBlob } from "../../api/client";
import type { CertificatePage, Verification } from "../../api/types";

export const certificateKeys = {
  mine: ["certificates", "mine"] as const,
  verify: (code: string) => ["certificates", "verify", code] as const,
};

/** The signed-in student's certificates (a student has one per completed course). */
export function fetchMyCertificates(signal?: AbortSignal): Promise<CertificatePage> {
  return api<CertificatePage>("/api/certificates/", { query: { page_size: 100 }, signal });
}

/** The PDF, fetched with the access token: 409 while it is rendered, 410 once revoked. */
export function downloadCertificate(id: number): Promise<{ blob: Blob; filename: string | null }> {
  return apiBlob(`/api/certificates/${id}/pdf/`);
}

/** What anyone holding the code may learn; no token needed. 404 for an unknown code. */
export function verifyCertificate(code: string, signal?: AbortSignal): Promise<Verification> {
  return api<Verification>(`/api/certificates/verify/${encodeURIComponent(code)}/`, { signal });
}

/** The public page that verifies a code, on this site. */
export function verificationUrl(code: string): string {
  return `${window.location.origin}/verify/${encodeURIComponent(code)}`;
}
