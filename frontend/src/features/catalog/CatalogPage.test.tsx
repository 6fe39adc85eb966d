import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CatalogPage } from "./CatalogPage";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

const COURSE = {
  id: 7,
  title: "Django for beginners",
  description: "",
  price: "0.00",
  instructor: 2,
  instructor_name: "grace",
  status: "published",
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

function renderCatalog(url: string) {
  const router = createMemoryRouter([{ path: "/", element: <CatalogPage /> }], { initialEntries: [url] });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

describe("CatalogPage", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("reads its filters from the URL and asks the API for them", async () => {
    fetchMock.mockResolvedValue(json(200, { count: 30, next: "http://x/?page=3", previous: "http://x/", results: [COURSE] }));

    renderCatalog("/?search=django&is_free=true&ordering=-price&page=2");

    const card = await screen.findByRole("listitem");
    expect(within(card).getByRole("link", { name: "Django for beginners" })).toHaveAttribute("href", "/courses/7");
    expect(within(card).getByText("Free")).toBeInTheDocument();
    expect(screen.getByLabelText("Search")).toHaveValue("django");
    expect(screen.getByLabelText("Sort by")).toHaveValue("-price");
    expect(screen.getByText("Page 2 of 3")).toBeInTheDocument();
    expect(fetchMock.mock.calls[0]![0]).toBe(
      "/api/courses/?search=django&is_free=true&ordering=-price&page=2&page_size=12",
    );
  });

  it("puts a new search in the URL and starts again from page 1", async () => {
    fetchMock.mockResolvedValue(json(200, { count: 1, next: null, previous: null, results: [COURSE] }));
    const router = renderCatalog("/?page=4");
    await screen.findByRole("listitem");

    await userEvent.type(screen.getByLabelText("Search"), "react");
    await userEvent.click(screen.getByRole("button", { name: "Apply filters" }));

    expect(router.state.location.search).toBe("?search=react");
  });

  it("has an empty state", async () => {
    fetchMock.mockResolvedValue(json(200, { count: 0, next: null, previous: null, results: [] }));

    renderCatalog("/?search=nothing");

    expect(await screen.findByText("No course matches these filters.")).toBeInTheDocument();
  });

  it("shows a refused filter next to its field", async () => {
    fetchMock.mockResolvedValue(json(400, { min_price: ["Ensure this value is greater than or equal to 0."] }));

    renderCatalog("/?min_price=-5");

    expect(await screen.findByText("Ensure this value is greater than or equal to 0.")).toBeInTheDocument();
    expect(screen.getByLabelText("Minimum price")).toHaveAttribute("aria-invalid", "true");
  });

  it("has an error state with a retry", async () => {
    fetchMock.mockResolvedValueOnce(json(503, { detail: "Down for maintenance.", code: "unavailable" }));
    fetchMock.mockResolvedValueOnce(json(200, { count: 1, next: null, previous: null, results: [COURSE] }));

    renderCatalog("/");

    expect(await screen.findByRole("alert")).toHaveTextContent("Down for maintenance.");
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: "Django for beginners" })).toBeInTheDocument();
  });
});
