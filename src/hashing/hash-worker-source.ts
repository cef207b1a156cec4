import type { FileState } from "./errors.js";

/*
 * The hash worker, as plain CommonJS source run with `new Worker(source, { eval: true })`.
 *
 * Why a string: a worker needs a file Node can load as it is, and this module is TypeScript
 * under Vitest but JavaScript in dist/; plain Node 20 cannot load .ts. An eval worker runs the
 * same way in both, with nothing extra to copy into dist/.
 *
 * The worker only reports facts (digests, fstat before/after, bytes read, errno details); the
 * pool turns them into results and errors with the same code hash-file.ts uses, so the rules
 * (what counts as "changed", the error messages) live in one place.
 *
 * It reads synchronously: a worker hashes one file at a time, and a readSync loop with a reused
 * buffer is the fastest way to feed the hash (bench/read-strategies.bench.mjs).
 */

export interface HashWorkerData {
  /** Int32Array(1) shared with the pool: set to 1 to abort the current job at the next chunk. */
  abortFlag: SharedArrayBuffer;
  readSize: number;
  openFlags: number;
}

export interface HashJobMessage {
  id: number;
  path: string;
  sha1: boolean;
  /**
   * Test seam: after the first chunk the worker sets gate[0] = 1 and sleeps until it changes,
   * so a test can modify the file (or kill the worker) at a known point in the read.
   */
  gate?: SharedArrayBuffer;
}

/** An Error flattened for postMessage: Node's errno fields survive, the class does not. */
export interface PlainError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  path?: unknown;
}

export type HashReplyMessage = { id: number } & (
  | {
      type: "done";
      sha256: string;
      sha1?: string;
      bytesRead: number;
      before: FileState;
      after: FileState;
    }
  | { type: "symlink"; error: PlainError }
  | { type: "not-regular"; mode: number }
  | { type: "error"; error: PlainError }
  | { type: "aborted" }
);

export const HASH_WORKER_SOURCE = String.raw`"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { createHash } = require("node:crypto");

const abortFlag = new Int32Array(workerData.abortFlag);
const buffer = Buffer.allocUnsafe(workerData.readSize);

function plainError(error) {
  if (error === null || typeof error !== "object") {
    return { name: "Error", message: String(error) };
  }
  return {
    name: String(error.name),
    message: String(error.message),
    stack: typeof error.stack === "string" ? error.stack : undefined,
    code: error.code,
    errno: error.errno,
    syscall: error.syscall,
    path: error.path,
  };
}

function isSymlink(path) {
  try {
    return fs.lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function pauseAt(gateBuffer) {
  const gate = new Int32Array(gateBuffer);
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  Atomics.wait(gate, 0, 1);
}

function hashJob(job) {
  let fd;
  try {
    fd = fs.openSync(job.path, workerData.openFlags);
  } catch (error) {
    if (error && error.code === "ELOOP" && isSymlink(job.path)) {
      return { type: "symlink", error: plainError(error) };
    }
    return { type: "error", error: plainError(error) };
  }
  try {
    const before = fs.fstatSync(fd);
    if (!before.isFile()) return { type: "not-regular", mode: before.mode };
    const sha256 = createHash("sha256");
    const sha1 = job.sha1 ? createHash("sha1") : undefined;
    let gate = job.gate;
    let bytesRead = 0;
    while (bytesRead < before.size) {
      if (Atomics.load(abortFlag, 0) !== 0) return { type: "aborted" };
      const length = Math.min(buffer.length, before.size - bytesRead);
      const n = fs.readSync(fd, buffer, 0, length, bytesRead);
      if (n === 0) break;
      const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
      sha256.update(chunk);
      if (sha1) sha1.update(chunk);
      bytesRead += n;
      if (gate) {
        pauseAt(gate);
        gate = undefined;
      }
    }
    if (Atomics.load(abortFlag, 0) !== 0) return { type: "aborted" };
    const after = fs.fstatSync(fd);
    const reply = {
      type: "done",
      sha256: sha256.digest("hex"),
      bytesRead,
      before: { size: before.size, mtimeMs: before.mtimeMs },
      after: { size: after.size, mtimeMs: after.mtimeMs },
    };
    if (sha1) reply.sha1 = sha1.digest("hex");
    return reply;
  } catch (error) {
    return { type: "error", error: plainError(error) };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing useful to do; the digest (or error) above is what matters.
    }
  }
}

parentPort.on("message", (job) => {
  const reply = hashJob(job);
  reply.id = job.id;
  parentPort.postMessage(reply);
});
`;
