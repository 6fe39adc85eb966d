import { expect, expectAccessible, seedCourse, snap, test } from "./fixtures";

test("a visitor sees the catalog, a course outline and a preview lesson, but not a paid lesson", async ({
  page,
  request,
}) => {
  const course = await seedCourse(request, { price: "25.00" });

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Course catalog" })).toBeVisible();
  await page.getByLabel("Search").fill(course.title);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`search=${encodeURIComponent(course.title).replace(/%20/g, "\\+")}`));
  const link = page.getByRole("link", { name: course.title });
  await expect(link).toBeVisible();
  await expect(page.getByText("$25.00")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "catalog");

  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: course.title })).toBeVisible();
  await expect(page.getByText("Learn the basics, step by step.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Getting started" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Going further" })).toBeVisible();
  await expect(page.getByText("Log in or register to enroll.")).toBeVisible();
  // Only the preview is a link; the other lessons are listed by title.
  await expect(page.getByRole("link", { name: "Setting up" })).toHaveCount(0);
  await expect(page.getByText("Setting up")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "course");

  await page.getByRole("link", { name: "Welcome" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Welcome" })).toBeVisible();
  await expect(page.locator(".lesson-body strong")).toHaveText("Welcome");
  expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
  await expect(page.getByRole("button", { name: "Mark as complete" })).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, "preview-lesson");

  // A paid lesson, by its address: refused, with the way to enroll.
  await page.goto(`/courses/${course.id}/lessons/${course.lessons[1]!.id}`);
  await expect(page.getByText("This lesson is for students enrolled in the course.")).toBeVisible();
  await expect(page.getByText("This is")).toHaveCount(0);
  await expectAccessible(page);
});

test("the catalog's filters and sort survive a reload from the URL", async ({ page, request }) => {
  await seedCourse(request);

  await page.goto("/?is_free=true&ordering=title");

  await expect(page.getByLabel("Price", { exact: true })).toHaveValue("true");
  await expect(page.getByLabel("Sort by")).toHaveValue("title");
  await page.getByLabel("Sort by").selectOption("-price");
  await expect(page).toHaveURL(/ordering=-price/);
  await expect(page).toHaveURL(/is_free=true/);
});

test("an unknown address inside the app is its not-found page; an unknown API path is no app page", async ({
  page,
}) => {
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  // Django's 404 (its debug page under the local settings), never the app's index.html.
  const api = await page.request.get("/api/no-such-endpoint/");
  expect(api.status()).toBe(404);
  expect(await api.text()).not.toContain('<div id="root">');
});
