import type { APIRequestContext } from "@playwright/test";
import {
  ADMIN,
  expect,
  expectAccessible,
  logInThroughUi,
  registerThroughApi,
  seedCourse,
  snap,
  test,
  type Account,
} from "./fixtures";

async function enrollThroughApi(request: APIRequestContext, student: Account, courseId: number): Promise<void> {
  const response = await request.post("/api/enrollments/", {
    headers: { Authorization: `Bearer ${student.access}` },
    data: { course: courseId },
  });
  expect(response.status()).toBe(201);
}

test("students rate and review a course, the instructor replies, an admin hides one, the catalog sorts by rating", async ({
  page,
  request,
}) => {
  const course = await seedCourse(request);
  const ada = await registerThroughApi(request, { prefix: "ada" });
  const bob = await registerThroughApi(request, { prefix: "bob" });
  await enrollThroughApi(request, ada, course.id);
  await enrollThroughApi(request, bob, course.id);
  // Bob's review comes through the API: two stars.
  const bobs = await request.post(`/api/courses/${course.id}/reviews/`, {
    headers: { Authorization: `Bearer ${bob.access}` },
    data: { rating: 2, text: "Too fast for me." },
  });
  expect(bobs.status()).toBe(201);

  // Ada writes hers on the course page: the summary and the distribution follow.
  await logInThroughUi(page, ada.email);
  await page.goto(`/courses/${course.id}`);
  const reviews = page.getByRole("region", { name: "Reviews" });
  await expect(reviews.getByText("(1 rating)")).toBeVisible();
  await reviews.getByRole("radio", { name: "4 stars" }).check();
  await reviews.getByLabel("Your review (optional)").fill("Clear and well paced.");
  await reviews.getByRole("button", { name: "Post review" }).click();
  await expect(reviews.getByRole("heading", { name: "Your review" })).toBeVisible();
  await expect(reviews.getByText("(2 ratings)")).toBeVisible();
  await expect(reviews.locator(".rating-average")).toHaveText("3.0");
  await expect(reviews.getByRole("list", { name: "Ratings by stars" })).toContainText("4 stars1");

  // She edits it to five stars.
  await reviews.getByRole("button", { name: "Edit your review" }).click();
  await reviews.getByRole("radio", { name: "5 stars" }).check();
  await reviews.getByRole("button", { name: "Save review" }).click();
  await expect(reviews.locator(".rating-average")).toHaveText("3.5");
  await expectAccessible(page);

  // Filtering the list by rating.
  await reviews.getByLabel("Show").selectOption("2");
  await expect(reviews.getByRole("listitem", { name: `Review by ${bob.username}` })).toBeVisible();
  await expect(reviews.getByRole("listitem", { name: `Review by ${ada.username}` })).toHaveCount(0);
  await page.getByRole("button", { name: "Log out" }).click();

  // The instructor replies to Bob.
  await logInThroughUi(page, course.instructorEmail);
  await page.goto(`/courses/${course.id}`);
  await reviews.getByRole("button", { name: `Reply to ${bob.username}` }).click();
  await reviews.getByLabel(`Your public reply to ${bob.username}`).fill("The second section slows down, promise.");
  await reviews.getByRole("button", { name: "Save reply" }).click();
  await expect(reviews.getByText("Your reply", { exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Log out" }).click();

  // A visitor sees both reviews and the reply.
  await page.goto(`/courses/${course.id}`);
  const bobsItem = reviews.getByRole("listitem", { name: `Review by ${bob.username}` });
  await expect(bobsItem.getByText("The second section slows down, promise.")).toBeVisible();
  await expect(reviews.getByRole("listitem", { name: `Review by ${ada.username}` })).toContainText("Clear and well paced.");
  await snap(page, "course-reviews");

  // The admin hides Bob's review: it leaves the list and the average.
  await logInThroughUi(page, ADMIN.email, ADMIN.password);
  await page.goto(`/courses/${course.id}`);
  await reviews.getByRole("button", { name: `Hide the review by ${bob.username}` }).click();
  await expect(bobsItem).toHaveCount(0);
  await expect(reviews.locator(".rating-average")).toHaveText("5.0");
  await expect(reviews.getByText("(1 rating)")).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();

  // The catalog: at least four stars, highest rated first; the card shows the rating.
  await page.goto(`/?search=${encodeURIComponent(course.title)}`);
  await page.getByLabel("Rating").selectOption("4");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByLabel("Sort by").selectOption("-rating_avg");
  await expect(page).toHaveURL(/min_rating=4/);
  await expect(page).toHaveURL(/ordering=-rating_avg/);
  const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: course.title }) });
  await expect(card.getByText("(1 rating)")).toBeVisible();
  await expect(card.getByRole("img", { name: "5 out of 5 stars" })).toBeVisible();
  await expectAccessible(page);

  // Ada deletes her review: no ratings are left.
  await logInThroughUi(page, ada.email);
  await page.goto(`/courses/${course.id}`);
  await reviews.getByRole("button", { name: "Delete your review" }).click();
  await expect(reviews.getByText("No ratings yet.")).toBeVisible();
  await expect(reviews.getByRole("button", { name: "Post review" })).toBeVisible();
});
