import { describe, expect, it } from "vitest";
import { sanitizeLessonHtml } from "./sanitize";

describe("sanitizeLessonHtml", () => {
  it("keeps formatting and drops scripts and handlers", () => {
    const html = sanitizeLessonHtml('<p>Hi <strong>there</strong><img src="x" onerror="alert(1)"><script>alert(2)</script></p>');

    expect(html).toBe('<p>Hi <strong>there</strong><img src="x"></p>');
  });

  it("drops javascript: links", () => {
    expect(sanitizeLessonHtml('<a href="javascript:alert(1)">x</a>')).toBe("<a>x</a>");
  });
});
