import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

/**
 * `npm run screenshots` sets PHOTOFERRY_SCREENSHOTS=docs so the pictures in the README are
 * refreshed; ordinary test runs write them under .tmp/ where git does not look.
 */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL(
    process.env.PHOTOFERRY_SCREENSHOTS === "docs"
      ? "../../../docs/screenshots/"
      : "../../../.tmp/screenshots/",
    import.meta.url,
  ),
);

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  // A full-page capture of a scrolled page draws the sticky top bar mid-page.
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path, fullPage: true });
  return path;
}
