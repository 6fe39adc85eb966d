import {
  ADMIN,
  PASSWORD,
  expect,
  expectAccessible,
  expectAccessibleAt375,
  logInThroughUi,
  loginThroughApi,
  payThroughApi,
  registerThroughApi,
  seedCourse,
  snap,
  test,
} from "./fixtures";

test("an admin refunds a payment, and the student loses access to the lessons at once", async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const course = await seedCourse(request, { price: "49.00" });
  const student = await registerThroughApi(request);
  const { paymentId } = await payThroughApi(request, student, course.id);
  const paidLesson = course.lessons.find((lesson) => !lesson.isPreview)!;

  // The student, in their own browser, reads a paid lesson.
  const studentContext = await browser.newContext({ baseURL });
  await studentContext.route(
    (url) => !url.href.startsWith(baseURL!),
    (route) => route.abort("blockedbyclient"),
  );
  const studentPage = await studentContext.newPage();
  await logInThroughUi(studentPage, student.email, PASSWORD);
  await studentPage.goto(`/courses/${course.id}/lessons/${paidLesson.id}`);
  await expect(studentPage.getByRole("heading", { level: 1, name: paidLesson.title })).toBeVisible();

  // The admin logs in, finds the student, and from them their payment.
  await logInThroughUi(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await page.getByLabel("Search username or email").fill(student.username);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`/manage/users\\?search=${student.username}$`));
  await expect(page.getByText("1 user", { exact: true })).toBeVisible();
  await expectAccessible(page);
  await snap(page, "admin-users");

  await page.getByRole("link", { name: `Payments of ${student.username}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
  await expect(page.getByLabel("Student id")).not.toHaveValue("");
  const row = page.getByRole("row").filter({ hasText: course.title });
  await expect(row.getByText("succeeded")).toBeVisible();
  await expectAccessible(page);

  // Refunding asks first; the refund then shows at once.
  await row.getByRole("button", { name: `Refund payment ${paymentId}` }).click();
  const question = row.getByRole("group", { name: /Refund \$49\.00/ });
  await expect(question).toContainText("their enrollment ends at once");
  await expect(question.getByRole("button", { name: "Yes, refund" })).toBeFocused();
  await expectAccessible(page);
  await snap(page, "admin-refund-confirm");
  await question.getByRole("button", { name: "Yes, refund" }).click();
  await expect(row.getByRole("status")).toHaveText("Refunded.");
  await expect(row.getByText("refunded", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: /Refund payment/ })).toHaveCount(0);
  await expectAccessible(page);
  await expectAccessibleAt375(page);
  await snap(page, "admin-payments");

  // The student's lesson, reloaded, is refused: 403 enrollment_required, at once.
  const [lessonResponse] = await Promise.all([
    studentPage.waitForResponse((response) => new URL(response.url()).pathname === `/api/lessons/${paidLesson.id}/`),
    studentPage.reload(),
  ]);
  expect(lessonResponse.status()).toBe(403);
  expect(((await lessonResponse.json()) as { code: string }).code).toBe("enrollment_required");
  await expect(studentPage.getByRole("alert")).toContainText("This lesson is for students enrolled in the course.");
  await expect(studentPage.getByRole("heading", { level: 1, name: paidLesson.title })).toHaveCount(0);
  await expectAccessible(studentPage);

  // The refund is in the payment's history.
  await row.getByRole("link", { name: `History of payment ${paymentId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/manage/audit\\?entity=payment&entity_id=${paymentId}$`));
  await expect(page.getByRole("cell", { name: "succeeded → refunded" })).toBeVisible();
  await studentContext.close();
});

test("an admin grants an enrollment and ends it, promotes a user, and finds the changes in the audit log", async ({
  page,
  request,
}) => {
  const course = await seedCourse(request, { price: "25.00" });
  const student = await registerThroughApi(request);
  const colleague = await registerThroughApi(request, { prefix: "colleague" });
  const adminToken = await loginThroughApi(request, ADMIN.email, ADMIN.password);
  const me = (await (await request.get("/api/users/me/", { headers: { Authorization: `Bearer ${adminToken}` } })).json()) as {
    id: number;
  };

  await logInThroughUi(page, ADMIN.email, ADMIN.password);
  await page.goto("/manage/enrollments");
  await expect(page.getByRole("heading", { level: 1, name: "Enrollments" })).toBeVisible();

  // Granting without a choice: the API's messages appear next to both fields.
  await page.getByRole("button", { name: "Grant enrollment" }).click();
  await expect(page.getByLabel("Student", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Course", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);

  // Grant: find the student and the course, pick them.
  await page.getByLabel("Find a student").fill(student.username);
  const studentOption = page.getByRole("option", { name: new RegExp(`^${student.username} \\(${student.email}\\), #\\d+$`) });
  await expect(studentOption).toBeAttached();
  const studentId = (await studentOption.getAttribute("value"))!;
  await page.getByLabel("Student", { exact: true }).selectOption(studentId);
  await page.getByLabel("Find a course").fill(course.title);
  await expect(page.getByLabel("Course", { exact: true }).getByRole("option")).toHaveCount(2); // the search's one match
  await page.getByLabel("Course", { exact: true }).selectOption(String(course.id));
  await page.getByRole("button", { name: "Grant enrollment" }).click();
  const granted = page.getByRole("status").filter({ hasText: "Enrolled" });
  await expect(granted).toContainText(`Enrolled ${student.username} (${student.email})`);
  await expect(granted).toContainText(`in “${course.title}”`);
  const enrollmentId = Number(/enrollment (\d+)\)/.exec((await granted.textContent())!)![1]);

  // Granting again is refused by the API (409), and said so.
  await page.getByRole("button", { name: "Grant enrollment" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "already_enrolled" })).toContainText("HTTP 409");

  // End it, after a confirmation, from the list filtered to the course.
  await page.getByLabel("Course id").fill(String(course.id));
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`/manage/enrollments\\?course=${course.id}$`));
  const row = page.getByRole("row").filter({ hasText: course.title });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("link", { name: `Student #${studentId}` })).toBeVisible();
  await expect(row.getByText("Granted by an admin")).toBeVisible();
  await expectAccessible(page);
  await expectAccessibleAt375(page);
  await snap(page, "admin-enrollments");
  await row.getByRole("button", { name: `End enrollment ${enrollmentId}` }).click();
  await row.getByRole("button", { name: "Yes, end it" }).click();
  await expect(row.getByRole("status")).toHaveText("Ended.");
  await expect(row.getByText(/^Ended /)).toBeVisible();

  // Promote a user to instructor; the users list filtered by role shows it.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
  await page.getByLabel("Search username or email").fill(colleague.username);
  await page.getByRole("button", { name: "Apply filters" }).click();
  const userRow = page.getByRole("row").filter({ hasText: colleague.username });
  await userRow.getByLabel(`New role for ${colleague.username}`).selectOption("instructor");
  await userRow.getByRole("button", { name: `Change role of ${colleague.username}` }).click();
  await expect(userRow.getByRole("cell", { name: "Instructor", exact: true })).toBeVisible();
  await page.getByLabel("Role", { exact: true }).selectOption("instructor");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/role=instructor/);
  await expect(page.getByRole("row").filter({ hasText: colleague.username })).toBeVisible();

  // An admin cannot change their own role: the API's 409 shows in the row.
  await page.goto("/manage/users?role=admin&search=e2e-admin");
  const myRow = page.getByRole("row").filter({ hasText: "e2e-admin" });
  await myRow.getByLabel("New role for e2e-admin").selectOption("student");
  await myRow.getByRole("button", { name: "Change role of e2e-admin" }).click();
  await expect(myRow.getByRole("alert")).toContainText("(HTTP 409, self_change)");

  // The audit log, filtered to this admin's changes of the enrollment: granted, then ended.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await page.getByLabel("What changed").selectOption("enrollment");
  await page.getByLabel("Its id").fill(String(enrollmentId));
  await page.getByLabel("Actor (user id)").fill(String(me.id));
  await page.getByLabel("Via").selectOption("api");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(
    new RegExp(`/manage/audit\\?entity=enrollment&entity_id=${enrollmentId}&actor=${me.id}&via=api$`),
  );
  const records = page.getByRole("table", { name: "Audit records" }).getByRole("row");
  await expect(records).toHaveCount(3); // the header and two records
  await expect(records.nth(1)).toContainText("active → ended");
  await expect(records.nth(2)).toContainText("(new) → active");
  await expect(records.nth(1)).toContainText("(you)");

  // The filters live in the URL: a reload keeps them.
  await page.reload();
  await expect(page.getByLabel("Its id")).toHaveValue(String(enrollmentId));
  await expect(records).toHaveCount(3);
  await expectAccessible(page);
  await expectAccessibleAt375(page);
  await snap(page, "admin-audit");

  // A filter the API refuses is shown at its field.
  await page.getByLabel("Its id").fill("not-a-number");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByLabel("Its id")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
});
