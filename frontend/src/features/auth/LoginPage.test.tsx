import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../../api/client";
import { AuthProvider } from "./AuthProvider";
import { LoginPage, safeNext } from "./LoginPage";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

function renderLogin() {
  const router = createMemoryRouter(
    [
      { path: "/login", element: <LoginPage /> },
      { path: "/my-courses", element: <p>My courses page</p> },
    ],
    { initialEntries: ["/login?next=/my-courses"] },
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>,
  );
}

describe("LoginPage", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
    setAccessToken(null);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("shows the API's field errors next to their fields", async () => {
    fetchMock.mockImplementation(async (input) =>
      input === "/api/users/cookie/refresh/"
        ? json(401, { detail: "No refresh cookie", code: "no_refresh_cookie" })
        : json(400, { email: ["Enter a valid email address."] }),
    );
    renderLogin();

    await userEvent.type(screen.getByLabelText("Email"), "not-an-email");
    await userEvent.type(screen.getByLabelText("Password"), "secret");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));

    const email = screen.getByLabelText("Email");
    expect(await screen.findByText("Enter a valid email address.")).toBeInTheDocument();
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("Enter a valid email address.");
    expect(screen.getByLabelText("Password")).not.toHaveAttribute("aria-invalid");
  });

  it("shows a wrong password as a form error, then logs in and goes to `next`", async () => {
    let attempts = 0;
    fetchMock.mockImplementation(async (input) => {
      if (input === "/api/users/cookie/refresh/") return json(401, { detail: "none", code: "no_refresh_cookie" });
      if (input === "/api/users/cookie/login/") {
        attempts += 1;
        return attempts === 1
          ? json(401, { detail: "No active account found with the given credentials.", code: "no_active_account" })
          : json(200, { access: "token" });
      }
      return json(200, { id: 1, username: "ada", email: "ada@example.com", role: "student" });
    });
    renderLogin();

    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "wrong");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No active account found with the given credentials.");

    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByText("My courses page")).toBeInTheDocument();
    const login = fetchMock.mock.calls.find((call) => call[0] === "/api/users/cookie/login/")!;
    expect(JSON.parse(String((login[1] as RequestInit).body))).toEqual({ email: "ada@example.com", password: "wrong" });
  });

  it("follows only paths inside the app", () => {
    expect(safeNext("/courses/3")).toBe("/courses/3");
    expect(safeNext("//evil.example")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });
});
