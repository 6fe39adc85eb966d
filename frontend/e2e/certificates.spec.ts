import {
  ADMIN,
  PASSWORD,
  expect,
  expectAccessible,
  loginThroughApi,
  payThroughApi,
  registerThroughApi,
  seedCourse,
  test,
} from "./fixtures";

test("a refund revokes the certificate of a paid course: the verification page says so and the PDF is refused", async ({
  page,
  request,
}) => {
  const course = await seedCourse(request, { price: "30.00" });
  const student = await registerThroughApi(request);
  const { paymentId } = await payThroughApi(request, student, course.id);
  const headers = { Authorization: `Bearer ${student.access}` };
  for (const lesson of course.lessons) {
    expect((await request.post(`/api/lessons/${lesson.id}/complete/`, { headers })).ok()).toBe(true);
  }

  // The student logs in; the course page links to the certificate, which is valid.
  await page.goto(`/login?next=/courses/${course.id}`);
  await page.getByLabel("Email").fill(student.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByText("You completed this course.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "See your certificate" }).click();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: course.title }) });
  await expect(card.getByText("✓ Valid")).toBeVisible();
  await card.getByRole("link", { name: "See the public verification page" }).click();
  await expect(page.getByRole("heading", { name: "Valid certificate" })).toBeVisible();
  const code = page.url().split("/").pop()!;

  // The admin refunds the payment.
  const admin = { Authorization: `Bearer ${await loginThroughApi(request, ADMIN.email, ADMIN.password)}` };
  const refund = await request.post(`/api/payments/${paymentId}/refund/`, { headers: admin });
  expect(refund.status(), await refund.text()).toBe(200);

  await page.reload();
  await expect(page.getByRole("heading", { name: "Revoked certificate" })).toBeVisible();
  await expect(page.getByText(course.title)).toBeVisible();
  await expectAccessible(page);

  // The student's list says revoked and offers no download; the API refuses it as well.
  await page.getByRole("link", { name: "Certificates" }).click();
  await expect(card.getByText("✕ Revoked")).toBeVisible();
  await expect(card.getByRole("button", { name: "Download PDF" })).toHaveCount(0);
  await expectAccessible(page);
  const mine = (await (await request.get("/api/certificates/", { headers })).json()) as {
    results: { id: number; code: string }[];
  };
  const certificate = mine.results.find((c) => c.code === code)!;
  const pdf = await request.get(`/api/certificates/${certificate.id}/pdf/`, { headers });
  expect(pdf.status()).toBe(410);
  expect(((await pdf.json()) as { code: string }).code).toBe("certificate_revoked");
});
