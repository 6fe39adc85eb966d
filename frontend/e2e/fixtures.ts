import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test as base, expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

// Every test's page reaches only the server under test: any other URL is aborted.
export const test = base.extend({
  page: async ({ page, baseURL }, use) => {
    await page.route(
      (url) => !url.href.startsWith(baseURL!),
      (route) => route.abort("blockedbyclient"),
    );
    await use(page);
  },
});
export { expect };

/** axe-core on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(serious, `axe on ${page.url()}`).toEqual([]);
}

/** axe at a phone's width too, where tables become cards and layouts one column. */
export async function expectAccessibleAt375(page: Page): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  await expectAccessible(page);
  if (size) await page.setViewportSize(size);
}

const SCREENSHOTS = new URL("../../docs/screenshots/", import.meta.url);

/**
 * With LMS_SCREENSHOTS=1, save the page at 1280 and at 375 px wide to docs/screenshots/
 * (`LMS_SCREENSHOTS=1 npm run e2e`); otherwise nothing, so a test run changes no file.
 */
export async function snap(page: Page, name: string): Promise<void> {
  if (process.env.LMS_SCREENSHOTS !== "1") return;
  const size = page.viewportSize();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: new URL(`${name}-${width}.png`, SCREENSHOTS).pathname, fullPage: true });
  }
  if (size) await page.setViewportSize(size);
}

let counter = 0;
/** Names no other test (or earlier run on the same server) has used. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export const PASSWORD = "e2e-Long-Passphrase-1";

async function ok<T>(response: Awaited<ReturnType<APIRequestContext["post"]>>): Promise<T> {
  expect(response.ok(), `${response.url()} answered ${response.status()}: ${await response.text()}`).toBe(true);
  return (await response.json().catch(() => ({}))) as T;
}

export interface SeededCourse {
  id: number;
  title: string;
  lessons: { id: number; title: string; isPreview: boolean }[];
  /** The instructor's access token, to change the course afterwards. */
  instructorAccess: string;
  /** The instructor's email, to log in as them (the password is PASSWORD). */
  instructorEmail: string;
}

/**
 * A published course built through the API as an instructor would: two sections, three lessons,
 * the first a free preview, the second with a file (setup-notes.txt).
 */
export async function seedCourse(request: APIRequestContext, { price = "0.00" } = {}): Promise<SeededCourse> {
  const username = unique("teacher");
  const email = `${username}@example.com`;
  await ok(await request.post("/api/users/register/", { data: { username, email, password: PASSWORD, role: "instructor" } }));
  const { access } = await ok<{ access: string }>(await request.post("/api/users/login/", { data: { email, password: PASSWORD } }));
  const headers = { Authorization: `Bearer ${access}` };
  const title = unique("Course ");
  const course = await ok<{ id: number }>(
    await request.post("/api/courses/", {
      headers,
      data: { title, description: "Learn the basics, step by step.", price },
    }),
  );
  const plan = [
    { section: "Getting started", lessons: [{ title: "Welcome", isPreview: true }, { title: "Setting up", isPreview: false }] },
    { section: "Going further", lessons: [{ title: "Next steps", isPreview: false }] },
  ];
  const lessons: SeededCourse["lessons"] = [];
  for (const part of plan) {
    const section = await ok<{ id: number }>(
      await request.post(`/api/courses/${course.id}/sections/`, { headers, data: { title: part.section } }),
    );
    for (const lesson of part.lessons) {
      const created = await ok<{ id: number }>(
        await request.post(`/api/sections/${section.id}/lessons/`, {
          headers,
          data: {
            title: lesson.title,
            kind: "text",
            body: `## Overview\n\nThis is **${lesson.title}**.\n\n<script>window.pwned = true</script>`,
            is_preview: lesson.isPreview,
          },
        }),
      );
      lessons.push({ id: created.id, ...lesson });
      if (lesson.title === "Setting up") {
        const upload = await request.put(`/api/lessons/${created.id}/file/`, {
          headers,
          multipart: { file: { name: "setup-notes.txt", mimeType: "text/plain", buffer: Buffer.from("Install Python.\n") } },
        });
        await ok(upload);
      }
    }
  }
  await ok(await request.post(`/api/courses/${course.id}/publish/`, { headers }));
  return { id: course.id, title, lessons, instructorAccess: access, instructorEmail: email };
}

/** The e2e server's localstripe (playwright.config.ts chooses its port). */
export const LOCALSTRIPE = `http://127.0.0.1:${process.env.LMS_E2E_LOCALSTRIPE_PORT}`;
const LOCALSTRIPE_HEADERS = { Authorization: "Bearer sk_test_e2e" };

/**
 * Pay an intent at localstripe with a test card, as Stripe.js does in the browser: localstripe
 * then sends the app its signed webhook. The card is set first, then confirmed with no body
 * (localstripe answers 500 to a confirm that carries payment_method). A declined card is an
 * outcome (402), not a failure: the intent goes back to requires_payment_method.
 */
export async function confirmAtLocalstripe(
  request: APIRequestContext,
  intentId: string,
  { decline = false } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const paymentMethod = decline ? "pm_card_chargeCustomerFail" : "pm_card_visa";
  await ok(
    await request.post(`${LOCALSTRIPE}/v1/payment_intents/${intentId}`, {
      headers: LOCALSTRIPE_HEADERS,
      form: { payment_method: paymentMethod },
    }),
  );
  const confirmed = await request.post(`${LOCALSTRIPE}/v1/payment_intents/${intentId}/confirm`, {
    headers: LOCALSTRIPE_HEADERS,
  });
  return { status: confirmed.status(), body: (await confirmed.json()) as Record<string, unknown> };
}

