import type { Page } from "@playwright/test";
import {
  expect,
  expectAccessible,
  expectAccessibleAt375,
  logInThroughUi,
  registerThroughApi,
  snap,
  strangerPage,
  test,
  unique,
} from "./fixtures";

/** The curriculum as the editor shows it: each section's title with its lessons' titles. */
async function outline(page: Page): Promise<string[][]> {
  return page.locator(".curriculum-section").evaluateAll((sections) =>
    sections.map((section) => [
      section.querySelector("h3")!.textContent!.replace(/^\d+\.\s*/, ""),
      ...Array.from(section.querySelectorAll(".curriculum-lesson a")).map((a) => a.textContent!),
    ]),
  );
}

async function addLesson(page: Page, section: string, title: string): Promise<void> {
  await page.getByLabel(`New lesson in “${section}”`).fill(title);
  await page.getByRole("button", { name: `Add lesson to ${section}` }).click();
  await expect(page.getByRole("link", { name: `Edit lesson ${title}` })).toBeVisible();
}

test("an instructor builds a course, reorders it, publishes it, and a visitor finds it in the catalog", async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const teacher = await registerThroughApi(request, { prefix: "teacher", role: "instructor" });
  await logInThroughUi(page, teacher.email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teach" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My courses" })).toBeVisible();
  await expect(page.getByText(/You have no course yet/)).toBeVisible();
  await expectAccessible(page);

  // Create: a refused price shows at its field, then the course is created as a draft.
  const title = unique("Teaching course ");
  await page.getByRole("link", { name: "New course" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("Built in the browser, step by step.");
  const price = page.getByLabel("Price in USD (0 for a free course)");
  await price.fill("0.10");
  await page.getByRole("button", { name: "Create course" }).click();
  await expect(price).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await snap(page, "teach-new-course-error");
  await price.fill("0");
  await page.getByRole("button", { name: "Create course" }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(title) })).toContainText("Draft");
  const courseUrl = page.url();
  const courseId = Number(new URL(courseUrl).pathname.split("/").pop());

  // A course without lessons cannot be published: the API's reason is shown.
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("alert")).toContainText("at least one lesson");
  await expect(page.getByRole("alert")).toContainText("HTTP 400");

  // Two sections, three lessons.
  for (const section of ["Basics", "Advanced"]) {
    await page.getByLabel("New section").fill(section);
    await page.getByRole("button", { name: "Add section" }).click();
    await expect(page.getByRole("heading", { level: 3, name: new RegExp(section) })).toBeVisible();
  }
  await addLesson(page, "Basics", "Hello");
  await addLesson(page, "Basics", "Tools");
  await addLesson(page, "Advanced", "Deploy");
  expect(await outline(page)).toEqual([
    ["Basics", "Hello", "Tools"],
    ["Advanced", "Deploy"],
  ]);

  // Reorder with the buttons: the moved item keeps the focus; the order is saved.
  await page.getByRole("button", { name: "Move Advanced up" }).click();
  await expect(page.getByRole("button", { name: "Move Advanced down" })).toBeFocused();
  await expect(page.getByText("Order saved.")).toBeVisible();
  await page.getByRole("button", { name: "Move Tools up" }).focus();
  await page.keyboard.press("Enter");
  // First in "Basics" now, Tools can still go up (into the section before): its button keeps the focus.
  await expect(page.getByRole("button", { name: "Move Tools up" })).toBeFocused();
  // Across sections: Deploy, the last of "Advanced" (now first), goes down to the start of "Basics".
  await page.getByRole("button", { name: "Move Deploy down" }).click();
  await expect(page.getByText("Saving the order…")).toHaveCount(0);
  await expect(page.getByText("Order saved.")).toBeVisible();
  const reordered = [["Advanced"], ["Basics", "Deploy", "Tools", "Hello"]];
  expect(await outline(page)).toEqual(reordered);
  await expectAccessible(page);
  await expectAccessibleAt375(page);
  await snap(page, "teach-curriculum");

  await page.reload();
  await expect(page.getByRole("heading", { level: 3, name: /Advanced/ })).toBeVisible();
  expect(await outline(page)).toEqual(reordered);

  // Rename a section, edit a lesson: Markdown, a preview of what the server renders, a file.
  await page.getByRole("button", { name: "Rename Advanced" }).click();
  await page.getByLabel("New title for “Advanced”").fill("Going further");
  await page.getByRole("button", { name: "Save title" }).click();
  await expect(page.getByRole("heading", { level: 3, name: /Going further/ })).toBeVisible();

  await page.getByRole("link", { name: "Edit lesson Hello" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Lesson: Hello" })).toBeVisible();
  await page.getByLabel("Body (Markdown)").fill("## Welcome\n\nThis is **important**.\n\n<script>window.pwned = true</script>");
  await page.getByLabel("Duration in minutes").fill("7");
  await page.getByLabel(/Free preview/).check();
  await page.getByRole("button", { name: "Save lesson" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.getByRole("tab", { name: "Preview" }).click();
  const preview = page.getByRole("tabpanel");
  await expect(preview.locator("strong")).toHaveText("important");
  await expect(preview.getByRole("heading", { name: "Welcome" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
  await page.getByLabel("File to upload").setInputFiles({
    name: "hello-notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("Read me first.\n"),
  });
  await page.getByRole("button", { name: "Upload file" }).click();
  await expect(page.getByText("File uploaded.")).toBeVisible();
  await expect(page.getByText(/This lesson has a file/)).toBeVisible();
  await expectAccessible(page);
  await expectAccessibleAt375(page);
  await snap(page, "teach-lesson");

  // Publish.
  await page.getByRole("link", { name: "← The course and its curriculum" }).click();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Published.", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Unpublish" })).toBeVisible();
  await page.getByRole("navigation", { name: "Teaching" }).getByRole("link", { name: "My courses" }).click();
  const row = page.getByRole("row").filter({ hasText: title });
  await expect(row.getByText("Published")).toBeVisible();
  await expect(row.getByText("Free")).toBeVisible();
  await expectAccessibleAt375(page);
  await snap(page, "teach-courses");

  // A logged-out visitor finds it in the catalog, with the new order and the preview lesson.
  const visitor = await strangerPage(browser, baseURL!);
  await visitor.goto("/");
  await visitor.getByLabel("Search").fill(title);
  await visitor.getByRole("button", { name: "Apply filters" }).click();
  await visitor.getByRole("link", { name: title }).click();
  await expect(visitor.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(visitor.getByRole("heading", { level: 3 })).toHaveText(["Going further", "Basics"]);
  await expect(visitor.getByRole("link", { name: "Hello" })).toBeVisible();
  await visitor.close();

  // A student enrolls; the instructor sees the enrollment in their list.
  const student = await registerThroughApi(request);
  const enrolled = await request.post("/api/enrollments/", {
    headers: { Authorization: `Bearer ${student.access}` },
    data: { course: courseId },
  });
  expect(enrolled.status()).toBe(201);
  await page.getByRole("navigation", { name: "Teaching" }).getByRole("link", { name: "Enrollments" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Enrollments" })).toBeVisible();
  await page.getByLabel("Course").selectOption({ label: title });
  await expect(page).toHaveURL(new RegExp(`/teach/enrollments\\?course=${courseId}$`));
  const enrollment = page.getByRole("row").filter({ hasText: title });
  await expect(enrollment.getByText("active")).toBeVisible();
  await expect(page.getByText("1 enrollment", { exact: true })).toBeVisible();
  await expectAccessible(page);
  await expectAccessibleAt375(page);
  await snap(page, "teach-enrollments");

  await page.getByRole("navigation", { name: "Teaching" }).getByRole("link", { name: "Payments" }).click();
  await expect(page.getByText("No payment for these courses yet.")).toBeVisible();
  await expectAccessible(page);
});

test("a student reaching /teach is told it is not theirs", async ({ page, request }) => {
  const student = await registerThroughApi(request);
  await logInThroughUi(page, student.email);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Teach" })).toHaveCount(0);
  await page.goto("/teach");
  await expect(page.getByRole("heading", { level: 1, name: "Not for this account" })).toBeVisible();
});
