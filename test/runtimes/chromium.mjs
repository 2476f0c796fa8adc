// Starts Debian's headless Chromium through playwright-core with a fresh profile directory
// (playwright refuses --user-data-dir in launch(), so launchPersistentContext takes it).
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumArgs = [
  "--headless", "--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--enable-unsafe-webgpu",
];

export function chromiumAvailable() {
  return existsSync(chromiumPath);
}

/** Runs fn(context) with a fresh browser; always closes it and removes the profile. */
export async function withChromium(fn, { viewport = { width: 1100, height: 760 } } = {}) {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "tinyjax-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args: chromiumArgs, viewport, timeout: 60_000,
  });
  try {
    return await fn(context);
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Polls fn in the page until it returns a truthy value (no string eval, so it works under CSP). */
export async function waitForValue(page, fn, { timeout = 60_000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Loads the smoke page for one bundle and returns its summary, with the page's console lines. */
export async function browserSmoke(baseUrl, bundle = "/dist/tinyjax.min.js", { timeout = 60_000 } = {}) {
  return withChromium(async (context) => {
    const page = await context.newPage();
    const logs = [];
    page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(`${baseUrl}/test/runtimes/browser.html?bundle=${encodeURIComponent(bundle)}`);
    const summary = await waitForValue(page, () => window.__smoke, { timeout });
    summary.runtime = `chromium ${context.browser()?.version() ?? ""}`.trim();
    return { summary, logs };
  });
}
