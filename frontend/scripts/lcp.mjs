// The catalog page's first load in a real browser, for the benchmark (bench/run.py calls it):
//
//   node scripts/lcp.mjs http://127.0.0.1:8000/ [runs]
//
// Each run opens the page in a fresh browser context (an empty cache), waits until the network is
// idle, and reads Largest Contentful Paint from the browser's own PerformanceObserver and the
// JavaScript it transferred (compressed bytes on the wire). Prints one JSON line: the median LCP,
// every run's, and the JavaScript of the first run. Debian's Chromium, as the end-to-end suite.
import { chromium } from "playwright-core";

const [url, runsArg] = process.argv.slice(2);
if (!url) {
  console.error("usage: node scripts/lcp.mjs URL [runs]");
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
const lcps = [];
let jsBytes = 0;
try {
  for (let run = 0; run < runs; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "networkidle" });
    const measured = await page.evaluate(
      () =>
        new Promise((resolve) => {
          new PerformanceObserver((list) => {
            const entries = list.getEntries();
            const scripts = performance
              .getEntriesByType("resource")
              .filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"));
            resolve({
              lcp: entries[entries.length - 1].startTime,
              js: scripts.reduce((sum, entry) => sum + entry.transferSize, 0),
            });
          }).observe({ type: "largest-contentful-paint", buffered: true });
        }),
    );
    lcps.push(Math.round(measured.lcp));
    if (run === 0) jsBytes = measured.js;
    await context.close();
  }
} finally {
  await browser.close();
}
const sorted = [...lcps].sort((a, b) => a - b);
console.log(JSON.stringify({ url, lcp_ms: sorted[Math.floor(sorted.length / 2)], runs_ms: lcps, js_bytes: jsBytes }));
