import {
  CARDS,
  PASSWORD,
  expect,
  expectAccessible,
  logInThroughUi,
  registerThroughApi,
  seedCourse,
  snap,
  test,
  unique,
  useStripeStandIn,
} from "./fixtures";

test("register, find a paid course, buy it, get enrolled by the webhook, complete every lesson, see 100%", async ({
  page,
  request,
}) => {
  await useStripeStandIn(page, request);
  const course = await seedCourse(request, { price: "49.00" });
  const username = unique("buyer");

  await page.goto("/register");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  // Browse: the catalog's search finds the course; its page offers to buy it.
  await page.getByLabel("Search").fill(course.title);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByRole("link", { name: course.title }).click();
  await page.getByRole("link", { name: "Buy for $49.00" }).click();

  // The checkout: the amount is the server's, the card form is Stripe's (the stand-in here).
  await expect(page.getByRole("heading", { level: 1, name: `Buy ${course.title}` })).toBeVisible();
  await expect(page.getByText("$49.00", { exact: true })).toBeVisible();
  await page.getByLabel("Card number").fill(CARDS.good);
  await expectAccessible(page);
  await snap(page, "checkout");
  await page.getByRole("button", { name: "Pay $49.00" }).click();

  // Stripe's webhook (localstripe's, signed) enrolls the student; the page was polling for it.
  await expect(page.getByText("You are enrolled in this course.")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "checkout-enrolled");
  await page.getByRole("link", { name: "Go to the course" }).click();
  await page.getByRole("link", { name: "Start learning" }).click();
  for (const [index, lesson] of course.lessons.entries()) {
    await expect(page.getByRole("heading", { level: 1, name: lesson.title })).toBeVisible();
    await page.getByRole("button", { name: "Mark as complete" }).click();
    await expect(page.getByText("You completed this lesson")).toBeVisible();
    const next = course.lessons[index + 1];
    if (next) await page.getByRole("link", { name: `Next: ${next.title} →` }).click();
  }
  await page.getByRole("link", { name: "My courses" }).click();
  await expect(page.getByRole("progressbar", { name: `Progress in ${course.title}` })).toHaveAttribute(
    "aria-valuenow",
    "100",
  );

  // My payments: the one payment, paid.
  await page.getByRole("link", { name: "My payments" }).click();
  const row = page.getByRole("row").filter({ hasText: course.title });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Paid")).toBeVisible();
  await expect(row.getByText("$49.00")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "my-payments");
});

test("a declined card shows Stripe's message and enrolls nobody; a retry with a good card works", async ({
  page,
  request,
}) => {
  await useStripeStandIn(page, request);
  const course = await seedCourse(request, { price: "25.00" });
  const student = await registerThroughApi(request);
  const asStudent = { Authorization: `Bearer ${student.access}` };
  const enrollments = async () =>
    ((await (await request.get("/api/enrollments/", { headers: asStudent, params: { course: course.id } })).json()) as {
      count: number;
    }).count;

  await logInThroughUi(page, student.email);
  await page.goto(`/courses/${course.id}/checkout`);
  await page.getByLabel("Card number").fill(CARDS.declined);
  await page.getByRole("button", { name: "Pay $25.00" }).click();

  await expect(page.getByRole("alert")).toHaveText("Your card was declined.");
  await expect(page.getByRole("button", { name: "Pay $25.00" })).toBeEnabled();
  await expectAccessible(page);
  await snap(page, "checkout-declined");
  // The declined payment is replaced by a new one for the retry (the server cancels it), and nobody
  // is enrolled. Newest first:
  await expect
    .poll(async () => {
      const mine = await request.get("/api/payments/", { headers: asStudent, params: { course: course.id } });
      return ((await mine.json()) as { results: { status: string }[] }).results.map((payment) => payment.status);
    })
    .toEqual(["pending", "canceled"]);
  expect(await enrollments()).toBe(0);

  // The retry, on the same form: the same payment, another card.
  await page.getByLabel("Card number").fill(CARDS.good);
  await page.getByRole("button", { name: "Pay $25.00" }).click();
  await expect(page.getByText("You are enrolled in this course.")).toBeVisible();
  expect(await enrollments()).toBe(1);
});

test("when Stripe.js cannot load, the checkout says so and charges nothing", async ({ page, request }) => {
  // No stand-in: the page's route aborts https://js.stripe.com/ like any other external URL.
  const course = await seedCourse(request, { price: "15.00" });
  const student = await registerThroughApi(request);

  await logInThroughUi(page, student.email);
  await page.goto(`/courses/${course.id}/checkout`);

  await expect(page.getByRole("alert")).toContainText("The secure card form (Stripe.js) could not load.");
  await expect(page.getByRole("button", { name: /^Pay/ })).toHaveCount(0);
  await expectAccessible(page);
});
