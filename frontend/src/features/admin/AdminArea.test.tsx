import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../../api/client";
import { AuthProvider } from "../auth/AuthProvider";
import { AdminArea } from "./AdminArea";

function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

const page = (results: unknown[], count = results.length) => ({ count, next: null, previous: null, results });

const ADMIN = { id: 1, username: "root", email: "root@example.com", role: "admin" };
const PAYMENT = {
  id: 12,
  student: 5,
  course: 3,
  course_title: "Django in depth",
  amount: "49.00",
  currency: "usd",
  status: "succeeded",
  stripe_payment_intent: "pi_1",
  created_at: "2026-01-01T10:00:00Z",
  updated_at: "2026-01-01T10:00:00Z",
};
const USER = { id: 5, username: "ada", email: "ada@example.com", role: "student", is_active: true, date_joined: "2026-01-01T10:00:00Z" };

type Handler = (url: URL, init: RequestInit | undefined) => Response | undefined;

/** The signed-in account (an admin unless told), then each request answered by `handle`. */
function serve(handle: Handler, me: object = ADMIN) {
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = new URL(String(input), "http://test");
    if (url.pathname === "/api/users/cookie/refresh/") return json(200, { access: "token" });
    if (url.pathname === "/api/users/me/") return json(200, me);
    return handle(url, init) ?? json(500, { detail: `Unexpected ${init?.method ?? "GET"} ${url}`, code: "server_error" });
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

function renderAt(path: string) {
  const router = createMemoryRouter([{ path: "/manage/*", element: <AdminArea /> }], { initialEntries: [path] });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return router;
}

function calls(fetchMock: ReturnType<typeof serve>, method: string, pathname: string) {
  return fetchMock.mock.calls.filter(
    ([input, init]) => new URL(String(input), "http://test").pathname === pathname && (init?.method ?? "GET") === method,
  );
}

describe("the admin area", () => {
  beforeEach(() => setAccessToken(null));
  afterEach(() => vi.unstubAllGlobals());

  it("tells a non-admin it is for admins, and asks the API nothing", async () => {
    const fetchMock = serve(() => undefined, { ...ADMIN, role: "student" });
    renderAt("/manage/payments");
    expect(await screen.findByRole("heading", { name: "For admins only" })).toBeInTheDocument();
    expect(calls(fetchMock, "GET", "/api/payments/")).toHaveLength(0);
  });

  it("audit log: reads its filters from the URL, asks the API for them, and writes new ones back", async () => {
    const record = {
      id: 9, entity: "enrollment", entity_id: 4, from_status: "", to_status: "active",
      actor: 1, stripe_event_id: "", via: "api", created_at: "2026-01-02T10:00:00Z",
    };
    const fetchMock = serve((url) => (url.pathname === "/api/audit/" ? json(200, page([record], 41)) : undefined));
    const router = renderAt("/manage/audit?entity=enrollment&actor=1&page=2");

    const row = (await screen.findByText("(new) → active")).closest("tr")!;
    expect(within(row).getByRole("link", { name: "User #1 (you)" })).toHaveAttribute("href", "/manage/audit?actor=1");
    expect(screen.getByLabelText("What changed")).toHaveValue("enrollment");
    expect(screen.getByLabelText("Actor (user id)")).toHaveValue("1");
    expect(screen.getByText("Page 2 of 3")).toBeInTheDocument();
    expect(String(calls(fetchMock, "GET", "/api/audit/")[0]![0])).toBe(
      "/api/audit/?entity=enrollment&actor=1&page=2&page_size=20",
    );

    await userEvent.selectOptions(screen.getByLabelText("Via"), "webhook");
    await userEvent.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(router.state.location.search).toBe("?entity=enrollment&actor=1&via=webhook");
  });

  it("audit log: a filter the API refuses is shown next to its field", async () => {
    serve((url) => (url.pathname === "/api/audit/" ? json(400, { entity_id: ["Enter a whole number."] }) : undefined));
    renderAt("/manage/audit?entity_id=abc");

    expect(await screen.findByText("Enter a whole number.")).toBeInTheDocument();
    const field = screen.getByLabelText("Its id");
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(field).toHaveAccessibleDescription("Enter a whole number.");
  });

  it("lists have empty and error states", async () => {
    let answer = json(503, { detail: "Stripe is unreachable.", code: "upstream_unavailable" });
    serve((url) => (url.pathname === "/api/payments/" ? answer : undefined));
    renderAt("/manage/payments");

    expect(await screen.findByRole("alert")).toHaveTextContent("Stripe is unreachable.");
    answer = json(200, page([]));
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No payment matches these filters.")).toBeInTheDocument();
  });

  it("refunds a payment only after a confirmation, and shows a 409 with its code", async () => {
    const fetchMock = serve((url, init) => {
      if (url.pathname === "/api/payments/") return json(200, page([PAYMENT]));
      if (url.pathname === "/api/payments/12/refund/" && init?.method === "POST") {
        return json(409, { detail: "Only a succeeded payment can be refunded.", code: "conflict" });
      }
      return undefined;
    });
    renderAt("/manage/payments");

    await userEvent.click(await screen.findByRole("button", { name: "Refund payment 12" }));
    expect(calls(fetchMock, "POST", "/api/payments/12/refund/")).toHaveLength(0);
    const question = screen.getByRole("group", { name: /Refund \$49\.00 for “Django in depth” to student #5\?/ });
    expect(within(question).getByRole("button", { name: "Yes, refund" })).toHaveFocus();

    // Escape cancels, and focus goes back to the button.
    await userEvent.keyboard("{Escape}");
    expect(screen.getByRole("button", { name: "Refund payment 12" })).toHaveFocus();
    expect(calls(fetchMock, "POST", "/api/payments/12/refund/")).toHaveLength(0);

    await userEvent.click(screen.getByRole("button", { name: "Refund payment 12" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, refund" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Only a succeeded payment can be refunded. (HTTP 409, conflict)");
    expect(calls(fetchMock, "POST", "/api/payments/12/refund/")).toHaveLength(1);
  });

  it("changes a user's role with a PATCH, and shows the API's refusal", async () => {
    const fetchMock = serve((url, init) => {
      if (url.pathname === "/api/users/") return json(200, page([USER]));
      if (url.pathname === "/api/users/5/" && init?.method === "PATCH") {
        return json(409, { detail: "You cannot change your own role or deactivate yourself.", code: "self_change" });
      }
      return undefined;
    });
    renderAt("/manage/users");

    const select = await screen.findByLabelText("New role for ada");
    const button = screen.getByRole("button", { name: "Change role of ada" });
    expect(button).toBeDisabled();
    await userEvent.selectOptions(select, "instructor");
    await userEvent.click(button);

    expect(await screen.findByRole("alert")).toHaveTextContent("(HTTP 409, self_change)");
    const [, init] = calls(fetchMock, "PATCH", "/api/users/5/")[0]!;
    expect(JSON.parse(String(init!.body))).toEqual({ role: "instructor" });
  });

  it("deactivates after a confirmation (DELETE) and reactivates with a PATCH of is_active", async () => {
    let user = USER;
    const fetchMock = serve((url, init) => {
      if (url.pathname === "/api/users/") return json(200, page([user]));
      if (url.pathname === "/api/users/5/" && init?.method === "DELETE") {
        user = { ...USER, is_active: false };
        return json(204);
      }
      if (url.pathname === "/api/users/5/" && init?.method === "PATCH") {
        user = USER;
        return json(200, USER);
      }
      return undefined;
    });
    renderAt("/manage/users");

    await userEvent.click(await screen.findByRole("button", { name: "Deactivate ada" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, deactivate" }));
    await userEvent.click(await screen.findByRole("button", { name: "Reactivate ada" }));

    expect(await screen.findByRole("button", { name: "Deactivate ada" })).toBeInTheDocument();
    expect(calls(fetchMock, "DELETE", "/api/users/5/")).toHaveLength(1);
    expect(JSON.parse(String(calls(fetchMock, "PATCH", "/api/users/5/")[0]![1]!.body))).toEqual({ is_active: true });
  });

  it("grant: sends the picked student and course, and shows the API's field errors next to them", async () => {
    const fetchMock = serve((url, init) => {
      if (url.pathname === "/api/enrollments/" && init?.method === "POST") {
        return json(400, { course: ["This course is not on sale."] });
      }
      if (url.pathname === "/api/enrollments/") return json(200, page([]));
      if (url.pathname === "/api/users/") return json(200, page([USER]));
      if (url.pathname === "/api/courses/") {
        return json(200, page([{ id: 3, title: "Django in depth", status: "draft", price: "49.00" }]));
      }
      return undefined;
    });
    renderAt("/manage/enrollments");

    await userEvent.selectOptions(await screen.findByLabelText("Student"), await screen.findByRole("option", { name: /^ada/ }));
    await userEvent.selectOptions(screen.getByLabelText("Course"), await screen.findByRole("option", { name: /Django in depth \(draft\)/ }));
    await userEvent.click(screen.getByRole("button", { name: "Grant enrollment" }));

    expect(await screen.findByText("This course is not on sale.")).toBeInTheDocument();
    expect(screen.getByLabelText("Course")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Student")).not.toHaveAttribute("aria-invalid");
    const [, init] = calls(fetchMock, "POST", "/api/enrollments/")[0]!;
    expect(JSON.parse(String(init!.body))).toEqual({ student: 5, course: 3 });
    // The student picker asks only for active students.
    expect(String(calls(fetchMock, "GET", "/api/users/")[0]![0])).toContain("role=student&is_active=true");
  });

  it("grant: a new search keeps the student already chosen", async () => {
    const fetchMock = serve((url, init) => {
      if (url.pathname === "/api/enrollments/" && init?.method === "POST") {
        return json(201, { id: 8, student: 5, course: 3, course_title: "Django in depth", source: "admin" });
      }
      if (url.pathname === "/api/enrollments/") return json(200, page([]));
      if (url.pathname === "/api/users/") return json(200, url.searchParams.get("search") ? page([]) : page([USER]));
      if (url.pathname === "/api/courses/") return json(200, page([{ id: 3, title: "Django in depth", status: "published" }]));
      return undefined;
    });
    renderAt("/manage/enrollments");

    await userEvent.selectOptions(await screen.findByLabelText("Student"), await screen.findByRole("option", { name: /^ada/ }));
    await userEvent.type(screen.getByLabelText("Find a student"), "nobody");
    expect(await screen.findByRole("option", { name: "No student matches" })).toBeInTheDocument();
    expect(screen.getByLabelText("Student")).toHaveValue("5");

    await userEvent.selectOptions(screen.getByLabelText("Course"), await screen.findByRole("option", { name: /Django in depth/ }));
    await userEvent.click(screen.getByRole("button", { name: "Grant enrollment" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Enrolled ada (ada@example.com), #5 in “Django in depth”");
    expect(JSON.parse(String(calls(fetchMock, "POST", "/api/enrollments/")[0]![1]!.body))).toEqual({ student: 5, course: 3 });
  });
});
