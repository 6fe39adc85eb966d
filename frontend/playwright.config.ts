import { execFileSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";

// The end-to-end suite: Debian's Chromium (apt-get install chromium; Playwright's own browser
// download does not work here) against the built app, served by a fresh server on free ports
// (scripts/e2e_server.py). `make test-e2e` builds the app first.
function freePort(): string {
  return execFileSync("python3", [
    "-c",
    "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
  ])
    .toString()
    .trim();
}

// Chosen once: the workers inherit the variable instead of choosing another port.
process.env.LMS_E2E_PORT ??= freePort();
// localstripe's port, so tests can pay an intent there as Stripe.js would (fixtures.ts).
process.env.LMS_E2E_LOCALSTRIPE_PORT ??= freePort();
const port = process.env.LMS_E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: {
    command: `${process.env.PYTHON ?? "../.venv/bin/python"} ../scripts/e2e_server.py ${port}`,
    url: `${baseURL}/api/health/`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
