import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";

// Guards expectAccessible: the axe run the journeys rely on does report a serious violation.
test("axe reports an unlabelled field and low-contrast text as serious", async ({ page }) => {
  await page.setContent(
    '<html lang="en"><title>bad</title><main><input type="text"><p style="color:#bbb;background:#fff">faint</p></main></html>',
  );

  const results = await new AxeBuilder({ page }).analyze();

  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  expect(serious).toEqual(expect.arrayContaining(["label", "color-contrast"]));
});
