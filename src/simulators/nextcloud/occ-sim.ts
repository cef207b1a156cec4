#!/usr/bin/env node
import { existsSync, readSync, realpathSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runOcc } from "./application.js";
import { realDisk } from "./disk.js";
import { loadInstance, ownerMismatchMessage, configPathOf } from "./instance.js";

/**
 * The simulated `php <root>/occ <args…>`:
 *   node occ-sim.js <path-to-occ> <occ arguments…>
 * The folder holding <path-to-occ> is the Nextcloud root. Output is written synchronously so
 * stdout and stderr keep their order and nothing is lost at exit.
 */
export function main(argv: readonly string[]): number {
  const [occPath, ...args] = argv;
  const err = (text: string): void => void writeSync(2, text);
  if (occPath === undefined) {
    err("Usage: occ-sim <path-to-occ> <occ arguments…> (like: php /var/www/html/occ status)\n");
    return 1;
  }
  const occ = resolve(occPath);
  if (!existsSync(occ)) {
    // What `php <missing file>` prints.
    writeSync(1, `Could not open input file: ${occPath}\n`);
    return 1;
  }
  const root = dirname(occ);
  const uid = process.getuid?.() ?? 0;
  if (existsSync(configPathOf(root))) {
    const mismatch = ownerMismatchMessage(configPathOf(root), uid);
    if (mismatch !== undefined) {
      writeSync(1, mismatch);
      return 1;
    }
  }
  try {
    return runOcc(args, {
      instance: loadInstance(root),
      disk: realDisk,
      sinks: { stdout: (t) => void writeSync(1, t), stderr: (t) => void writeSync(2, t) },
      stdinIsTty: process.stdin.isTTY === true,
      readLine: readStdinLine,
    });
  } catch (error) {
    err(
      `An unhandled exception has been thrown:\n${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

/** Reads one line from stdin, byte by byte so nothing after it is consumed. */
function readStdinLine(): string | undefined {
  const bytes: number[] = [];
  const one = Buffer.alloc(1);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, one, 0, 1, null);
    } catch {
      n = 0;
    }
    if (n === 0) return bytes.length > 0 ? Buffer.from(bytes).toString("utf8") : undefined;
    if (one[0] === 0x0a) return Buffer.from(bytes).toString("utf8");
    bytes.push(one[0] as number);
  }
}

// Run only as the program (a `php` shim may reach it through a symlink), not when imported.
const invokedAs = process.argv[1];
if (
  invokedAs !== undefined &&
  realpathSync(invokedAs) === realpathSync(fileURLToPath(import.meta.url))
) {
  process.exitCode = main(process.argv.slice(2));
}
