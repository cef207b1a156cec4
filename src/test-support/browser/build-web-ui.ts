import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const webDir = fileURLToPath(new URL("../../../web/", import.meta.url));
const outDir = fileURLToPath(new URL("../../../dist/web", import.meta.url));

/**
 * Vitest global setup: makes sure `dist/web` (what the server serves) is built from the
 * current `web/` sources, so browser tests never test a stale build. Skipped when the build
 * is newer than every source file. Builds into a temporary folder and swaps it in, so a
 * browser test of another Vitest process running at the same time never sees a half-empty
 * folder.
 */
export default async function setup(): Promise<void> {
  const built = join(outDir, "index.html");
  if (existsSync(built) && statSync(built).mtimeMs > newestMtime(webDir)) return;
  const staging = `${outDir}.build-${process.pid}`;
  await build({
    configFile: join(webDir, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir: staging, emptyOutDir: true },
  });
  const old = `${outDir}.old-${process.pid}`;
  if (existsSync(outDir)) renameSync(outDir, old);
  renameSync(staging, outDir);
  rmSync(old, { recursive: true, force: true });
}

function newestMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
