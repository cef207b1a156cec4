import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  FileChangedError,
  HashPoolStoppedError,
  HashWorkerCrashedError,
  NotRegularFileError,
  SymlinkRefusedError,
  nonRegularKind,
} from "./errors.js";
import { OPEN_FLAGS, checkReadSize, hasChanged, type FileHashes } from "./hash-file.js";
import {
  HASH_WORKER_SOURCE,
  type HashJobMessage,
  type HashReplyMessage,
  type HashWorkerData,
  type PlainError,
} from "./hash-worker-source.js";

export interface HashPoolOptions {
  /** Worker threads; default `os.availableParallelism()` (CPU affinity, not cgroup quotas). */
  workers?: number;
  /** Bytes per read in each worker; default 1 MiB. */
  highWaterMark?: number;
}

export interface PoolHashOptions {
  /** Also compute SHA-1 in the same read pass. Off by default. */
  sha1?: boolean;
  /** Aborting rejects with `signal.reason` at once; a running worker stops at its next chunk. */
  signal?: AbortSignal;
}

/** Crashes in a row (no job finished in between) after which dead workers are not replaced. */
const MAX_CRASHES_IN_A_ROW = 5;

interface Job {
  readonly id: number;
  readonly path: string;
  readonly sha1: boolean;
  readonly signal: AbortSignal | undefined;
  readonly gate: SharedArrayBuffer | undefined;
  readonly resolve: (hashes: FileHashes) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  slot: Slot | undefined;
  cleanup: (() => void) | undefined;
}

interface Slot {
  readonly worker: Worker;
  readonly abortFlag: Int32Array;
  job: Job | undefined;
  /** From the worker's 'error' event: why it is about to exit. */
  lastError: Error | undefined;
}

type PoolState = "new" | "running" | "stopping" | "stopped";

/**
 * Hashes files on worker threads, one file per thread at a time, so that hashing a batch uses
 * every core. Same results and errors as `hashFile` (error `code`s included).
 *
 * Jobs beyond the number of workers wait in a FIFO queue; `pending` lets a producer of many
 * paths (a scan of 100,000 files) hold back instead of queueing them all. A worker that dies is
 * replaced, and only the job it was running fails ({@link HashWorkerCrashedError}). Idle
 * workers do not keep the process alive.
 */
export class HashPool {
  readonly workerCount: number;
  readonly #readSize: number;
  #state: PoolState = "new";
  readonly #slots = new Set<Slot>();
  // FIFO with a moving head: Array#shift is O(n), and the queue can hold a whole scan.
  #queue: (Job | undefined)[] = [];
  #queueHead = 0;
  #queued = 0;
  #nextId = 1;
  #crashesInARow = 0;
  /** Set when every worker died and none could be replaced: why. */
  #broken: { detail: string; cause: Error | undefined } | undefined;
  #idleWaiters: (() => void)[] = [];
  #stopping: Promise<void> | undefined;

