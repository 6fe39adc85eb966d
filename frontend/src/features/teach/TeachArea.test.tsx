import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../../api/client";
import { RequireAuth } from "../../app/RequireAuth";
import { AuthProvider } from "../auth/AuthProvider";
import { TeachArea } from "./TeachArea";

function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

const page = (results: unknown[], count = results.length) => ({ count, next: null, previous: null, results });

const TEACHER = { id: 7, username: "grace", email: "grace@example.com", role: "instructor" };
const COURSE = {
  id: 3,
  title: "Django in depth",
  description: "All of it.",
  price: "49.00",
  instructor: 7,
  instructor_name: "grace",
  status: "draft",
  created_at: "2026-01-01T10:00:00Z",
  updated_at: "2026-01-02T10:00:00Z",
  is_enrolled: false,
  payment_status: null,
};
const outline = (id: number, title: string) => ({ id, title, kind: "text", duration_minutes: null, is_preview: false, is_completed: false });
const CURRICULUM = {
  course: 3,
  sections: [
    { id: 1, title: "Intro", lessons: [outline(10, "Welcome"), outline(11, "Setup")] },
    { id: 2, title: "Models", lessons: [outline(20, "Fields")] },
  ],
};
const LESSON = {
  id: 10,
  course: 3,
  section: 1,
  title: "Welcome",
  kind: "text",
  duration_minutes: 5,
  is_preview: true,
  position: 1,
  body: "Hello **there**",
  body_html: '<p>Hello <strong>there</strong><img src="x" onerror="alert(1)"></p>',
  video_url: null,
  file_url: null,
  created_at: "2026-01-01T10:00:00Z",
  updated_at: "2026-01-01T10:00:00Z",
};

type Handler = (url: URL, init: RequestInit | undefined) => Response | undefined;

function serve(handle: Handler, me: object = TEACHER) {
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = new URL(String(input), "http://test");
    if (url.pathname === "/api/users/cookie/refresh/") return json(200, { access: "token" });
    if (url.pathname === "/api/users/me/") return json(200, me);
    return handle(url, init) ?? json(500, { detail: `Unexpected ${init?.method ?? "GET"} ${url}`, code: "server_error" });
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

const is = (url: URL, init: RequestInit | undefined, method: string, pathname: string) =>
  url.pathname === pathname && (init?.method ?? "GET") === method;

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      {
        path: "/teach/*",
        element: (
          <RequireAuth roles={["instructor", "admin"]}>
            <TeachArea />
          </RequireAuth>
        ),
      },
      { path: "/courses/:id", element: <p>catalog page</p> },
    ],
    { initialEntries: [path] },
  );
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

