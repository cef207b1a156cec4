import { build } from "vite";
import { fileURLToPath } from "node:url";

const config = fileURLToPath(new URL("../../../web/vite.config.ts", import.meta.url));

/**
 * Vitest global setup: builds the web UI into `dist/web` once per test run, so browser
 * tests never test a stale build (the server serves `dist/web`). About a second.
 */
export default async function setup(): Promise<void> {
  await build({ configFile: config, logLevel: "warn" });
}
