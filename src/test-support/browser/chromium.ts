import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium (PRODUCT.md §6); `.ci/run` installs it. */
export const CHROMIUM_PATH = process.env.PHOTOFERRY_CHROMIUM ?? "/usr/bin/chromium";

export function browserUnavailableReason(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set PHOTOFERRY_CHROMIUM)`;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors: a test fails if any appear. */
  consoleErrors: string[];
  /** Requests to any host but photoferry's: aborted, and a test fails if any appear. */
  foreignRequests: string[];
}

/**
 * A fresh browser context (own cookies) whose page may only talk to `baseUrl`: requests
 * elsewhere are recorded and aborted, so "nothing leaves the machine" is checked, not hoped.
 */
export async function openWatchedPage(
  browser: Browser,
  baseUrl: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: "light" | "dark" } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 860 },
    colorScheme: options.colorScheme ?? "light",
    baseURL: baseUrl,
  });
  const origin = new URL(baseUrl).origin;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) {
      await route.continue();
      return;
    }
    foreignRequests.push(url);
    await route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") {
      const where = message.location().url;
      consoleErrors.push(where ? `${message.text()} (${where})` : message.text());
    }
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
  return { context, page, consoleErrors, foreignRequests };
}
