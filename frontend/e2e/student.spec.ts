import { PASSWORD, expect, expectAccessible, seedCourse, snap, test, unique } from "./fixtures";

test("register, log in, enroll in a free course, complete its lessons, see 100%", async ({ page, request, context }) => {
  const course = await seedCourse(request);
  const username = unique("student");
  const email = `${username}@example.com`;

  // Register: a refused field shows its message next to it.
  await page.goto("/register");
  await expectAccessible(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/too short/i)).toBeVisible();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  // The refresh token is an httpOnly, SameSite=Strict cookie; nothing is in web storage.
  const cookie = (await context.cookies()).find((c) => c.name === "lms_refresh");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Strict");
  expect(cookie?.path).toBe("/api/users/cookie/");
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  expect(await page.evaluate(() => document.cookie)).not.toContain("lms_refresh");

  // Log out, then log in again (a wrong password first).
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === "lms_refresh")).toBeUndefined();
  await page.getByRole("link", { name: "Log in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("No active account found with the given credentials.");
  await expectAccessible(page);
  await snap(page, "login-error");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  // A reload keeps the session: the app refreshes through the cookie.
  await page.reload();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  // My courses is empty, then enroll from the course page.
  await page.getByRole("link", { name: "My courses" }).click();
  await expect(page.getByText("You are not enrolled in any course yet.")).toBeVisible();
  await page.goto(`/courses/${course.id}`);
  await page.getByRole("button", { name: "Enroll for free" }).click();
  await expect(page.getByText("You are enrolled in this course.")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Your progress" })).toHaveAttribute("aria-valuenow", "0");
  await expectAccessible(page);

  // Work through every lesson with "Mark as complete" and "Next"; after the first, leave and
  // come back: the course page resumes at the next lesson.
  await page.getByRole("link", { name: "Start learning" }).click();
  for (const [index, lesson] of course.lessons.entries()) {
    await expect(page.getByRole("heading", { level: 1, name: lesson.title })).toBeVisible();
    if (index === 0) await expectAccessible(page);
    if (index === 0) await snap(page, "lesson");
    if (lesson.title === "Setting up") {
      // The file comes through the permission-checked endpoint, with the access token.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download the lesson's file" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe("setup-notes.txt");
    }
    await page.getByRole("button", { name: "Mark as complete" }).click();
    await expect(page.getByText("You completed this lesson")).toBeVisible();
    const next = course.lessons[index + 1];
    if (index === 0) {
      await page.getByRole("link", { name: "← Course outline" }).click();
      await expect(page.getByRole("progressbar", { name: "Your progress" })).toHaveAttribute("aria-valuenow", "33");
      await page.getByRole("link", { name: "Continue learning" }).click();
      await expect(page).toHaveURL(new RegExp(`/lessons/${next!.id}$`));
    } else if (next) {
      await page.getByRole("link", { name: `Next: ${next.title} →` }).click();
    }
  }
  await expect(page.getByRole("link", { name: /Previous: Setting up/ })).toBeVisible();

  await page.getByRole("link", { name: "My courses" }).click();
  const progress = page.getByRole("progressbar", { name: `Progress in ${course.title}` });
  await expect(progress).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByText("100%")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "my-courses");
});

test("a signed-out visitor sent to My courses logs in and comes back", async ({ page, request }) => {
  const username = unique("back");
  const email = `${username}@example.com`;
  const registered = await request.post("/api/users/register/", { data: { username, email, password: PASSWORD } });
  expect(registered.status()).toBe(201);

  await page.goto("/my-courses");
  await expect(page).toHaveURL(/\/login\?next=%2Fmy-courses/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();

  await expect(page.getByRole("heading", { name: "My courses" })).toBeVisible();
});