  constructor(options: HashPoolOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isSafeInteger(workers) || workers < 1) {
      throw new RangeError(`HashPool workers must be a whole number of at least 1: ${workers}`);
    }
    this.workerCount = workers;
    this.#readSize = checkReadSize(options.highWaterMark);
  }

  /** Starts the worker threads. Called by the first `hash()` if not called before. */
  start(): void {
    if (this.#state === "running") return;
    if (this.#state !== "new") {
      throw new Error(
        "This HashPool has been stopped and cannot be started again; create a new one",
      );
    }
    this.#state = "running";
    for (let i = 0; i < this.workerCount; i++) this.#spawn();
  }

  /** Jobs queued or running. */
  get pending(): number {
    let running = 0;
    for (const slot of this.#slots) if (slot.job && !slot.job.settled) running++;
    return this.#queued + running;
  }

  hash(path: string, options: PoolHashOptions = {}): Promise<FileHashes> {
    return this.#submit(path, options, undefined);
  }

  /** @internal Test seam: the worker pauses after the first chunk; see HashJobMessage.gate. */
  hashWithTestGate(
    path: string,
    options: PoolHashOptions,
    gate: SharedArrayBuffer,
  ): Promise<FileHashes> {
    return this.#submit(path, options, gate);
  }

  /** @internal Test seam: the live worker threads. */
  get threadsForTest(): Worker[] {
    return [...this.#slots].map((slot) => slot.worker);
  }

  /**
   * Lets running jobs finish (their promises settle normally), rejects queued ones with
   * {@link HashPoolStoppedError}, then ends the worker threads. Later `hash()` calls reject with
   * HashPoolStoppedError. Safe to call more than once.
   */
  stop(): Promise<void> {
    if (this.#state === "new" || this.#state === "stopped") {
      this.#state = "stopped";
      return Promise.resolve();
    }
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#state = "stopping";
    for (const job of this.#drainQueue()) this.#fail(job, new HashPoolStoppedError(job.path));
    await this.#whenIdle();
    this.#state = "stopped";
    await Promise.all([...this.#slots].map((slot) => slot.worker.terminate()));
    this.#slots.clear();
  }

  // async: every refusal below becomes a rejected promise, never a synchronous throw.
  async #submit(
    path: string,
    options: PoolHashOptions,
    gate: SharedArrayBuffer | undefined,
  ): Promise<FileHashes> {
    if (typeof path !== "string" || path === "") {
      throw new TypeError(`HashPool.hash needs a file path, got ${String(path)}`);
    }
    if (this.#state === "stopping" || this.#state === "stopped") {
      throw new HashPoolStoppedError(path);
    }
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#broken) {
      const { detail, cause } = this.#broken;
      throw new HashWorkerCrashedError(path, detail, { cause });
    }
    this.start();
    return new Promise<FileHashes>((resolve, reject) => {
      const job: Job = {
        id: this.#nextId++,
        path,
        sha1: options.sha1 === true,
        signal,
        gate,
        resolve,
        reject,
        settled: false,
        slot: undefined,
        cleanup: undefined,
      };
      if (signal) {
        const onAbort = (): void => this.#abort(job);
        signal.addEventListener("abort", onAbort, { once: true });
        job.cleanup = () => signal.removeEventListener("abort", onAbort);
      }
      this.#queue.push(job);
      this.#queued++;
      this.#pump();
    });
  }

  #spawn(): void {
    const abortBuffer = new SharedArrayBuffer(4);
    const workerData: HashWorkerData = {
      abortFlag: abortBuffer,
      readSize: this.#readSize,
      openFlags: OPEN_FLAGS,
    };
    const worker = new Worker(HASH_WORKER_SOURCE, { eval: true, workerData });
    const slot: Slot = {
      worker,
      abortFlag: new Int32Array(abortBuffer),
      job: undefined,
      lastError: undefined,
    };
    worker.on("message", (reply: HashReplyMessage) => this.#onReply(slot, reply));
    worker.on("messageerror", (error) => this.#onReply(slot, undefined, error));
    worker.on("error", (error) => {
      slot.lastError = error;
    });
    worker.on("exit", (code) => this.#onExit(slot, code));
    // Idle workers must not keep the process alive. After the listeners: adding a 'message'
    // listener refs the worker's port again.
    worker.unref();
    this.#slots.add(slot);
  }

  #pump(): void {
    if (this.#state !== "running" && this.#state !== "stopping") return;
    for (const slot of this.#slots) {
      if (slot.job) continue;
      const job = this.#dequeue();
      if (!job) return;
      Atomics.store(slot.abortFlag, 0, 0);
      slot.job = job;
      job.slot = slot;
      slot.worker.ref();
      const message: HashJobMessage = { id: job.id, path: job.path, sha1: job.sha1 };
      if (job.gate) message.gate = job.gate;
      slot.worker.postMessage(message);
    }
  }

  #dequeue(): Job | undefined {
    while (this.#queueHead < this.#queue.length) {
      const job = this.#queue[this.#queueHead];
      this.#queue[this.#queueHead] = undefined; // let it be collected
      this.#queueHead++;
      if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#queueHead);
        this.#queueHead = 0;
      }
      if (job && !job.settled) {
        this.#queued--;
        return job;
      }
    }
    return undefined;
  }

  #drainQueue(): Job[] {
    const jobs: Job[] = [];
    for (let job = this.#dequeue(); job; job = this.#dequeue()) jobs.push(job);
    this.#queue = [];
    this.#queueHead = 0;
    return jobs;
  }

  #onReply(slot: Slot, reply: HashReplyMessage | undefined, error?: unknown): void {
    const job = slot.job;
    if (!job || (reply && reply.id !== job.id)) return;
    slot.job = undefined;
    slot.worker.unref();
    this.#crashesInARow = 0;
    if (!reply) {
      this.#fail(
        job,
        new Error(`Could not read the hash of ${job.path} sent by its worker thread`, {
          cause: error,
        }),
      );
    } else {
      this.#settleFromReply(job, reply);
    }
    this.#pump();
    this.#notifyIfIdle();
  }

  #settleFromReply(job: Job, reply: HashReplyMessage): void {
    switch (reply.type) {
      case "done": {
        const { before, after, bytesRead } = reply;
        if (hasChanged(before, after, bytesRead)) {
          this.#fail(job, new FileChangedError(job.path, before, after, bytesRead));
          return;
        }
        const hashes: FileHashes = {
          sha256: reply.sha256,
          size: bytesRead,
          mtimeMs: after.mtimeMs,
        };
        if (job.sha1 && reply.sha1 !== undefined) hashes.sha1 = reply.sha1;
        this.#succeed(job, hashes);
        return;
      }
      case "symlink":
        this.#fail(job, new SymlinkRefusedError(job.path, { cause: toError(reply.error) }));
        return;
      case "not-regular":
        this.#fail(job, new NotRegularFileError(job.path, nonRegularKind(reply.mode)));
        return;
      case "error":
        this.#fail(job, toError(reply.error));
        return;
      case "aborted":
        // Normally settled already by #abort; this is for completeness.
        this.#fail(job, job.signal?.reason ?? new Error(`Hashing ${job.path} was aborted`));
        return;
    }
  }

  #onExit(slot: Slot, exitCode: number): void {
    this.#slots.delete(slot);
    const job = slot.job;
    slot.job = undefined;
    if (this.#state === "stopped") return; // terminated by #stop()
    this.#crashesInARow++;
    const detail = slot.lastError
      ? `${slot.lastError.name}: ${slot.lastError.message}`
      : `exit code ${exitCode}`;
    if (job)
      this.#fail(job, new HashWorkerCrashedError(job.path, detail, { cause: slot.lastError }));
    if (this.#state === "running") this.#replace(detail, slot.lastError);
    this.#pump();
    this.#notifyIfIdle();
  }

  #replace(detail: string, cause: Error | undefined): void {
    if (this.#crashesInARow <= MAX_CRASHES_IN_A_ROW) {
      try {
        this.#spawn();
        return;
      } catch (error) {
        detail = `a new worker thread could not be started: ${String(error)}`;
        cause = error instanceof Error ? error : cause;
      }
    }
    if (this.#slots.size > 0) return;
    // Nothing left to run jobs on: fail them now rather than let them wait forever.
    this.#broken = { detail: `${detail}; the hash workers keep dying`, cause };
    for (const job of this.#drainQueue()) {
      this.#fail(job, new HashWorkerCrashedError(job.path, this.#broken.detail, { cause }));
    }
  }

  #abort(job: Job): void {
    if (job.settled) return;
    if (job.slot?.job === job) {
      Atomics.store(job.slot.abortFlag, 0, 1);
    } else {
      this.#queued--; // still queued: #dequeue skips settled jobs
    }
    this.#fail(job, job.signal?.reason);
  }

  #succeed(job: Job, hashes: FileHashes): void {
    if (job.settled) return;
    job.settled = true;
    job.cleanup?.();
    job.resolve(hashes);
  }

  #fail(job: Job, error: unknown): void {
    if (job.settled) return;
    job.settled = true;
    job.cleanup?.();
    job.reject(error);
  }

  #busy(): boolean {
    for (const slot of this.#slots) if (slot.job) return true;
    return false;
  }

  #whenIdle(): Promise<void> {
    if (!this.#busy()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #notifyIfIdle(): void {
    if (this.#idleWaiters.length === 0 || this.#busy()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function toError(plain: PlainError): Error {
  const error = new Error(plain.message);
  if (plain.name !== "Error") error.name = plain.name;
  if (plain.stack !== undefined) error.stack = plain.stack;
  const fields = error as NodeJS.ErrnoException;
  if (typeof plain.code === "string") fields.code = plain.code;
  if (typeof plain.errno === "number") fields.errno = plain.errno;
  if (typeof plain.syscall === "string") fields.syscall = plain.syscall;
  if (typeof plain.path === "string") fields.path = plain.path;
  return error;
}
