import { expect, expectAccessible, seedCourse, test } from "./fixtures";

// External URLs are aborted (fixtures.ts), so the players never load here: the test checks the
// frame the app builds (its address and its title), not what YouTube or Vimeo would show in it.
test("a lesson's YouTube or Vimeo video plays in an embedded player; another address stays a link", async ({
  page,
  request,
}) => {
  const course = await seedCourse(request);
  const headers = { Authorization: `Bearer ${course.instructorAccess}` };
  const section = await request.post(`/api/courses/${course.id}/sections/`, { headers, data: { title: "Videos" } });
  expect(section.status()).toBe(201);
  const sectionId = ((await section.json()) as { id: number }).id;
  const videos = [
    { title: "On YouTube", url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10s" },
    { title: "On Vimeo", url: "https://vimeo.com/76979871" },
    { title: "A channel", url: "https://www.youtube.com/channel/UCdQw4w9WgXcQ" },
  ];
  const ids: number[] = [];
  for (const video of videos) {
    const created = await request.post(`/api/sections/${sectionId}/lessons/`, {
      headers,
      data: { title: video.title, kind: "video", video_url: video.url, is_preview: true },
    });
    expect(created.status()).toBe(201);
    ids.push(((await created.json()) as { id: number }).id);
  }

  const response = await page.goto(`/courses/${course.id}/lessons/${ids[0]}`);
  // The page may frame those two players and nothing else.
  expect(response!.headers()["content-security-policy"]).toContain(
    "frame-src 'self' https://player.vimeo.com https://www.youtube-nocookie.com",
  );
  await expect(page.getByRole("heading", { level: 1, name: "On YouTube" })).toBeVisible();
  const youtube = page.locator("iframe");
  await expect(youtube).toHaveAttribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
  await expect(youtube).toHaveAttribute("title", "Video: On YouTube");
  await expect(page.getByRole("link", { name: "Watch on YouTube (opens in a new tab)" })).toHaveAttribute(
    "href",
    videos[0]!.url,
  );
  await expectAccessible(page);

  await page.getByRole("link", { name: "Next: On Vimeo →" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "On Vimeo" })).toBeVisible();
  await expect(page.locator("iframe")).toHaveAttribute("src", "https://player.vimeo.com/video/76979871");
  await expect(page.locator("iframe")).toHaveAttribute("title", "Video: On Vimeo");

  // An allowed host, but not a video's address: a link, no frame.
  await page.getByRole("link", { name: "Next: A channel →" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "A channel" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Watch the video (opens in a new tab)" })).toHaveAttribute(
    "href",
    videos[2]!.url,
  );
  await expect(page.locator("iframe")).toHaveCount(0);
  await expectAccessible(page);
});
