import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, hasAccessToken, onSignedOut, setAccessToken } from "./client";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function authorization(call: unknown[]): string | undefined {
  const init = call[1] as RequestInit;
  return (init.headers as Record<string, string>).Authorization;
}

describe("api", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
    setAccessToken(null);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("sends the access token from memory and parses the JSON", async () => {
    setAccessToken("good");
    fetchMock.mockResolvedValueOnce(json(200, { id: 1 }));

    await expect(api("/api/users/me/")).resolves.toEqual({ id: 1 });
    expect(authorization(fetchMock.mock.calls[0]!)).toBe("Bearer good");
  });

  it("on a 401 refreshes once through the cookie and retries with the new token", async () => {
    setAccessToken("expired");
    fetchMock
      .mockResolvedValueOnce(json(401, { detail: "Token expired", code: "token_not_valid" }))
      .mockResolvedValueOnce(json(200, { access: "fresh" }))
      .mockResolvedValueOnce(json(200, { id: 1 }));

    await expect(api("/api/users/me/")).resolves.toEqual({ id: 1 });

    const urls = fetchMock.mock.calls.map((call) => call[0]);
    expect(urls).toEqual(["/api/users/me/", "/api/users/cookie/refresh/", "/api/users/me/"]);
    const refresh = fetchMock.mock.calls[1]![1] as RequestInit;
    expect(refresh.method).toBe("POST");
    expect(refresh.credentials).toBe("same-origin");
    expect(authorization(fetchMock.mock.calls[2]!)).toBe("Bearer fresh");
  });

  it("retries only once: a second 401 is the caller's error, with no refresh loop", async () => {
    setAccessToken("expired");
    fetchMock
      .mockResolvedValueOnce(json(401, { detail: "Token expired", code: "token_not_valid" }))
      .mockResolvedValueOnce(json(200, { access: "fresh" }))
      .mockResolvedValueOnce(json(401, { detail: "Still no", code: "not_authenticated" }));

    const error = await api("/api/users/me/").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).code).toBe("not_authenticated");
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it("when the refresh fails, forgets the token, signals the sign-out and does not retry", async () => {
    setAccessToken("expired");
    const signedOut = vi.fn();
    const unsubscribe = onSignedOut(signedOut);
    fetchMock
      .mockResolvedValueOnce(json(401, { detail: "Token expired", code: "token_not_valid" }))
      .mockResolvedValueOnce(json(401, { detail: "No refresh cookie", code: "no_refresh_cookie" }));

    await expect(api("/api/users/me/")).rejects.toMatchObject({ status: 401 });

    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(hasAccessToken()).toBe(false);
    expect(signedOut).toHaveBeenCalledTimes(1);
    unsubscribe();
  });

  it("concurrent 401s share one refresh", async () => {
    setAccessToken("expired");
    fetchMock.mockImplementation(async (input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      if (input === "/api/users/cookie/refresh/") return json(200, { access: "fresh" });
      return headers.Authorization === "Bearer fresh" ? json(200, { ok: input }) : json(401, { detail: "x", code: "y" });
    });

    const results = await Promise.all([api("/api/a/"), api("/api/b/")]);

    expect(results).toEqual([{ ok: "/api/a/" }, { ok: "/api/b/" }]);
    const refreshes = fetchMock.mock.calls.filter((call) => call[0] === "/api/users/cookie/refresh/");
    expect(refreshes).toHaveLength(1);
  });

  it("turns a 400 into field errors, and a non_field error into the message", async () => {
    fetchMock.mockResolvedValueOnce(json(400, { email: ["Enter a valid email address."], non_field_errors: ["Nope."] }));

    const error = (await api("/api/users/register/", { method: "POST", body: {} }).catch((e: unknown) => e)) as ApiError;

    expect(error.status).toBe(400);
    expect(error.fieldErrors.email).toEqual(["Enter a valid email address."]);
    expect(error.message).toBe("Nope.");
  });

  it("sends JSON with its Content-Type", async () => {
    fetchMock.mockResolvedValueOnce(json(201, { id: 3 }));

    await api("/api/courses/", { method: "POST", body: { title: "T" } });

    const init = fetchMock.mock.calls[0]![1]!;
    expect((init.headers as Record<string, string>)["Content-Type"]).toBe("application/json");
    expect(init.body).toBe('{"title":"T"}');
  });

  it("sends a FormData as it is, leaving the multipart Content-Type (and its boundary) to fetch", async () => {
    setAccessToken("good");
    fetchMock.mockResolvedValueOnce(json(200, { id: 7 }));
    const form = new FormData();
    form.append("file", new File(["notes"], "notes.txt", { type: "text/plain" }));

    await expect(api("/api/lessons/7/file/", { method: "PUT", body: form })).resolves.toEqual({ id: 7 });

    const init = fetchMock.mock.calls[0]![1]!;
    expect(init.method).toBe("PUT");
    expect(init.body).toBe(form);
    const headers = init.headers as Record<string, string>;
    expect(headers["Content-Type"]).toBeUndefined();
    expect(headers.Authorization).toBe("Bearer good");
  });

  it("sends the same FormData again on the retry after a refresh", async () => {
    setAccessToken("expired");
    fetchMock
      .mockResolvedValueOnce(json(401, { detail: "x", code: "token_not_valid" }))
      .mockResolvedValueOnce(json(200, { access: "fresh" }))
      .mockResolvedValueOnce(json(200, { id: 7 }));
    const form = new FormData();
    form.append("file", new File(["notes"], "notes.txt"));

    await api("/api/lessons/7/file/", { method: "PUT", body: form });

    expect(fetchMock.mock.calls[2]![1]!.body).toBe(form);
    expect(authorization(fetchMock.mock.calls[2]!)).toBe("Bearer fresh");
  });

  it("builds the query string without empty values", async () => {
    fetchMock.mockResolvedValueOnce(json(200, {}));

    await api("/api/courses/", { query: { search: "django", is_free: "", page: undefined, page_size: 12 } });

    expect(fetchMock.mock.calls[0]![0]).toBe("/api/courses/?search=django&page_size=12");
  });

  it("never writes a token to web storage", async () => {
    setAccessToken("expired");
    fetchMock
      .mockResolvedValueOnce(json(401, { detail: "x", code: "y" }))
      .mockResolvedValueOnce(json(200, { access: "fresh" }))
      .mockResolvedValueOnce(json(200, {}));

    await api("/api/users/me/");

    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });
});
