// Shared helpers for bench/*.bench.mjs: random "photo" files in a temp dir, timing, tables.
import { Buffer } from "node:buffer";
import { randomFillSync } from "node:crypto";
import { mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MB = 1000 * 1000;

/** `BENCH_SCALE` (default 1) shrinks or grows every data set, e.g. BENCH_SCALE=0.1. */
export function benchScale() {
  const raw = process.env.BENCH_SCALE ?? "1";
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`BENCH_SCALE must be a positive number, got ${JSON.stringify(raw)}`);
  }
  return scale;
}

/**
 * Writes `count` files of `size` random bytes (so nothing compresses or dedups) into a new temp
 * dir under os.tmpdir(). Call `cleanup()` when done; it is also run on Ctrl-C.
 */
export function makePhotoFiles({ prefix, count, size }) {
  const dir = mkdtempSync(join(tmpdir(), `photoferry-bench-${prefix}-`));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const buffer = Buffer.allocUnsafe(size);
  const paths = [];
  for (let i = 0; i < count; i++) {
    randomFillSync(buffer);
    const path = join(dir, `IMG_${String(i).padStart(5, "0")}.jpg`);
    writeFileSync(path, buffer);
    paths.push(path);
  }
  return {
    dir,
    paths,
    totalBytes: count * size,
    cleanup() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      cleanup();
    },
  };
}

/** Reads every file once so that all measured runs start from the page cache. */
export function warmPageCache(paths) {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  for (const path of paths) {
    const fd = openSync(path, "r");
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}

/** Runs `fn` `runs` times and returns the fastest wall-clock time in seconds. */
export async function bestOf(runs, fn) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.min(best, seconds);
  }
  return best;
}

export function megabytesPerSecond(bytes, seconds) {
  return bytes / MB / seconds;
}

export function formatMB(bytes) {
  return `${(bytes / MB).toFixed(0)} MB`;
}

/** Prints rows (arrays of cells) as a left/right-aligned text table with a header rule. */
export function printTable(header, rows) {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  console.log(line(all[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of all.slice(1)) console.log(line(row));
}