describe("the teaching area", () => {
  beforeEach(() => setAccessToken(null));
  afterEach(() => vi.unstubAllGlobals());

  it("tells a student it is not for them, and asks the API nothing", async () => {
    const fetchMock = serve(() => undefined, { ...TEACHER, role: "student" });
    renderAt("/teach");
    expect(await screen.findByRole("heading", { name: "Not for this account" })).toBeInTheDocument();
    expect(screen.getByText(/for instructors and admins/)).toBeInTheDocument();
    expect(calls(fetchMock, "GET", "/api/courses/")).toHaveLength(0);
  });

  it("my courses: asks for the instructor's own courses, drafts included, with status, price and an edit link", async () => {
    const fetchMock = serve((url) => (url.pathname === "/api/courses/" ? json(200, page([COURSE])) : undefined));
    renderAt("/teach");

    const row = (await screen.findByRole("link", { name: "Django in depth" })).closest("tr")!;
    expect(within(row).getByText("Draft")).toBeInTheDocument();
    expect(within(row).getByText("$49.00")).toBeInTheDocument();
    expect(within(row).getByRole("link", { name: "Edit Django in depth" })).toHaveAttribute("href", "/teach/courses/3");
    expect(String(calls(fetchMock, "GET", "/api/courses/")[0]![0])).toBe(
      "/api/courses/?instructor=7&ordering=-created_at&page_size=20",
    );
    expect(screen.getByRole("link", { name: "New course" })).toHaveAttribute("href", "/teach/new");
  });

  it("my courses: empty and error states", async () => {
    let answer = json(503, { detail: "The database is unavailable.", code: "unavailable" });
    serve((url) => (url.pathname === "/api/courses/" ? answer : undefined));
    renderAt("/teach");

    expect(await screen.findByRole("alert")).toHaveTextContent("The database is unavailable.");
    answer = json(200, page([]));
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText(/You have no course yet/)).toBeInTheDocument();
  });

  it("new course: the API's field errors appear at their fields; once created, the course's page opens", async () => {
    let created = false;
    const fetchMock = serve((url, init) => {
      if (is(url, init, "POST", "/api/courses/")) {
        const body = JSON.parse(String(init!.body)) as { price: string };
        if (body.price === "0.10") return json(400, { price: ["Ensure this value is 0 or at least 0.50."] });
        created = true;
        return json(201, { ...COURSE, id: 4, title: "Flask", price: body.price });
      }
      if (is(url, init, "GET", "/api/courses/4/")) return json(200, { ...COURSE, id: 4, title: "Flask" });
      if (is(url, init, "GET", "/api/courses/4/curriculum/")) return json(200, { course: 4, sections: [] });
      return undefined;
    });
    const router = renderAt("/teach/new");

    await userEvent.type(await screen.findByLabelText("Title"), "Flask");
    const price = screen.getByLabelText("Price in USD (0 for a free course)");
    await userEvent.clear(price);
    await userEvent.type(price, "0.10");
    await userEvent.click(screen.getByRole("button", { name: "Create course" }));

    expect(await screen.findByText("Ensure this value is 0 or at least 0.50.")).toBeInTheDocument();
    expect(price).toHaveAttribute("aria-invalid", "true");
    expect(price).toHaveAccessibleDescription("Ensure this value is 0 or at least 0.50.");
    expect(created).toBe(false);

    await userEvent.clear(price);
    await userEvent.type(price, "19.00");
    await userEvent.click(screen.getByRole("button", { name: "Create course" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/teach/courses/4"));
    expect(JSON.parse(String(calls(fetchMock, "POST", "/api/courses/")[1]![1]!.body))).toEqual({
      title: "Flask",
      description: "",
      price: "19.00",
    });
    expect(await screen.findByText(/No section yet/)).toBeInTheDocument();
  });

  it("publishing a course without lessons shows the API's reason and code, until a lesson is added", async () => {
    let curriculum: unknown = { course: 3, sections: [] };
    const fetchMock = serve((url, init) => {
      if (is(url, init, "GET", "/api/courses/3/")) return json(200, COURSE);
      if (is(url, init, "GET", "/api/courses/3/curriculum/")) return json(200, curriculum);
      if (is(url, init, "POST", "/api/courses/3/sections/")) {
        curriculum = { course: 3, sections: [{ id: 1, title: "Intro", lessons: [] }] };
        return json(201, { id: 1, course: 3, title: "Intro", position: 1 });
      }
      if (is(url, init, "POST", "/api/sections/1/lessons/")) {
        curriculum = { course: 3, sections: [{ id: 1, title: "Intro", lessons: [outline(10, "Welcome")] }] };
        return json(201, LESSON);
      }
      if (is(url, init, "POST", "/api/courses/3/publish/")) {
        return json(400, { status: ["A course needs at least one lesson before it can be published."] });
      }
      return undefined;
    });
    renderAt("/teach/courses/3");

    await userEvent.click(await screen.findByRole("button", { name: "Publish" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "A course needs at least one lesson before it can be published. (HTTP 400, invalid)",
    );
    expect(calls(fetchMock, "POST", "/api/courses/3/publish/")).toHaveLength(1);

    // A section alone changes nothing; its first lesson makes the refusal out of date.
    await userEvent.type(screen.getByLabelText("New section"), "Intro{Enter}");
    const lessonField = await screen.findByLabelText("New lesson in “Intro”");
    expect(screen.getByText(/needs at least one lesson/)).toBeInTheDocument();
    await userEvent.type(lessonField, "Welcome{Enter}");
    await screen.findByRole("link", { name: "Edit lesson Welcome" });
    await waitFor(() => expect(screen.queryByText(/needs at least one lesson/)).not.toBeInTheDocument());
  });

  it("publishing: the course becomes published, and unpublishing is offered", async () => {
    serve((url, init) => {
      if (is(url, init, "GET", "/api/courses/3/")) return json(200, COURSE);
      if (is(url, init, "GET", "/api/courses/3/curriculum/")) return json(200, CURRICULUM);
      if (is(url, init, "POST", "/api/courses/3/publish/")) return json(200, { ...COURSE, status: "published" });
      if (url.pathname === "/api/courses/") return json(200, page([]));
      return undefined;
    });
    renderAt("/teach/courses/3");

    await userEvent.click(await screen.findByRole("button", { name: "Publish" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Published.");
    expect(screen.getByRole("button", { name: "Unpublish" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Published");
  });

  it("curriculum: a move shows at once, saves the whole order, and keeps the focus on the moved item", async () => {
    let saved: unknown;
    const fetchMock = serve((url, init) => {
      if (is(url, init, "GET", "/api/courses/3/")) return json(200, COURSE);
      if (is(url, init, "GET", "/api/courses/3/curriculum/")) return json(200, CURRICULUM);
      if (is(url, init, "PUT", "/api/courses/3/curriculum/order/")) {
        saved = JSON.parse(String(init!.body));
        const body = saved as { sections: { id: number; lessons: number[] }[] };
        const titles: Record<number, string> = { 1: "Intro", 2: "Models", 10: "Welcome", 11: "Setup", 20: "Fields" };
        return json(200, {
          course: 3,
          sections: body.sections.map((s) => ({ id: s.id, title: titles[s.id], lessons: s.lessons.map((l) => outline(l, titles[l]!)) })),
        });
      }
      return undefined;
    });
    renderAt("/teach/courses/3");

    // "Setup" is the last lesson of "Intro": down takes it to the start of "Models".
    const down = await screen.findByRole("button", { name: "Move Setup down" });
    await userEvent.click(down);
    expect(saved).toEqual({ sections: [{ id: 1, lessons: [10] }, { id: 2, lessons: [11, 20] }] });
    const models = screen.getByRole("heading", { name: /Models/ }).closest("li")!;
    expect(within(models).getAllByRole("link").map((link) => link.textContent)).toEqual(["Setup", "Fields"]);
    expect(await screen.findByText("Order saved.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Move Setup down" })).toHaveFocus();

    // With the keyboard: "Intro" is the first section, so it cannot go up; Enter on down moves it.
    expect(screen.getByRole("button", { name: "Move Intro up" })).toBeDisabled();
    screen.getByRole("button", { name: "Move Intro down" }).focus();
    await userEvent.keyboard("{Enter}");
    expect(saved).toEqual({ sections: [{ id: 2, lessons: [11, 20] }, { id: 1, lessons: [10] }] });
    // Now last, its down button is disabled: the focus goes to its up button.
    await waitFor(() => expect(screen.getByRole("button", { name: "Move Intro up" })).toHaveFocus());
    expect(screen.getByRole("button", { name: "Move Intro down" })).toBeDisabled();
    expect(calls(fetchMock, "PUT", "/api/courses/3/curriculum/order/")).toHaveLength(2);
  });

  it("curriculum: a refused order is explained and the saved order comes back", async () => {
    serve((url, init) => {
      if (is(url, init, "GET", "/api/courses/3/")) return json(200, COURSE);
      if (is(url, init, "GET", "/api/courses/3/curriculum/")) return json(200, CURRICULUM);
      if (is(url, init, "PUT", "/api/courses/3/curriculum/order/")) {
        return json(400, { sections: ["Every section and lesson of the course exactly once."] });
      }
      return undefined;
    });
    renderAt("/teach/courses/3");

    await userEvent.click(await screen.findByRole("button", { name: "Move Models up" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Every section and lesson of the course exactly once.");
    await waitFor(() =>
      expect(screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual(["1. Intro", "2. Models"]),
    );
  });

  it("curriculum: adds a section, renames and deletes a lesson (after a confirmation)", async () => {
    const fetchMock = serve((url, init) => {
      if (is(url, init, "GET", "/api/courses/3/")) return json(200, COURSE);
      if (is(url, init, "GET", "/api/courses/3/curriculum/")) return json(200, CURRICULUM);
      if (is(url, init, "POST", "/api/courses/3/sections/")) return json(201, { id: 5, course: 3, title: "Views", position: 3 });
      if (is(url, init, "PATCH", "/api/lessons/11/")) return json(200, { ...LESSON, id: 11, title: "Installing" });
      if (is(url, init, "DELETE", "/api/lessons/20/")) return json(204);
      return undefined;
    });
    renderAt("/teach/courses/3");

    await userEvent.type(await screen.findByLabelText("New section"), "Views");
    await userEvent.click(screen.getByRole("button", { name: "Add section" }));
    await waitFor(() => expect(calls(fetchMock, "POST", "/api/courses/3/sections/")).toHaveLength(1));
    expect(JSON.parse(String(calls(fetchMock, "POST", "/api/courses/3/sections/")[0]![1]!.body))).toEqual({ title: "Views" });

    await userEvent.click(screen.getByRole("button", { name: "Rename Setup" }));
    const field = screen.getByLabelText("New title for “Setup”");
    expect(field).toHaveFocus();
    await userEvent.clear(field);
    await userEvent.type(field, "Installing{Enter}");
    await waitFor(() => expect(calls(fetchMock, "PATCH", "/api/lessons/11/")).toHaveLength(1));
    expect(JSON.parse(String(calls(fetchMock, "PATCH", "/api/lessons/11/")[0]![1]!.body))).toEqual({ title: "Installing", kind: "text" });

    await userEvent.click(screen.getByRole("button", { name: "Delete Fields" }));
    const question = screen.getByRole("group", { name: /Delete the lesson “Fields”/ });
    expect(calls(fetchMock, "DELETE", "/api/lessons/20/")).toHaveLength(0);
    await userEvent.click(within(question).getByRole("button", { name: "Yes, delete" }));
    await waitFor(() => expect(calls(fetchMock, "DELETE", "/api/lessons/20/")).toHaveLength(1));
  });

  it("lesson editor: Preview shows the saved HTML sanitized; a save sends every field; a file goes up as multipart", async () => {
    const fetchMock = serve((url, init) => {
      if (is(url, init, "GET", "/api/lessons/10/")) return json(200, LESSON);
      if (is(url, init, "PATCH", "/api/lessons/10/")) {
        return json(400, { video_url: ["A video lesson needs a video URL."] });
      }
      if (is(url, init, "PUT", "/api/lessons/10/file/")) return json(200, { ...LESSON, file_url: "/api/lessons/10/file/" });
      return undefined;
    });
    renderAt("/teach/lessons/10");

    const write = await screen.findByRole("tab", { name: "Write" });
    expect(write).toHaveAttribute("aria-selected", "true");
    await userEvent.click(screen.getByRole("tab", { name: "Preview" }));
    const panel = screen.getByRole("tabpanel");
    expect(within(panel).getByText("there").tagName).toBe("STRONG");
    expect(panel.querySelector("img")).not.toHaveAttribute("onerror");
    // Arrow keys move between the tabs.
    await userEvent.keyboard("{ArrowLeft}");
    expect(write).toHaveFocus();
    expect(screen.getByLabelText("Body (Markdown)")).toBeVisible();

    await userEvent.selectOptions(screen.getByLabelText("Kind"), "video");
    await userEvent.click(screen.getByRole("button", { name: "Save lesson" }));
    const url = await screen.findByLabelText("Video URL (https, YouTube or Vimeo)");
    await waitFor(() => expect(url).toHaveAccessibleDescription("A video lesson needs a video URL."));
    expect(JSON.parse(String(calls(fetchMock, "PATCH", "/api/lessons/10/")[0]![1]!.body))).toEqual({
      title: "Welcome",
      kind: "video",
      body: "Hello **there**",
      video_url: "",
      duration_minutes: 5,
      is_preview: true,
    });

    const file = new File(["notes"], "notes.txt", { type: "text/plain" });
    await userEvent.upload(screen.getByLabelText("File to upload"), file);
    await userEvent.click(screen.getByRole("button", { name: "Upload file" }));
    expect(await screen.findByText("File uploaded.")).toBeInTheDocument();
    const sent = calls(fetchMock, "PUT", "/api/lessons/10/file/")[0]![1]!;
    expect(sent.body).toBeInstanceOf(FormData);
    expect((sent.body as FormData).get("file")).toBe(file);
    expect(screen.getByText(/This lesson has a file/)).toBeInTheDocument();
  });

  it("enrollments: the instructor's courses' rows, one course's through the URL, paged", async () => {
    const enrollment = {
      id: 8, student: 5, course: 3, course_title: "Django in depth", source: "payment",
      enrolled_at: "2026-01-03T10:00:00Z", ended_at: null, is_active: true, percent: 50, completed_at: null,
    };
    const fetchMock = serve((url) => {
      if (url.pathname === "/api/enrollments/") return json(200, { ...page([enrollment], 21), next: "x" });
      if (url.pathname === "/api/courses/") return json(200, page([COURSE]));
      return undefined;
    });
    const router = renderAt("/teach/enrollments?course=3");

    const row = (await screen.findByText("Student #5")).closest("tr")!;
    expect(within(row).getByText("50%")).toBeInTheDocument();
    expect(String(calls(fetchMock, "GET", "/api/enrollments/")[0]![0])).toBe("/api/enrollments/?course=3&page_size=20");
    expect(screen.getByText("Page 1 of 2")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    expect(router.state.location.search).toBe("?course=3&page=2");
    await waitFor(() => expect(screen.getByLabelText("Course")).toHaveValue("3"));
    await userEvent.selectOptions(screen.getByLabelText("Course"), "");
    expect(router.state.location.search).toBe("");
  });

  it("payments: an empty list says so", async () => {
    serve((url) => {
      if (url.pathname === "/api/payments/") return json(200, page([]));
      if (url.pathname === "/api/courses/") return json(200, page([COURSE]));
      return undefined;
    });
    renderAt("/teach/payments");
    expect(await screen.findByText("No payment for these courses yet.")).toBeInTheDocument();
  });
});
