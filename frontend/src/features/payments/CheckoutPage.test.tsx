import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../../api/client";
import { AuthProvider } from "../auth/AuthProvider";
import { CheckoutPage } from "./CheckoutPage";

function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

const page = (results: unknown[]) => ({ count: results.length, next: null, previous: null, results });
const STUDENT = { id: 5, username: "ada", email: "ada@example.com", role: "student" };
const COURSE = { id: 3, title: "Django in depth", price: "49.00", description: "", instructor_name: "Grace" };
const ENROLLMENT = { id: 8, course: 3, course_title: "Django in depth", percent: 0, completed_at: null };

function paymentStart(n: number) {
  return {
    client_secret: `pi_${n}_secret_abc`,
    publishable_key: "pk_test_unit",
    payment: { id: n, course: 3, amount: "49.00", currency: "usd", status: "pending", stripe_payment_intent: `pi_${n}` },
  };
}

// Stripe.js, the edge: installed once (@stripe/stripe-js keeps the first Stripe it finds), each test
// says what confirmPayment answers and sees what it was asked.
const stripeJs = {
  confirmPayment: vi.fn(),
  clientSecrets: [] as string[],
};

beforeAll(() => {
  const Stripe = () => ({
    elements: (options: { clientSecret: string }) => {
      stripeJs.clientSecrets.push(options.clientSecret);
      return {
        create: () => ({
          mount: (node: HTMLElement) => {
            node.innerHTML = '<label>Card number <input name="card"></label>';
          },
          on: () => {},
          off: () => {},
          update: () => {},
          destroy: () => {},
        }),
        getElement: () => null,
        update: () => {},
      };
    },
    confirmPayment: (...args: unknown[]) => stripeJs.confirmPayment(...args),
    createToken: () => Promise.reject(new Error("unused")),
    createPaymentMethod: () => Promise.reject(new Error("unused")),
    confirmCardPayment: () => Promise.reject(new Error("unused")),
  });
  (window as unknown as { Stripe: unknown }).Stripe = Object.assign(Stripe, { version: "endive" });
});

/** The API: the student, the course, their enrollments (none until `enrolled()`), payments started. */
function serve() {
  const state = { enrolled: false, started: 0 };
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = new URL(String(input), "http://test");
    const method = init?.method ?? "GET";
    if (url.pathname === "/api/users/cookie/refresh/") return json(200, { access: "token" });
    if (url.pathname === "/api/users/me/") return json(200, STUDENT);
    if (url.pathname === "/api/courses/3/") return json(200, COURSE);
    if (url.pathname === "/api/enrollments/") return json(200, page(state.enrolled ? [ENROLLMENT] : []));
    if (url.pathname === "/api/payments/" && method === "POST") {
      state.started += 1;
      return json(201, paymentStart(state.started));
    }
    return json(500, { detail: `Unexpected ${method} ${url}`, code: "server_error" });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { state, fetchMock };
}

function renderCheckout() {
  const router = createMemoryRouter([{ path: "/courses/:courseId/checkout", element: <CheckoutPage /> }], {
    initialEntries: ["/courses/3/checkout"],
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </QueryClientProvider>,
  );
}

describe("the checkout", () => {
  beforeEach(() => {
    setAccessToken(null);
    stripeJs.confirmPayment.mockReset();
    stripeJs.clientSecrets = [];
  });
  afterEach(() => vi.unstubAllGlobals());

  it("confirms with Stripe.js, then waits for the server to enroll the student", async () => {
    const { state, fetchMock } = serve();
    stripeJs.confirmPayment.mockImplementation(async () => {
      state.enrolled = true; // the webhook's doing, not the page's
      return { paymentIntent: { id: "pi_1", status: "succeeded" } };
    });
    renderCheckout();

    await userEvent.click(await screen.findByRole("button", { name: "Pay $49.00" }));

    expect(await screen.findByText("You are enrolled in this course.")).toBeInTheDocument();
    expect(stripeJs.clientSecrets).toEqual(["pi_1_secret_abc"]);
    expect(stripeJs.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({
        redirect: "if_required",
        confirmParams: { return_url: `${window.location.origin}/courses/3/checkout` },
      }),
    );
    // The page never enrolls anyone itself.
    const writes = fetchMock.mock.calls.filter(
      ([input, init]) => (init?.method ?? "GET") !== "GET" && String(input).includes("/api/enrollments"),
    );
    expect(writes).toEqual([]);
  });

  it("shows a declined card's message and tries again on the payment that replaces it", async () => {
    const { state } = serve();
    stripeJs.confirmPayment.mockResolvedValueOnce({
      error: { type: "card_error", code: "card_declined", message: "Your card was declined." },
    });
    renderCheckout();

    await userEvent.click(await screen.findByRole("button", { name: "Pay $49.00" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Your card was declined.");
    // A new card form, for the second payment the server started.
    await screen.findByRole("button", { name: "Pay $49.00" });
    expect(state.started).toBe(2);
    expect(stripeJs.clientSecrets.at(-1)).toBe("pi_2_secret_abc");
    expect(screen.getByRole("alert")).toHaveTextContent("Your card was declined.");
    expect(state.enrolled).toBe(false);
  });

  it("keeps the payment when Stripe.js cannot reach Stripe, and says so", async () => {
    const { state } = serve();
    stripeJs.confirmPayment.mockResolvedValueOnce({
      error: { type: "api_connection_error", message: "We could not reach Stripe. Try again." },
    });
    renderCheckout();

    await userEvent.click(await screen.findByRole("button", { name: "Pay $49.00" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("We could not reach Stripe. Try again.");
    expect(screen.getByRole("button", { name: "Pay $49.00" })).toBeEnabled();
    expect(state.started).toBe(1); // not a decline: the same payment is tried again
  });
});
