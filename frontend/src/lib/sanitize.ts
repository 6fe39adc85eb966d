import DOMPurify from "dompurify";

/** A lesson's HTML (the server's `body_html`), sanitized again in the browser whatever the server did. */
export function sanitizeLessonHtml(html: string): string {
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
