// The one API client. The access token lives in this module's memory only (never in
// localStorage or sessionStorage); the refresh token is an httpOnly cookie that script cannot
// read, sent only to /api/users/cookie/ (docs/frontend.md). On a 401 the client refreshes once
// through that cookie and retries the request once.

export type FieldErrors = Record<string, string[]>;

/** An API error: `detail`/`code` for most statuses, per-field messages for a 400. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly fieldErrors: FieldErrors;

  constructor(status: number, body: unknown) {
    const { detail, code, fieldErrors } = parseErrorBody(body);
    super(detail ?? `The server answered ${status}.`);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

function parseErrorBody(body: unknown): { detail?: string; code?: string; fieldErrors: FieldErrors } {
  if (typeof body !== "object" || body === null) return { fieldErrors: {} };
  const record = body as Record<string, unknown>;
  if (typeof record.detail === "string") {
    return { detail: record.detail, code: typeof record.code === "string" ? record.code : undefined, fieldErrors: {} };
  }
  const fieldErrors: FieldErrors = {};
  for (const [field, messages] of Object.entries(record)) {
    if (Array.isArray(messages)) fieldErrors[field] = messages.map(String);
  }
  const general = fieldErrors.non_field_errors?.join(" ");
  return { detail: general ?? "Please correct the fields below.", code: "invalid", fieldErrors };
}

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const signedOutListeners = new Set<() => void>();

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function hasAccessToken(): boolean {
  return accessToken !== null;
}

/** Called when a refresh fails: the session is over (the cookie expired or was revoked). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** A new access token from the refresh cookie. Concurrent callers share one request. */
export function refreshAccessToken(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await fetch("/api/users/cookie/refresh/", { method: "POST", credentials: "same-origin" });
      if (!response.ok) {
        setAccessToken(null);
        return false;
      }
      const body = (await response.json()) as { access: string };
      setAccessToken(body.access);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** JSON, or a FormData sent as multipart/form-data (the browser sets its boundary). */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  signal?: AbortSignal;
}

function buildUrl(path: string, query: RequestOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function send(url: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const multipart = options.body instanceof FormData;
  // A FormData body gets no Content-Type here: fetch writes multipart/form-data with its boundary.
  if (options.body !== undefined && !multipart) headers["Content-Type"] = "application/json";
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  return fetch(url, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : multipart ? (options.body as FormData) : JSON.stringify(options.body),
    credentials: "same-origin",
    signal: options.signal,
  });
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Send a request, refreshing once and retrying once on a 401. */
async function request(path: string, options: RequestOptions): Promise<Response> {
  const url = buildUrl(path, options.query);
  let response = await send(url, options);
  if (response.status === 401) {
    // The access token expired, was revoked, or is not loaded yet: refresh once, retry once.
    const hadToken = accessToken !== null;
    if (await refreshAccessToken()) {
      response = await send(url, options);
    } else if (hadToken) {
      signedOutListeners.forEach((listener) => listener());
    }
  }
  return response;
}

/** Call the API; resolves with the JSON body, rejects with an ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(path, options);
  const body = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, body);
  return body as T;
}

/** Download a file the API serves only with the access token (a lesson's file). */
export async function apiBlob(path: string): Promise<{ blob: Blob; filename: string | null }> {
  const response = await request(path, {});
  if (!response.ok) throw new ApiError(response.status, await readBody(response));
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const match = /filename="?([^";]+)"?/.exec(disposition);
  return { blob: await response.blob(), filename: match?.[1] ?? null };
}
