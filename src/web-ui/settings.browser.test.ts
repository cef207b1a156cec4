import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  browserUnavailableReason,
  launchChromium,
  openWatchedPage,
  type WatchedPage,
} from "../test-support/browser/chromium.js";
import { screenshot } from "../test-support/browser/screenshots.js";
import { startUiWorld, type UiWorld } from "../test-support/browser/ui-world.js";

const unavailable = browserUnavailableReason();

interface DemoConfig {
  nextcloud: { users?: { include?: string[]; exclude?: string[] } };
  schedule: { cron: string | null; folders?: unknown[]; settleSeconds: number };
}

/** Settings and Users against `photoferry serve` on the demo sandbox (anna, bob, o'brien jr). */
describe.skipIf(unavailable !== null)("settings and users in Chromium", () => {
  let browser: Browser;
  let world: UiWorld;

  beforeAll(async () => {
    [browser, world] = await Promise.all([launchChromium(), startUiWorld()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  const fileText = () => readFileSync(world.sandbox.configPath, "utf8");
  const fileConfig = () => parse(fileText()) as DemoConfig;
  const commentLines = (text: string) =>
    text.split("\n").filter((line) => line.trim().startsWith("#") || / #\s/.test(line));
  const expectCommentsKept = (before: string, after: string) => {
    const lines = new Set(after.split("\n"));
    for (const line of commentLines(before).filter((l) => l.trim().startsWith("#"))) {
      expect(lines.has(line), line).toBe(true);
    }
    // Inline comments stay with their key, even on lines whose value changed.
    for (const line of commentLines(before)) {
      const comment = line.slice(line.indexOf("#"));
      expect(after).toContain(comment);
    }
  };
  const open = async (path: string): Promise<WatchedPage> => {
    const watched = await openWatchedPage(browser, world.url);
    await watched.page.goto(path);
    return watched;
  };
  /** `expected`: the one console line a refused save causes (Chromium logs every 4xx). */
  const assertClean = async (watched: WatchedPage, expected: RegExp[] = []) => {
    const unexpected = watched.consoleErrors.filter(
      (line) => !expected.some((pattern) => pattern.test(line)),
    );
    expect(unexpected).toEqual([]);
    expect(watched.consoleErrors.length - unexpected.length).toBe(expected.length);
    expect(watched.foreignRequests).toEqual([]);
    await watched.context.close();
  };

  it(
    "Users: switching bob off writes him into exclude, keeps every comment, and the table follows",
    { timeout: 60_000 },
    async () => {
      const before = fileText();
      const watched = await open("/users");
      const { page } = watched;
      const bob = page.getByRole("switch", { name: "Sync bob" });
      await bob.waitFor();
      expect(await page.getByRole("row").count()).toBe(4);
      await expect.poll(() => bob.isChecked()).toBe(true);

      await bob.click();
      await page.getByText("bob is no longer synced").waitFor();
      expect(fileConfig().nextcloud.users?.exclude).toEqual(["bob"]);
      expectCommentsKept(before, fileText());
      await expect.poll(() => bob.isChecked(), { timeout: 20_000 }).toBe(false);
      await expect
        .poll(() => page.getByRole("row").filter({ hasText: "bob" }).textContent())
        .toContain("excluded by pattern 'bob'");
      await screenshot(page, "users");
      await page.getByLabel("Theme").selectOption("dark");
      await screenshot(page, "users-dark");

      // And back on: bob leaves exclude; include ["*"] already matches him.
      await bob.click();
      await page.getByText("bob is included").waitFor();
      expect(fileConfig().nextcloud.users).toMatchObject({ exclude: [] });
      await expect.poll(() => bob.isChecked(), { timeout: 20_000 }).toBe(true);
      await assertClean(watched);
    },
  );

  it(
    "Settings: a cron preset is described, its next runs listed, and only that key is saved",
    { timeout: 60_000 },
    async () => {
      const before = fileText();
      const watched = await open("/settings");
      const { page } = watched;
      await page.getByText("Schedule", { exact: true }).click();
      const cron = page.locator("#cfg-schedule-cron");
      await expect.poll(() => cron.inputValue()).toBe("* * * * *");
      await expect.poll(() => page.getByText("Runs every minute.").isVisible()).toBe(true);

      await page.locator("#cfg-schedule-cron-preset").selectOption({ label: "Nightly at 03:00" });
      expect(await cron.inputValue()).toBe("0 3 * * *");
      await page.getByText("Runs every day at 03:00.").waitFor();
      const nextRuns = page
        .locator("#cfg-schedule-cron")
        .locator("xpath=../..")
        .locator(".cron-next li");
      expect(await nextRuns.count()).toBe(5);
      expect(await nextRuns.first().textContent()).toMatch(/3:00|03:00/);
      await page.getByText("1 changed key.").waitFor();

      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByText("Saved 1 change.").waitFor();
      const after = fileText();
      expect(fileConfig().schedule.cron).toBe("0 3 * * *");
      // Only the cron line differs.
      const changed = after.split("\n").filter((line, index) => line !== before.split("\n")[index]);
      expect(changed).toEqual([
        expect.stringMatching(/^ {2}cron: "0 3 \* \* \*" +# and a full pass/),
      ]);
      expectCommentsKept(before, after);
      await screenshot(page, "settings");
      await assertClean(watched);
    },
  );

  it(
    "Settings: a bad cron and a negative number are refused in the browser, a server refusal shows at its field, and the file stays byte for byte",
    { timeout: 60_000 },
    async () => {
      const before = readFileSync(world.sandbox.configPath);
      const watched = await open("/settings");
      const { page } = watched;
      await page.getByText("Schedule", { exact: true }).click();
      const cron = page.locator("#cfg-schedule-cron");
      await cron.waitFor();

      await cron.fill("every night");
      await expect
        .poll(() => page.locator("#cfg-schedule-cron-error").textContent())
        .toMatch(/Cron is not a cron expression/);
      expect(await cron.getAttribute("aria-invalid")).toBe("true");
      const settle = page.locator("#cfg-schedule-settleSeconds");
      await settle.fill("-5");
      expect(await page.locator("#cfg-schedule-settleSeconds-error").textContent()).toContain(
        "must be at least 0",
      );
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByText("Not saved: 2 fields have a value photoferry cannot use.").waitFor();
      await screenshot(page, "settings-invalid");
      await page.getByLabel("Theme").selectOption("retro");
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "settings-invalid-retro-phone");
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(readFileSync(world.sandbox.configPath).equals(before)).toBe(true);

      // Valid to the browser, refused by the server: a folder that is not a source folder.
      await cron.fill("0 3 * * *");
      await settle.fill("30");
      await page.getByRole("button", { name: "Add a folder schedule" }).click();
      await page.getByLabel("Folder 1", { exact: true }).fill("Nope");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      const foldersError = page.locator("#cfg-schedule-folders-error");
      await foldersError.waitFor();
      expect(await foldersError.textContent()).toContain("'Nope' is not one of the source folders");
      await page.getByText(/Not saved: the change would make the config invalid/).waitFor();
      expect(readFileSync(world.sandbox.configPath).equals(before)).toBe(true);
      await assertClean(watched, [/status of 422 .*\/api\/config\)$/]);
    },
  );
});
