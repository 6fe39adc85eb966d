import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Certificate } from "../../api/types";
import { CertificatesPage } from "./CertificatesPage";
import { VerifyPage } from "./VerifyPage";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function certificate(overrides: Partial<Certificate>): Certificate {
  return {
    id: 1,
    enrollment: 3,
    student: 4,
    course: 5,
    student_name: "Zoë Ångström-Müller",
    course_title: "Django for beginners",
    instructor_name: "grace",
    completed_at: "2026-12-07T10:00:00Z",
    issued_at: "2026-12-07T10:00:00Z",
    revoked_at: null,
    status: "ready",
    code: "abc_DEF-123",
    verify_url: "http://127.0.0.1:8000/verify/abc_DEF-123",
    pdf_url: "http://testserver/api/certificates/1/pdf/",
    ...overrides,
  };
}

function page(results: Certificate[]) {
  return { count: results.length, next: null, previous: null, results };
}

function renderAt(url: string) {
  const router = createMemoryRouter(
    [
      { path: "/certificates", element: <CertificatesPage /> },
      { path: "/verify/:code", element: <VerifyPage /> },
    ],
    { initialEntries: [url] },
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe("CertificatesPage", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("lists each certificate with its course, date and status", async () => {
    fetchMock.mockResolvedValue(
      json(200, page([certificate({}), certificate({ id: 2, course_title: "Old course", status: "revoked", revoked_at: "2026-12-08T00:00:00Z" })])),
    );

    renderAt("/certificates");

    const [valid, revoked] = await screen.findAllByRole("listitem");
    expect(within(valid!).getByRole("heading", { name: "Django for beginners" })).toBeInTheDocument();
    expect(within(valid!).getByText("Completed on December 7, 2026")).toBeInTheDocument();
    expect(within(valid!).getByText("✓ Valid")).toBeInTheDocument();
    expect(within(valid!).getByRole("button", { name: "Download PDF" })).toBeEnabled();
    expect(within(revoked!).getByText("✕ Revoked")).toBeInTheDocument();
    expect(within(revoked!).getByText(/Revoked on December 8, 2026/)).toBeInTheDocument();
    expect(within(revoked!).queryByRole("button", { name: "Download PDF" })).toBeNull();
    expect(within(revoked!).queryByRole("button", { name: "Copy link" })).toBeNull();
  });

  it("says a pending certificate is being prepared, and asks again until it is ready", async () => {
    fetchMock
      .mockResolvedValueOnce(json(200, page([certificate({ status: "pending", pdf_url: null })])))
      .mockResolvedValue(json(200, page([certificate({})])));

    renderAt("/certificates");

    expect(await screen.findByText(/being prepared/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Download PDF" })).toBeNull();
    expect(await screen.findByRole("button", { name: "Download PDF" }, { timeout: 5000 })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("copies the public verification link and says so", async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, "writeText").mockResolvedValue();
    fetchMock.mockResolvedValue(json(200, page([certificate({})])));
    renderAt("/certificates");

    await user.click(await screen.findByRole("button", { name: "Copy link" }));

    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/verify/abc_DEF-123`);
    expect(screen.getByRole("status")).toHaveTextContent("Link copied");
  });

  it("shows the link to copy by hand when the clipboard is refused", async () => {
    const user = userEvent.setup();
    vi.spyOn(navigator.clipboard, "writeText").mockRejectedValue(new DOMException("denied", "NotAllowedError"));
    fetchMock.mockResolvedValue(json(200, page([certificate({})])));
    renderAt("/certificates");

    await user.click(await screen.findByRole("button", { name: "Copy link" }));

    expect(screen.getByRole("status")).toHaveTextContent(`Could not copy. The link is: ${window.location.origin}/verify/abc_DEF-123`);
  });

  it("shows the API's reason when the download is refused, and refreshes the list", async () => {
    const user = userEvent.setup();
    fetchMock
      .mockResolvedValueOnce(json(200, page([certificate({})])))
      .mockResolvedValueOnce(json(410, { detail: "This certificate was revoked.", code: "certificate_revoked" }))
      .mockResolvedValue(json(200, page([certificate({ status: "revoked", revoked_at: "2026-12-08T00:00:00Z" })])));
    renderAt("/certificates");

    await user.click(await screen.findByRole("button", { name: "Download PDF" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("This certificate was revoked.");
    expect(await screen.findByText("✕ Revoked")).toBeInTheDocument();
    expect(fetchMock.mock.calls[1]![0]).toBe("/api/certificates/1/pdf/");
  });

  it("has an empty state", async () => {
    fetchMock.mockResolvedValue(json(200, page([])));

    renderAt("/certificates");

    expect(await screen.findByText(/You have no certificates yet/)).toBeInTheDocument();
  });
});

describe("VerifyPage", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ["valid", "Valid certificate"],
    ["revoked", "Revoked certificate"],
  ])("says %s in words, with the name, course and date", async (status, heading) => {
    fetchMock.mockResolvedValue(
      json(200, { student_name: "Łukasz Żółć", course_title: "Django", completed_at: "2026-12-07T23:30:00Z", status }),
    );

    renderAt("/verify/abc_DEF-123");

    expect(await screen.findByRole("heading", { name: heading })).toBeInTheDocument();
    expect(screen.getByText("Łukasz Żółć")).toBeInTheDocument();
    expect(screen.getByText("Django")).toBeInTheDocument();
    expect(screen.getByText("December 7, 2026")).toBeInTheDocument();
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/certificates/verify/abc_DEF-123/");
  });

  it("says when no certificate has the code", async () => {
    fetchMock.mockResolvedValue(json(404, { detail: "No certificate has this code.", code: "not_found" }));

    renderAt("/verify/nope");

    expect(await screen.findByRole("heading", { name: "Certificate not found" })).toBeInTheDocument();
  });
});
