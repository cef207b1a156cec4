import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNtfyStandin, type NtfyStandin } from "../notify/test-support/ntfy-standin.js";
import {
  browserUnavailableReason,
  launchChromium,
  openWatchedPage,
  type WatchedPage,
} from "../test-support/browser/chromium.js";
import { screenshot } from "../test-support/browser/screenshots.js";
import { startUiWorld, type UiWorld } from "../test-support/browser/ui-world.js";

const unavailable = browserUnavailableReason();
/** expect.poll gives up after 1 s by default: too little for a loaded CI machine. */
const soon = { timeout: 10_000 };

/** Notifications, Connections and Security against `photoferry serve` on the demo sandbox. */
describe.skipIf(unavailable !== null)("ops pages in Chromium", () => {
  let browser: Browser;
  let world: UiWorld;
  let ntfy: NtfyStandin;

  beforeAll(async () => {
    ntfy = await startNtfyStandin();
    const notify = `\nnotify:\n  ntfy:\n    url: ${JSON.stringify(ntfy.url)}\n    topic: photoferry-ui\n`;
    [browser, world] = await Promise.all([
      launchChromium(),
      startUiWorld({ editConfig: (yaml) => yaml + notify }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await world?.stop();
    await ntfy?.close();
  });

  const open = async (path: string, options: { colorScheme?: "dark" } = {}) => {
    const watched = await openWatchedPage(browser, world.url, options);
    await watched.page.goto(path);
    return watched;
  };
  /** `expected`: refusals the test provoked on purpose (Chromium logs every 4xx it fetched). */
  const assertClean = async (watched: WatchedPage, expected: RegExp[] = []) => {
    const unexpected = watched.consoleErrors.filter(
      (line) => !expected.some((pattern) => pattern.test(line)),
    );
    expect(unexpected).toEqual([]);
    expect(watched.foreignRequests).toEqual([]);
    await watched.context.close();
  };
  /** Full-page pictures from the top: the sticky top bar otherwise lands mid-page. */
  const picture = async (page: Page, name: string) => {
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, name);
  };
  const fieldError = (page: Page, id: string) => page.locator(`#${id}-error`);

  it(
    "Notifications: saves only what changed, shows a refused value beside its field, and Send test reaches ntfy",
    { timeout: 60_000 },
    async () => {
      const watched = await open("/notifications");
      const { page } = watched;
      const url = page.getByLabel("Server URL");
      await expect.poll(() => url.inputValue(), soon).toBe(ntfy.url);
      expect(await page.getByLabel("Topic").inputValue()).toBe("photoferry-ui");

      // A topic the schema refuses: the 422 problem appears beside the field.
      await page.getByLabel("Topic").fill("not a topic!");
      await page.getByRole("button", { name: "Save" }).click();
      await expect
        .poll(() => fieldError(page, "ntfy-topic").textContent(), soon)
        .toMatch(/letters, digits/);
      expect(await page.getByLabel("Topic").getAttribute("aria-invalid")).toBe("true");

      await page.getByLabel("Topic").fill("photoferry-ui");
      await page.locator("#ntfy-level").selectOption("info");
      await page.getByRole("button", { name: "Save" }).click();
      await expect.poll(() => page.getByText("Saved.").isVisible(), soon).toBe(true);
      expect(await page.locator("#ntfy-level").inputValue()).toBe("info");

      await page.getByRole("button", { name: "Send test" }).click();
      const result = page.locator("#notify-test-result");
      await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/ntfy/);
      expect(await result.textContent()).toContain("✓");
      expect(ntfy.messages).toHaveLength(1);
      expect(ntfy.messages[0]).toMatchObject({
        topic: "photoferry-ui",
        title: "photoferry test notification",
      });
      await picture(page, "notifications");
      await assertClean(watched, [/status of 422 .*\/api\/config\)$/]);
    },
  );

  it(
    "Connections: each test lists its checks and says how the app is reached",
    { timeout: 60_000 },
    async () => {
      const watched = await open("/connections");
      const { page } = watched;
      await expect
        .poll(() => page.getByText("occ as a local program on this machine").isVisible(), soon)
        .toBe(true);
      await page.getByRole("button", { name: "Test Nextcloud" }).click();
      const nextcloud = page.getByRole("list", { name: "Nextcloud results" });
      await nextcloud.waitFor({ timeout: 30_000 });
      const lines = await nextcloud.getByRole("listitem").allTextContents();
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.some((line) => /OK: .*occ status/.test(line))).toBe(true);

      await page.getByRole("button", { name: "Test PhotoPrism" }).click();
      const photoprism = page.getByRole("list", { name: "PhotoPrism results" });
      await photoprism.waitFor({ timeout: 30_000 });
      expect((await photoprism.getByRole("listitem").allTextContents()).join("\n")).toMatch(/OK: /);
      await picture(page, "connections");
      await assertClean(watched);
    },
  );

  it(
    "Security: a token is shown once, works, is revoked after confirming, and the audit log lists it",
    { timeout: 60_000 },
    async () => {
      const watched = await open("/security");
      const { page } = watched;
      await expect
        .poll(() => page.getByText("No password", { exact: true }).isVisible(), soon)
        .toBe(true);
      await expect.poll(() => page.getByText("No API tokens yet.").isVisible(), soon).toBe(true);

      // Empty name: refused before anything is sent.
      await page.getByRole("button", { name: "Create token" }).click();
      expect(await fieldError(page, "token-name").textContent()).toMatch(/Give the token a name/);

      await page.getByLabel("New token name").fill("grafana");
      await page.getByLabel("Rights").selectOption("read");
      await page.getByRole("button", { name: "Create token" }).click();
      const secret = (await page.locator("code.new-token").textContent()) ?? "";
      expect(secret.length).toBeGreaterThan(20);
      const status = await fetch(`${world.url}/api/status`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(status.status).toBe(200);

      const row = page
        .getByRole("table", { name: "API tokens" })
        .getByRole("row")
        .filter({ hasText: "grafana" });
      await row.waitFor();
      // The audit log below reloads by itself after a token change.
      const audit = page.getByRole("table", { name: "Audit log, newest first" });
      await expect.poll(() => audit.textContent(), soon).toContain("Token created");
      await picture(page, "security");
      // A phone: nothing may stick out sideways (tables scroll inside their own box).
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByLabel("Theme").selectOption("retro");
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      await picture(page, "security-phone-retro");
      await page.setViewportSize({ width: 1280, height: 860 });

      await page.getByRole("button", { name: "I have stored it" }).click();
      expect(await page.locator("code.new-token").count()).toBe(0);

      await row.getByRole("button", { name: "Revoke grafana" }).click();
      await row.getByRole("button", { name: "Yes, revoke" }).click();
      await expect.poll(() => page.getByText("No API tokens yet.").isVisible(), soon).toBe(true);
      const after = await fetch(`${world.url}/api/status`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(after.status).toBe(401);

      await page.getByLabel("Show").selectOption("token-revoke");
      await expect.poll(() => audit.getByRole("row").count(), soon).toBe(2);
      expect(await audit.textContent()).toContain("Token revoked");
      await assertClean(watched);
    },
  );

  it(
    "retro theme: a failed Send test opens the terminal alert; dark dashboard",
    { timeout: 60_000 },
    async () => {
      const watched = await open("/notifications");
      const { page } = watched;
      await page.getByLabel("Theme").selectOption("retro");
      // Port 9 (discard) on loopback: nothing listens, so ntfy cannot be reached.
      await page.getByLabel("Server URL").fill("http://127.0.0.1:9");
      await page.getByRole("button", { name: "Save" }).click();
      await expect.poll(() => page.getByText("Saved.").isVisible(), soon).toBe(true);
      await page.getByRole("button", { name: "Send test" }).click();

      const alert = page.getByRole("dialog", { name: /TEST NOTIFICATION FAILED/ });
      await alert.waitFor({ timeout: 20_000 });
      await expect.poll(() => alert.locator(".typewriter.done").count(), soon).toBe(1);
      expect(await alert.textContent()).toContain("PRIORITY ALERT");
      expect(await page.locator("#error-message").textContent()).toMatch(/ntfy/);
      await picture(page, "retro-error");
      await page.getByRole("button", { name: "ACKNOWLEDGE_" }).click();
      expect(await alert.isVisible()).toBe(false);
      expect(await page.locator("#notify-test-result").textContent()).toContain("✗");
      await assertClean(watched);

      const dark = await open("/", { colorScheme: "dark" });
      await dark.page.getByLabel("Theme").selectOption("dark");
      await expect
        .poll(() => dark.page.getByRole("region", { name: "Totals" }).isVisible(), soon)
        .toBe(true);
      await picture(dark.page, "dashboard-dark");
      await assertClean(dark);
    },
  );
});
