// Which way of reading a file feeds SHA-256 fastest? One thread, files in the page cache, so the
// numbers show the per-chunk overhead of each read strategy on top of the hash itself.
// Used to choose the read loop in src/hashing (hash-file.ts in-process, the worker in hash-pool.ts).
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { createReadStream, openSync, readSync, closeSync } from "node:fs";
import { open } from "node:fs/promises";
import {
  benchScale,
  bestOf,
  formatMB,
  makePhotoFiles,
  megabytesPerSecond,
  printTable,
  warmPageCache,
} from "./fixtures.mjs";

const KiB = 1024;
const MiB = 1024 * KiB;

async function viaStream(path, highWaterMark) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark })) hash.update(chunk);
  return hash.digest("hex");
}

async function viaHandleLoop(path, size) {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(size);
  const handle = await open(path, "r");
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, size, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

// Two buffers: the next read runs on the libuv thread pool while this thread hashes.
async function viaHandleDoubleBuffered(path, size) {
  const hash = createHash("sha256");
  const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  const handle = await open(path, "r");
  try {
    let position = 0;
    let which = 0;
    let pending = handle.read(buffers[which], 0, size, position);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const current = buffers[which];
      position += bytesRead;
      which ^= 1;
      pending = handle.read(buffers[which], 0, size, position);
      hash.update(current.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

function viaSyncLoop(path, buffer) {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

const syncBuffers = new Map();
function syncBuffer(size) {
  if (!syncBuffers.has(size)) syncBuffers.set(size, Buffer.allocUnsafe(size));
  return syncBuffers.get(size);
}

const strategies = [
  ["createReadStream, highWaterMark 64 KiB", (p) => viaStream(p, 64 * KiB)],
  ["createReadStream, highWaterMark 1 MiB", (p) => viaStream(p, MiB)],
  ["FileHandle.read loop, reused 64 KiB buffer", (p) => viaHandleLoop(p, 64 * KiB)],
  ["FileHandle.read loop, reused 1 MiB buffer", (p) => viaHandleLoop(p, MiB)],
  ["FileHandle.read, 2 x 256 KiB, read-ahead", (p) => viaHandleDoubleBuffered(p, 256 * KiB)],
  ["FileHandle.read, 2 x 1 MiB, read-ahead", (p) => viaHandleDoubleBuffered(p, MiB)],
  ["readSync loop, reused 64 KiB buffer", (p) => viaSyncLoop(p, syncBuffer(64 * KiB))],
  ["readSync loop, reused 256 KiB buffer", (p) => viaSyncLoop(p, syncBuffer(256 * KiB))],
  ["readSync loop, reused 1 MiB buffer", (p) => viaSyncLoop(p, syncBuffer(MiB))],
  ["readSync loop, reused 4 MiB buffer", (p) => viaSyncLoop(p, syncBuffer(4 * MiB))],
];

const ROUNDS = 5;
const scale = benchScale();
const count = Math.max(4, Math.round(100 * scale));
const fileSize = 5 * 1000 * 1000;
console.log(
  `read strategies: ${count} files x ${formatMB(fileSize)}, one thread, SHA-256 only, best of ${ROUNDS} rounds`,
);
const files = makePhotoFiles({ prefix: "read", count, size: fileSize });
try {
  warmPageCache(files.paths);
  const expected = await Promise.all(files.paths.slice(0, 2).map((p) => viaStream(p, MiB)));
  for (const [name, hashOne] of strategies) {
    // Same digest from every strategy, or the comparison means nothing.
    for (const [i, digest] of expected.entries()) {
      if ((await hashOne(files.paths[i])) !== digest) throw new Error(`${name}: wrong digest`);
    }
  }
  // Round-robin rounds, best per strategy: a noisy (shared, virtual) machine drifts over time,
  // and this spreads the drift over all strategies instead of punishing whichever ran then.
  const best = strategies.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, hashOne]] of strategies.entries()) {
      const seconds = await bestOf(1, async () => {
        for (const path of files.paths) await hashOne(path);
      });
      best[i] = Math.min(best[i] ?? Infinity, seconds);
    }
  }
  const rows = strategies.map(([name], i) => [
    name,
    best[i].toFixed(3),
    megabytesPerSecond(files.totalBytes, best[i]).toFixed(0),
  ]);
  printTable(["strategy", "seconds", "MB/s"], rows);
} finally {
  files.cleanup();
}