export interface Account {
  username: string;
  email: string;
  access: string;
}

/** A new account through the API (a student unless told), logged in. */
export async function registerThroughApi(
  request: APIRequestContext,
  { prefix = "student", role }: { prefix?: string; role?: "student" | "instructor" } = {},
): Promise<Account> {
  const username = unique(prefix);
  const email = `${username}@example.com`;
  await ok(await request.post("/api/users/register/", { data: { username, email, password: PASSWORD, ...(role && { role }) } }));
  const { access } = await ok<{ access: string }>(await request.post("/api/users/login/", { data: { email, password: PASSWORD } }));
  return { username, email, access };
}

/**
 * The student pays for a paid course through the API and localstripe (good card), and the real
 * webhook enrolls them; returns once the enrollment exists, with the payment's id.
 */
export async function payThroughApi(
  request: APIRequestContext,
  student: Account,
  courseId: number,
): Promise<{ paymentId: number; enrollmentId: number }> {
  const headers = { Authorization: `Bearer ${student.access}` };
  const started = await ok<{ payment: { id: number; stripe_payment_intent: string } }>(
    await request.post("/api/payments/", { headers, data: { course: courseId } }),
  );
  const { status } = await confirmAtLocalstripe(request, started.payment.stripe_payment_intent);
  expect(status).toBe(200);
  let enrollmentId: number | undefined;
  await expect
    .poll(async () => {
      const mine = await ok<{ results: { id: number; course: number }[] }>(
        await request.get("/api/enrollments/", { headers }),
      );
      enrollmentId = mine.results.find((enrollment) => enrollment.course === courseId)?.id;
      return enrollmentId;
    })
    .toBeDefined();
  return { paymentId: started.payment.id, enrollmentId: enrollmentId! };
}

/** The admin account scripts/e2e_server.py creates (admins cannot register). */
export const ADMIN = { email: "admin@e2e.example.com", password: PASSWORD };

/** An account logged in through the API: its access token, for calls a test makes as that user. */
export async function loginThroughApi(request: APIRequestContext, email: string, password = PASSWORD): Promise<string> {
  const { access } = await ok<{ access: string }>(await request.post("/api/users/login/", { data: { email, password } }));
  return access;
}

/**
 * A page in a new browser context: no cookie, no session, as a stranger opening a shared link.
 * Like `test`'s page, it reaches only the server under test.
 */
export async function strangerPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  await context.route(
    (url) => !url.href.startsWith(baseURL),
    (route) => route.abort("blockedbyclient"),
  );
  return context.newPage();
}

/** The text of a PDF (a downloaded certificate), extracted with pypdf as the API's tests do. */
export function pdfText(path: string): string {
  const script = "import sys; from pypdf import PdfReader; print('\\n'.join(p.extract_text() for p in PdfReader(sys.argv[1]).pages))";
  return execFileSync(process.env.PYTHON ?? "../.venv/bin/python", ["-c", script, path], {
    encoding: "utf8",
    env: { ...process.env, PYTHONIOENCODING: "utf-8" },
  });
}

/** Log in through the app's login page, and wait until the app shows the signed-in header. */
export async function logInThroughUi(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

const STRIPE_STAND_IN = readFileSync(
  new URL("../../lms/payments/static/payments/local-stripe.js", import.meta.url),
  "utf8",
);

/** Stripe's test cards: the first pays, the second is declined. */
export const CARDS = { good: "4242424242424242", declined: "4000000000000002" };

/**
 * Stripe in the browser, without Stripe: https://js.stripe.com/** is the test-only stand-in
 * (lms/payments/static/payments/local-stripe.js), and its confirm call to Stripe's API is answered by paying the intent at
 * localstripe with the card typed in (CARDS.good pays, CARDS.declined is declined). localstripe then
 * sends the app its signed webhook, as Stripe would. These routes are registered after the page's
 * abort-everything route, so they win; every other external URL is still aborted.
 */
export async function useStripeStandIn(page: Page, request: APIRequestContext): Promise<void> {
  await page.route("https://js.stripe.com/**", (route) =>
    route.fulfill({ contentType: "text/javascript", body: STRIPE_STAND_IN }),
  );
  await page.route("https://api.stripe.com/v1/payment_intents/*/confirm", async (route) => {
    const headers = { "Access-Control-Allow-Origin": "*" };
    const number = new URLSearchParams(route.request().postData() ?? "").get("payment_method_data[card][number]");
    if (number !== CARDS.good && number !== CARDS.declined) {
      const error = { type: "card_error", code: "incorrect_number", message: "Your card number is incorrect." };
      await route.fulfill({ status: 402, headers, json: { error } });
      return;
    }
    const intentId = new URL(route.request().url()).pathname.split("/")[3]!;
    const { status, body } = await confirmAtLocalstripe(request, intentId, { decline: number === CARDS.declined });
    // localstripe calls a decline an invalid_request_error; Stripe.js reports it as a card_error.
    const answer = status === 200 ? body : { error: { ...(body.error as object), type: "card_error" } };
    await route.fulfill({ status, headers, json: answer });
  });
}
