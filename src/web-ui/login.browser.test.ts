import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password-hash.js";
import {
  browserUnavailableReason,
  launchChromium,
  openWatchedPage,
} from "../test-support/browser/chromium.js";
import { screenshot } from "../test-support/browser/screenshots.js";
import { startUiWorld, type UiWorld } from "../test-support/browser/ui-world.js";

const unavailable = browserUnavailableReason();
const soon = { timeout: 10_000 };
const PASSWORD = "correct horse battery staple";

describe.skipIf(unavailable !== null)("login in Chromium", () => {
  let browser: Browser;
  let world: UiWorld;

  beforeAll(async () => {
    // A cheap scrypt cost: this test is about the UI, not the hash's strength.
    const hash = await hashPassword(PASSWORD, { ln: 4 });
    const withPassword = (yaml: string): string => {
      if (!/^web:\n/m.test(yaml)) throw new Error("the demo config has no web: section to extend");
      return yaml.replace(/^web:\n/m, `web:\n  auth:\n    passwordHash: ${JSON.stringify(hash)}\n`);
    };
    [browser, world] = await Promise.all([
      launchChromium(),
      startUiWorld({ editConfig: withPassword }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  it(
    "asks for the password, refuses a wrong one inline, keeps the session over a reload, and signs out",
    { timeout: 60_000 },
    async () => {
      const { page, consoleErrors, foreignRequests, context } = await openWatchedPage(
        browser,
        world.url,
      );
      await page.goto("/");
      const password = page.getByLabel("Password", { exact: true });
      await password.waitFor(soon);
      expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);
      await screenshot(page, "login");

      await password.fill("not the password");
      await page.getByRole("button", { name: "Sign in" }).click();
      const error = page.getByRole("alert");
      await expect.poll(() => error.textContent(), soon).toMatch(/not right/);
      expect(await password.getAttribute("aria-invalid")).toBe("true");
      expect(await password.getAttribute("aria-describedby")).toBe("login-error");

      await password.fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      const dashboard = page.getByRole("heading", { name: "Dashboard", level: 1 });
      await dashboard.waitFor(soon);

      await page.reload();
      await dashboard.waitFor(soon);
      expect(await password.count()).toBe(0);

      // The Security page knows how this browser signed in.
      await page.getByRole("link", { name: "Security" }).click();
      await expect
        .poll(() => page.getByText("Password set", { exact: true }).isVisible(), soon)
        .toBe(true);
      expect(await page.getByText("signed in with the web password").isVisible()).toBe(true);

      await page.getByRole("button", { name: "Sign out" }).click();
      await password.waitFor(soon);
      await page.reload();
      await password.waitFor(soon);

      // The wrong password was refused on purpose: Chromium logs that 401, and only that.
      expect(consoleErrors.filter((line) => !/status of 401 .*\/api\/login\)$/.test(line))).toEqual(
        [],
      );
      expect(consoleErrors).toHaveLength(1);
      expect(foreignRequests).toEqual([]);
      await context.close();
    },
  );
});
