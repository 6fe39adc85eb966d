import {
  ADMIN,
  PASSWORD,
  expect,
  expectAccessible,
  loginThroughApi,
  pdfText,
  seedCourse,
  snap,
  strangerPage,
  test,
  unique,
} from "./fixtures";

test("register, log in, enroll in a free course, complete its lessons, see 100%, get and verify the certificate", async ({
  page,
  request,
  context,
  browser,
  baseURL,
}) => {
  const course = await seedCourse(request);
  // The name on the certificate is the username (the API has no other name a student can set),
  // with letters beyond Latin-1 that the PDF's font must render.
  const username = unique("Zoë_Ångström-Łukasz_");
  const email = `${unique("student")}@example.com`;

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

  // Completing the course issued a certificate (rendered at once here: no Redis, so no worker).
  await page.getByRole("link", { name: "Your certificate" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "My certificates" })).toBeVisible();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: course.title }) });
  await expect(card.getByText("✓ Valid")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "certificates");

  // Copy the public link: the button says so, and the clipboard holds this site's /verify/{code}.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
  await card.getByRole("button", { name: "Copy link" }).click();
  await expect(card.getByRole("status")).toHaveText("Link copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`^${baseURL}/verify/[A-Za-z0-9_-]{32}$`));
  const code = link.split("/").pop()!;

  // The PDF carries the name, the course and that code.
  const [pdf] = await Promise.all([
    page.waitForEvent("download"),
    card.getByRole("button", { name: "Download PDF" }).click(),
  ]);
  expect(pdf.suggestedFilename()).toMatch(/^certificate-.+\.pdf$/);
  const text = pdfText(await pdf.path());
  expect(text).toContain(username);
  expect(text).toContain(course.title);
  expect(text).toContain(`Code: ${code}`);

  // A stranger, signed in nowhere, opens the link: valid, with the name, course and date.
  const stranger = await strangerPage(browser, baseURL!);
  await stranger.goto(link);
  await expect(stranger.getByRole("heading", { name: "Valid certificate" })).toBeVisible();
  await expect(stranger.getByText(username)).toBeVisible();
  await expect(stranger.getByText(course.title)).toBeVisible();
  await expect(stranger.getByRole("link", { name: "Log in" })).toBeVisible();
  await expectAccessible(stranger);
  await snap(stranger, "verify-valid");

  // The admin ends the enrollment: the certificate is revoked, and the same page says so.
  const admin = { Authorization: `Bearer ${await loginThroughApi(request, ADMIN.email, ADMIN.password)}` };
  const all = await request.get("/api/certificates/", { headers: admin, params: { page_size: 100 } });
  const issued = ((await all.json()) as { results: { code: string; enrollment: number }[] }).results.find(
    (certificate) => certificate.code === code,
  );
  expect((await request.delete(`/api/enrollments/${issued!.enrollment}/`, { headers: admin })).status()).toBe(204);
  await stranger.reload();
  await expect(stranger.getByRole("heading", { name: "Revoked certificate" })).toBeVisible();
  await expect(stranger.getByText(username)).toBeVisible();
  await expectAccessible(stranger);
  await snap(stranger, "verify-revoked");
  await stranger.context().close();

  // The student's page, loaded before, offers the download: it is refused, with the reason.
  await card.getByRole("button", { name: "Download PDF" }).click();
  await expect(card.getByRole("alert")).toHaveText("This certificate was revoked.");
  await expect(card.getByText("✕ Revoked")).toBeVisible();
  await expect(card.getByRole("button", { name: "Download PDF" })).toHaveCount(0);
  await expectAccessible(page);

  // An unknown code is not found.
  await page.goto(`/verify/${"x".repeat(32)}`);
  await expect(page.getByRole("heading", { name: "Certificate not found" })).toBeVisible();
  await expectAccessible(page);
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
