import { copyFileSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserUnavailableReason,
  launchChromium,
  openWatchedPage,
} from "../test-support/browser/chromium.js";
import { screenshot } from "../test-support/browser/screenshots.js";
import { startUiWorld, type UiWorld } from "../test-support/browser/ui-world.js";

const unavailable = browserUnavailableReason();

/** PhotoPrism's import pauses this long per file, so a run is slow enough to watch live. */
const IMPORT_DELAY_MS = 2500;

function slowImport(yaml: string): string {
  const edited = yaml.replace(
    '"--originals-path"',
    `"--sim-delay-per-file-ms", "${IMPORT_DELAY_MS}", "--originals-path"`,
  );
  if (edited === yaml) throw new Error("the demo config no longer has --originals-path to hook");
  return edited;
}

async function stateBadge(page: Page): Promise<string | null> {
  return page.locator(".topbar").getByRole("status").first().textContent();
}

async function clickNav(page: Page, label: string): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
}

describe.skipIf(unavailable !== null)("queue, history and activity log in Chromium", () => {
  let browser: Browser;
  let world: UiWorld;

  beforeAll(async () => {
    [browser, world] = await Promise.all([
      launchChromium(),
      startUiWorld({ editConfig: slowImport }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await world?.stop();
  });

  it(
    "a run asked for while paused waits in the queue, then runs live, lands in History with its commands, and its file is found in the activity log and its CSV",
    { timeout: 180_000 },
    async () => {
      const { page, consoleErrors, foreignRequests, context } = await openWatchedPage(
        browser,
        world.url,
      );
      await page.goto("/");
      // The startup scan ferries the sample photos first; wait for it to end.
      await expect.poll(() => stateBadge(page), { timeout: 90_000 }).toBe("Idle");

      // Paused: Run now only queues, so the Queue page has something to show.
      await page.getByRole("button", { name: "Pause" }).click();
      await expect.poll(() => stateBadge(page)).toBe("Paused");
      const photo = world.sandbox.dropPhoto();
      const fileName = basename(photo);
      const userId = relative(world.sandbox.dataDir, photo).split(sep)[0] ?? "";
      // PhotoPrism would delete a name starting with "@": photoferry quarantines it instead.
      copyFileSync(photo, join(dirname(photo), "@party.jpg"));
      await page.getByRole("button", { name: "Run now" }).click();

      await clickNav(page, "Queue");
      const waiting = page.getByRole("region", { name: "Runs waiting" });
      const pendingRow = waiting.getByRole("row").filter({ hasText: "web UI" });
      await pendingRow.waitFor();
      expect(await pendingRow.textContent()).toContain("Manual");
      await screenshot(page, "queue-paused");

      // Resume from another tab: the Queue page must notice on its own.
      const other = await context.newPage();
      await other.goto("/");
      await other.getByRole("button", { name: "Resume" }).click();
      await other.close();
      await expect.poll(() => pendingRow.count(), { timeout: 15_000 }).toBe(0);
      await expect
        .poll(() => waiting.getByText(/running\s*Run #\d+/).isVisible(), { timeout: 15_000 })
        .toBe(true);

      await clickNav(page, "History");
      const runRow = page.getByRole("row").filter({ hasText: "web UI" }).first();
      await runRow.waitFor({ timeout: 15_000 });
      const runLink = runRow.getByRole("link");
      const runId = Number((await runLink.textContent())?.replace("#", ""));
      expect(runId).toBeGreaterThan(0);
      await runLink.click();
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toBe(`Run #${runId}`);
      expect(new URL(page.url()).pathname).toBe(`/runs/${runId}`);

      // Still running (PhotoPrism is slow here): progress bars show, then it finishes live.
      const header = page.locator(".page-header");
      await expect.poll(() => header.textContent()).toContain("running");
      expect(await page.getByRole("progressbar").count()).toBe(6);
      await expect.poll(() => header.textContent(), { timeout: 60_000 }).toContain("ok");
      await expect.poll(() => page.getByRole("progressbar").count()).toBe(0);

      const commands = page.getByRole("region", { name: /^Commands/ });
      await expect
        .poll(() => commands.locator(".command-line").allTextContents())
        .toEqual(
          expect.arrayContaining([
            expect.stringMatching(/ import( |$)/),
            expect.stringMatching(/files:scan/),
          ]),
        );
      const scanLines = await commands.locator(".command-line").allTextContents();
      // A user id with a space or quote is shown quoted, as one argument.
      for (const line of scanLines.filter((text) => text.includes("o'brien"))) {
        expect(line).toContain(`'o'\\''brien jr`);
      }
      const importItem = commands
        .locator(".command")
        .filter({ hasText: /PhotoPrism/ })
        .first();
      const output = importItem.locator("details");
      expect(await output.locator("pre").isVisible()).toBe(false);
      await output.locator("summary").click();
      expect(await output.locator("pre").isVisible()).toBe(true);
      expect((await output.locator("pre").textContent())?.length).toBeGreaterThan(0);
      expect(await importItem.textContent()).toMatch(/exit code 0/);

      const files = page.getByRole("region", { name: /^Files/ });
      await expect.poll(() => files.textContent()).toContain(fileName);
      const steps = page.getByRole("region", { name: "Steps" });
      expect(
        await steps.getByRole("row").filter({ hasText: "PhotoPrism import" }).textContent(),
      ).toMatch(/done/);
      await screenshot(page, "run-detail");
      await page.getByRole("combobox", { name: "Theme" }).selectOption("dark");
      await screenshot(page, "run-detail-dark");
      await page.getByRole("combobox", { name: "Theme" }).selectOption("light");

      // The quarantined file now waits in the Queue under its user, with the reason.
      await clickNav(page, "Queue");
      const userFiles = page.getByRole("region", { name: `Files of ${userId}` });
      const quarantined = userFiles.getByRole("row").filter({ hasText: "@party.jpg" });
      await quarantined.waitFor();
      expect(await quarantined.textContent()).toMatch(/quarantined.*hidden/);
      expect(await userFiles.getByRole("heading").textContent()).toMatch(/1 quarantined/);
      await screenshot(page, "queue");

      await clickNav(page, "History");
      await expect
        .poll(() => page.getByRole("row").filter({ hasText: "web UI" }).first().textContent())
        .toMatch(/ok/);
      await screenshot(page, "history");

      // Activity log: by user (the select), then by name; the URL keeps the search.
      await clickNav(page, "Activity log");
      await page.getByLabel("User").selectOption(userId);
      await page.getByRole("button", { name: "Search" }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get("user")).toBe(userId);
      const results = page.getByRole("region", { name: "Results" });
      await expect.poll(() => results.textContent()).toContain(fileName);
      // The previous results stay up while the new ones load: wait for the filtered ones.
      const userCells = results.locator("tbody tr td:nth-child(2)");
      await expect
        .poll(async () => [...new Set(await userCells.allTextContents())])
        .toEqual([userId]);

      await page.getByLabel("File name or path").fill(fileName);
      await page.getByRole("button", { name: "Search" }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get("name")).toBe(fileName);
      await expect
        .poll(async () => {
          const rows = await results.locator("tbody tr").allTextContents();
          return rows.length > 0 && rows.every((text) => text.includes(fileName));
        })
        .toBe(true);
      await screenshot(page, "activity");

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Export CSV" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe("photoferry-activity.csv");
      const csv = readFileSync((await download.path()) ?? "", "utf8");
      const csvLines = csv.trim().split(/\r?\n/);
      expect(csvLines.length).toBeGreaterThan(1);
      expect(csvLines.slice(1).every((line) => line.includes(fileName))).toBe(true);

      // A bad hash is explained beside its field and not sent.
      const before = page.url();
      await page.getByLabel("Hash").fill("xyz");
      await page.getByRole("button", { name: "Search" }).click();
      const hash = page.getByLabel("Hash");
      expect(await hash.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#filter-hash-problem").textContent()).toMatch(/hexadecimal/);
      expect(await page.evaluate<string | undefined>("document.activeElement?.id")).toBe(
        "filter-hash",
      );
      expect(page.url()).toBe(before);

      // The search is a bookmark: opening its address shows the same results.
      await page.goto(`/activity?user=${encodeURIComponent(userId)}&name=${fileName}`);
      await expect.poll(() => results.textContent()).toContain(fileName);
      expect(await page.getByLabel("File name or path").inputValue()).toBe(fileName);
      await page.getByRole("combobox", { name: "Theme" }).selectOption("retro");
      await screenshot(page, "activity-retro");
      await page.getByRole("combobox", { name: "Theme" }).selectOption("light");

      // Phones: the page fits 390 px; wide tables scroll inside their own box.
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [path, name] of [
        ["/queue", "queue-phone"],
        ["/activity", "activity-phone"],
        ["/runs", "history-phone"],
        [`/runs/${runId}`, "run-detail-phone"],
      ] as const) {
        await page.goto(path);
        await page.locator("main table").first().waitFor();
        await screenshot(page, name);
        const overflow = await page.evaluate<number>(
          "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        );
        expect(overflow, `${path} is wider than the phone`).toBeLessThanOrEqual(0);
      }

      expect(consoleErrors).toEqual([]);
      expect(foreignRequests).toEqual([]);
      await context.close();
    },
  );

  it("an unknown run says so and leads back to History", { timeout: 30_000 }, async () => {
    const { page, consoleErrors, foreignRequests, context } = await openWatchedPage(
      browser,
      world.url,
    );
    await page.goto("/runs/99999");
    await page.getByRole("alert").filter({ hasText: "there is no run 99999" }).waitFor();
    await page.getByRole("link", { name: "← Back to History" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("History");
    // The browser itself reports the 404 answer; nothing else may go wrong.
    expect(consoleErrors.filter((line) => !line.includes("/api/runs/99999"))).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
