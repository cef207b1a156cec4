import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserUnavailableReason,
  launchChromium,
  openWatchedPage,
} from "../test-support/browser/chromium.js";
import { screenshot } from "../test-support/browser/screenshots.js";
import { startUiWorld, type UiWorld } from "../test-support/browser/ui-world.js";

const unavailable = browserUnavailableReason();

describe.skipIf(unavailable !== null)("dashboard in Chromium", () => {
  let browser: Browser;
  let world: UiWorld;

  beforeAll(async () => {
    // Only Run now may start a run here: the demo's watcher and every-minute cron would
    // otherwise race it for the dropped photo.
    const manualOnly = (yaml: string): string => {
      const edited = yaml
        .replace(/^ {2}watch: true\b/m, "  watch: false")
        .replace(/^ {2}cron: "\* \* \* \* \*"/m, "  cron: null");
      if (!edited.includes("watch: false") || !edited.includes("cron: null"))
        throw new Error("the demo config's schedule changed: update this test's edit");
      return edited;
    };
    [browser, world] = await Promise.all([
      launchChromium(),
      startUiWorld({ editConfig: manualOnly }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  it(
    "Run now ferries the sample photos, shows progress live, and the run lands in the list",
    { timeout: 90_000 },
    async () => {
      const { page, consoleErrors, foreignRequests, context } = await openWatchedPage(
        browser,
        world.url,
      );
      await page.goto("/");
      await expect
        .poll(() => page.getByRole("status").first().textContent())
        .toMatch(/Idle|Running/);

      // Wait for the startup scan to finish, then give Run now something new to ferry.
      await expect
        .poll(() => page.getByRole("status").first().textContent(), { timeout: 60_000 })
        .toMatch(/Idle/);
      world.sandbox.dropPhoto();
      await page.getByRole("button", { name: "Run now" }).click();
      const lastRuns = page.getByRole("region", { name: "Last runs" });
      const webUiRun = lastRuns.getByRole("row").filter({ hasText: "web UI" }).first();
      await webUiRun.waitFor({ timeout: 30_000 });
      await expect
        .poll(() => webUiRun.getByRole("cell").nth(2).textContent(), { timeout: 60_000 })
        .toBe("ok");
      expect(Number(await webUiRun.getByRole("cell").nth(3).textContent())).toBeGreaterThan(0);
      await expect
        .poll(() => page.getByText("Idle: watching for new photos.").isVisible())
        .toBe(true);
      await screenshot(page, "dashboard");

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole("button", { name: "Menu" }).click();
      await expect
        .poll(() => page.getByRole("navigation", { name: "Main" }).isVisible())
        .toBe(true);
      await screenshot(page, "dashboard-phone");

      expect(consoleErrors).toEqual([]);
      expect(foreignRequests).toEqual([]);
      await context.close();
    },
  );
});
