import pino from "pino";
import { describe, expect, it } from "vitest";
import { RunnerError } from "../runners/runner.js";
import { backoffDelay, CommandQueue, type RetryPolicy } from "./command-queue.js";

const policy: RetryPolicy = { attempts: 4, firstDelayMs: 1_000, maxDelayMs: 5_000 };
const logger = pino({ level: "silent" });

function queue(sleeps: number[] = []) {
  return new CommandQueue({
    retry: policy,
    logger,
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
}

describe("backoffDelay", () => {
  it("doubles from the first delay up to the cap, with jitter of at most 20%", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0.5))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
    expect(backoffDelay(policy, 1, () => 0)).toBe(800);
    expect(backoffDelay(policy, 1, () => 1)).toBe(1_200);
  });
});

describe("CommandQueue", () => {
  it("never runs two commands for the same application at once", async () => {
    const q = queue();
    let running = 0;
    let most = 0;
    const order: string[] = [];
    const job = (name: string, ms: number) => async () => {
      running++;
      most = Math.max(most, running);
      order.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`end ${name}`);
      running--;
      return { value: name };
    };
    const results = await Promise.all([
      q.run("nextcloud", "a", job("a", 30)),
      q.run("nextcloud", "b", job("b", 5)),
      q.run("nextcloud", "c", job("c", 1)),
    ]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(most).toBe(1);
    expect(order).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("lets different applications run side by side", async () => {
    const q = queue();
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const slow = q.run("photoprism", "import", async () => {
      await blocked;
      return { value: "imported" };
    });
    const fast = await q.run("nextcloud", "status", () => Promise.resolve({ value: "ok" }));
    expect(fast).toBe("ok");
    release();
    expect(await slow).toBe("imported");
  });

  it("retries transient runner errors with growing delays, then succeeds", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const value = await queue(sleeps).run("nextcloud", "status", (attempt) => {
      calls++;
      if (attempt < 3)
        throw new RunnerError("target-restarting", "container is restarting", "wait");
      return Promise.resolve({ value: attempt });
    });
    expect(value).toBe(3);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it("gives up after the last attempt and rethrows the transient error", async () => {
    const sleeps: number[] = [];
    const run = queue(sleeps).run("nextcloud", "status", () =>
      Promise.reject(new RunnerError("daemon-unreachable", "no daemon", "start docker")),
    );
    await expect(run).rejects.toThrow("no daemon");
    expect(sleeps).toHaveLength(policy.attempts - 1);
  });

  it("does not retry permanent errors", async () => {
    let calls = 0;
    const run = queue().run("nextcloud", "status", () => {
      calls++;
      return Promise.reject(new RunnerError("target-missing", "no such container", "check name"));
    });
    await expect(run).rejects.toThrow("no such container");
    expect(calls).toBe(1);
  });

  it("retries when an attempt reports a transient outcome, returning the last one", async () => {
    const sleeps: number[] = [];
    const value = await queue(sleeps).run("photoprism", "import", (attempt) =>
      Promise.resolve({ value: attempt, retry: "PhotoPrism is busy" }),
    );
    expect(value).toBe(policy.attempts);
    expect(sleeps).toHaveLength(policy.attempts - 1);
  });

  it("keeps serving an application after one of its commands failed", async () => {
    const q = queue();
    const failed = q.run("nextcloud", "x", () => Promise.reject(new Error("boom")));
    const next = q.run("nextcloud", "y", () => Promise.resolve({ value: "fine" }));
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("fine");
  });

  it("stops waiting between attempts when aborted", async () => {
    const q = new CommandQueue({ retry: { ...policy, firstDelayMs: 60_000 }, logger });
    const controller = new AbortController();
    const run = q.run(
      "nextcloud",
      "status",
      () => Promise.reject(new RunnerError("daemon-unreachable", "down", "start it")),
      controller.signal,
    );
    setTimeout(() => controller.abort(new Error("shutting down")), 20);
    await expect(run).rejects.toThrow("shutting down");
  });
});
