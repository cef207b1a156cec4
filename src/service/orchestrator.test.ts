import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunResult } from "../cli/commands/run-report.js";
import { loadConfigText } from "../config/load-config.js";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { createLogger } from "../logging/logger.js";
import { RunQueue } from "../ledger/run-queue.js";
import { StateStore } from "../state/state-store.js";
import { Orchestrator } from "./orchestrator.js";
import type { RunRequest } from "./run-executor.js";
import type { ServiceEvent, Trigger } from "./service-contract.js";

let dir: string;
let stores: StateStore[];
let orchestrators: Orchestrator[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-orchestrator-"));
  mkdirSync(join(dir, "data"));
  stores = [];
  orchestrators = [];
});
afterEach(async () => {
  for (const o of orchestrators) await o.stop();
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function configOf(schedule = "  watch: false\n  cron: null"): PhotoferryConfig {
  const text = [
    "nextcloud:",
    `  dataDir: ${join(dir, "data")}`,
    "  occ: { enabled: false }",
    "photoprism:",
    `  importDir: ${join(dir, "import")}`,
    "  trigger: none",
    "schedule:",
    schedule,
    "state:",
    `  dir: ${join(dir, "state")}`,
  ].join("\n");
  const result = loadConfigText(text, { env: {} });
  if (!result.config) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

const quiet = createLogger({
  level: "silent",
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const emptyResult = (): RunResult => ({ pass: null, indexing: null, commands: [], blocked: null });

/** An executor whose runs end when the test says (or when their signals fire). */
class FakeExecutor {
  calls: { trigger: Trigger | undefined; request: RunRequest }[] = [];
  concurrent = 0;
  maxConcurrent = 0;
  private releases: (() => void)[] = [];
  constructor(
    private readonly service: () => Orchestrator,
    private readonly autoFinish = true,
  ) {}

  execute = async (request: RunRequest): Promise<RunResult> => {
    this.calls.push({ trigger: this.service().status().current?.trigger, request });
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    request.onProgress({
      step: "transfer",
      filesDone: 1,
      filesTotal: 2,
      bytesDone: 5,
      bytesTotal: 10,
    });
    try {
      if (!this.autoFinish) {
        await new Promise<void>((resolve) => {
          const end = () => {
            this.releases = this.releases.filter((r) => r !== end);
            resolve();
          };
          this.releases.push(end);
          // Like the real chain: a pause or a stop ends the run at the next safe point.
          request.signal.addEventListener("abort", end);
          request.pauseSignal.addEventListener("abort", end);
        });
      }
      return emptyResult();
    } finally {
      this.concurrent--;
    }
  };

  release(): void {
    this.releases.shift()?.();
  }
}

function makeOrchestrator(executor: (o: () => Orchestrator) => FakeExecutor, config = configOf()) {
  const store = StateStore.open(join(dir, "state"));
  stores.push(store);
  const holder: { orchestrator?: Orchestrator } = {};
  const fake = executor(() => holder.orchestrator!);
  const orchestrator = new Orchestrator({
    startupScan: false,
    config: () => config,
    store,
    logger: quiet,
    version: "test",
    execute: fake.execute,
  });
  holder.orchestrator = orchestrator;
  orchestrators.push(orchestrator);
  return { orchestrator, fake, store };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An orchestrator whose config the test changes the way a file edit would. */
function liveConfigOrchestrator(initial: PhotoferryConfig) {
  let config = initial;
  const listeners: ((c: PhotoferryConfig) => void)[] = [];
  const store = StateStore.open(join(dir, "state"));
  stores.push(store);
  const orchestrator = new Orchestrator({
    startupScan: false,
    config: () => config,
    onConfigChange: (listener) => {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    store,
    logger: quiet,
    version: "test",
    execute: () => Promise.resolve(emptyResult()),
  });
  orchestrators.push(orchestrator);
  const setConfig = (next: PhotoferryConfig) => {
    config = next;
    for (const listener of listeners) listener(config);
  };
  return { orchestrator, setConfig };
}

describe("Orchestrator", () => {
  it("runs manual before scheduled before watch, and merges a repeated request", async () => {
    const { orchestrator, fake } = makeOrchestrator((o) => new FakeExecutor(o));
    await orchestrator.start();
    orchestrator.pause();
    expect(orchestrator.trigger("watch", "3 files changed")).toEqual({
      queued: true,
      queueLength: 1,
    });
    expect(orchestrator.trigger("scheduled", "schedule */15 * * * *").queued).toBe(true);
    expect(orchestrator.trigger("watch", "1 file changed")).toEqual({
      queued: false,
      queueLength: 2,
    });
    const pending = () => orchestrator.queue().pending.map((p) => `${p.trigger}: ${p.reason}`);
    expect(pending()).toEqual([
      "scheduled: schedule */15 * * * *",
      "watch: 3 files changed (+1 more)",
    ]);
    // A manual run covers every folder: the scheduled one waiting adds nothing to it.
    expect(orchestrator.trigger("manual", "user admin").queued).toBe(true);
    expect(orchestrator.trigger("scheduled", "schedule */15 * * * *").queued).toBe(false);
    expect(pending()).toEqual(["manual: user admin (+2 more)", "watch: 3 files changed (+1 more)"]);
    expect(fake.calls).toEqual([]); // paused: nothing starts
    orchestrator.resume();
    await until(() => fake.calls.length === 2 && orchestrator.status().state === "idle", "runs");
    expect(fake.calls.map((c) => c.trigger)).toEqual(["manual", "watch"]);
    expect(fake.maxConcurrent).toBe(1);
    // Watch runs wait for files to settle; a person or the clock takes old files at once.
    expect(fake.calls.map((c) => c.request.mode)).toEqual(["one-shot", "watch"]);
    const runs = orchestrator.runs({ limit: 10, offset: 0 });
    expect(runs.total).toBe(2);
    expect(runs.items.map((r) => [r.trigger, r.outcome])).toEqual([
      ["watch", "nothing-to-do"],
      ["manual", "nothing-to-do"],
    ]);
  });

  it("never runs two at once, however many requests come in", async () => {
    const { orchestrator, fake } = makeOrchestrator((o) => new FakeExecutor(o, false));
    await orchestrator.start();
    orchestrator.trigger("watch", "a");
    await until(() => fake.calls.length === 1, "first run");
    for (const t of ["scheduled", "manual", "scheduled", "watch", "manual"] as const)
      orchestrator.trigger(t, "x");
    expect(orchestrator.status().queueLength).toBe(2);
    fake.release();
    await until(() => fake.calls.length === 2, "second run");
    expect(fake.calls[1]!.trigger).toBe("manual");
    fake.release();
    await until(() => fake.calls.length === 3, "third run");
    fake.release();
    await orchestrator.idle();
    expect(fake.maxConcurrent).toBe(1);
  });

  it("keeps the queue and the paused switch across a restart", async () => {
    const first = makeOrchestrator((o) => new FakeExecutor(o));
    await first.orchestrator.start();
    first.orchestrator.pause();
    first.orchestrator.trigger("watch", "2 files changed");
    first.orchestrator.trigger("manual", "user admin");
    await first.orchestrator.stop();
    first.store.close();

    const second = makeOrchestrator((o) => new FakeExecutor(o));
    await second.orchestrator.start();
    const status = second.orchestrator.status();
    expect(status.paused).toBe(true);
    expect(status.state).toBe("paused");
    expect(second.orchestrator.queue().pending.map((p) => p.trigger)).toEqual(["manual", "watch"]);
    expect(second.fake.calls).toEqual([]);
    second.orchestrator.resume();
    await until(() => second.fake.calls.length === 2, "both runs");
    expect(second.fake.calls.map((c) => c.trigger)).toEqual(["manual", "watch"]);
    await second.orchestrator.idle();
    expect(second.orchestrator.status().queueLength).toBe(0);
  });

  it("a pause and a quick resume during a run still continue the cut-short run", async () => {
    const { orchestrator, fake } = makeOrchestrator((o) => new FakeExecutor(o, false));
    await orchestrator.start();
    orchestrator.trigger("manual", "user admin");
    await until(() => fake.calls.length === 1, "run start");
    orchestrator.pause();
    orchestrator.resume(); // before the run reached its safe point
    await until(() => fake.calls.length === 2, "the continuation");
    const [continuation, first] = orchestrator.runs({ limit: 2, offset: 0 }).items;
    expect(first!.outcome).toBe("interrupted");
    expect(continuation!.reason).toBe(`continues run ${first!.id}`);
  });

  it("pausing mid-run lets the run stop safely, starts nothing new, and resumes it later", async () => {
    const { orchestrator, fake } = makeOrchestrator((o) => new FakeExecutor(o, false));
    const events: ServiceEvent[] = [];
    orchestrator.subscribe((event) => events.push(event));
    await orchestrator.start();
    orchestrator.trigger("manual", "user admin");
    await until(() => fake.calls.length === 1, "run start");
    expect(orchestrator.status().current?.steps.find((s) => s.name === "transfer")).toMatchObject({
      state: "running",
      filesDone: 1,
      filesTotal: 2,
    });
    orchestrator.trigger("watch", "1 file changed");
    orchestrator.pause();
    await until(() => orchestrator.status().state === "paused", "paused");
    const interrupted = orchestrator.runs({ limit: 1, offset: 0 }).items[0]!;
    expect(interrupted.outcome).toBe("interrupted");
    expect(interrupted.steps.find((s) => s.name === "transfer")?.state).toBe("failed");
    expect(interrupted.steps.find((s) => s.name === "memories")?.state).toBe("skipped");
    expect(events.some((e) => e.type === "run-finished" && e.run.id === interrupted.id)).toBe(true);
    // The paused run waits to continue, ahead of the watch request.
    expect(orchestrator.queue().pending.map((p) => `${p.trigger}: ${p.reason}`)).toEqual([
      `manual: continues run ${interrupted.id}`,
      "watch: 1 file changed",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.calls).toHaveLength(1);

    orchestrator.resume();
    await until(() => fake.calls.length === 2, "continued run");
    expect(fake.calls[1]!.request.pauseSignal.aborted).toBe(false);
    fake.release();
    await until(() => fake.calls.length === 3, "watch run");
    fake.release();
    await orchestrator.idle();
  });

  it("stop() ends the current run at a safe point; it continues after a restart", async () => {
    const { orchestrator, fake, store } = makeOrchestrator((o) => new FakeExecutor(o, false));
    await orchestrator.start();
    orchestrator.trigger("manual", "now");
    await until(() => fake.calls.length === 1, "run start");
    orchestrator.trigger("scheduled", "clock");
    await orchestrator.stop();
    expect(fake.calls[0]!.request.signal.aborted).toBe(true);
    expect(orchestrator.status().state).toBe("stopping");
    expect(orchestrator.trigger("manual", "too late").queued).toBe(false);
    const reopened = new Orchestrator({
      startupScan: false,
      config: () => configOf(),
      store,
      logger: quiet,
      version: "test",
      execute: () => Promise.resolve(emptyResult()),
    });
    // The cut-short manual run waits to continue (covering all, it absorbed the scheduled one).
    const pending = reopened.queue().pending;
    expect(pending.map((p) => p.trigger)).toEqual(["manual"]);
    expect(pending[0]!.reason).toMatch(/continues run 1/);
    expect(reopened.runs({ limit: 5, offset: 0 }).items[0]?.outcome).toBe("interrupted");
  });

  it("records a run that throws as failed, with the reason among the recent errors", async () => {
    const store = StateStore.open(join(dir, "state"));
    stores.push(store);
    const orchestrator = new Orchestrator({
      startupScan: false,
      config: () => configOf(),
      store,
      logger: quiet,
      version: "test",
      execute: () => Promise.reject(new Error("PhotoPrism's import folder does not exist")),
    });
    orchestrators.push(orchestrator);
    await orchestrator.start();
    orchestrator.trigger("manual", "x");
    await until(() => orchestrator.status().lastRun !== null, "run end");
    const status = orchestrator.status();
    expect(status.lastRun?.outcome).toBe("failed");
    expect(status.recentErrors[0]?.message).toBe("PhotoPrism's import folder does not exist");
    expect(status.totals.runs).toBe(1);
  });

  it("prunes the audit log with the history's keepDays, at start and after each run", async () => {
    const store = StateStore.open(join(dir, "state"));
    stores.push(store);
    const pruned: number[] = [];
    const orchestrator = new Orchestrator({
      startupScan: false,
      config: () => configOf(),
      store,
      logger: quiet,
      version: "test",
      execute: () => Promise.reject(new Error("the run itself does not matter here")),
      audit: { prune: (days) => (pruned.push(days), 0) },
    });
    orchestrators.push(orchestrator);
    await orchestrator.start();
    expect(pruned).toEqual([configOf().history.keepDays]);
    orchestrator.trigger("manual", "x");
    await until(() => orchestrator.status().lastRun !== null, "run end");
    await until(() => pruned.length === 2, "prune after the run");
  });

  it("takes a new cron expression live and shows its next firings", async () => {
    const { orchestrator, setConfig } = liveConfigOrchestrator(
      configOf("  watch: false\n  cron: '0 3 * * *'"),
    );
    await orchestrator.start();
    const before = orchestrator.status().nextRuns;
    expect(before).toHaveLength(5);
    expect(new Date(before[0]!).getHours()).toBe(3);
    setConfig(configOf("  watch: false\n  cron: '30 * * * *'"));
    await until(() => orchestrator.status().nextRuns[0] !== before[0], "new schedule");
    expect(orchestrator.status().nextRuns.every((at) => new Date(at).getMinutes() === 30)).toBe(
      true,
    );
    setConfig(configOf("  watch: false\n  cron: null"));
    await until(() => orchestrator.status().nextRuns.length === 0, "schedule off");
  });

  it("is in the error state while it cannot apply its schedule, until a run is recorded", async () => {
    const { orchestrator, setConfig } = liveConfigOrchestrator(
      configOf("  watch: false\n  cron: '0 3 * * *'"),
    );
    await orchestrator.start();
    expect(orchestrator.status().state).toBe("idle");
    // Validation keeps this from a real file; a broken schedule still must not go unseen.
    const good = configOf("  watch: false\n  cron: '0 3 * * *'");
    setConfig({ ...good, schedule: { ...good.schedule, cron: "not a cron" } });
    await until(() => orchestrator.status().state === "error", "the error state");
    expect(orchestrator.status().recentErrors[0]?.message).toMatch(/schedule could not be applied/);
    setConfig(good);
    orchestrator.trigger("manual", "after the fix");
    await until(() => orchestrator.status().state === "idle", "back to idle");
  });

  it("runs a folder on its own cron and leaves it out of the global cron's runs", async () => {
    const config = configOf(
      [
        "  watch: false",
        "  cron: '* * * * * *'",
        "  folders:",
        "    - { folder: Photos, cron: '* * * * * *' }",
      ].join("\n"),
    );
    const { orchestrator, fake } = makeOrchestrator((o) => new FakeExecutor(o), config);
    await orchestrator.start();
    const folderSets = () =>
      new Set(fake.calls.map((c) => c.request.config.nextcloud.sourceFolders.join("+")));
    await until(() => folderSets().size === 2, "a run of each schedule");
    await orchestrator.stop();
    expect([...folderSets()].sort()).toEqual(["InstantUpload", "Photos"]);
    expect(fake.calls.every((c) => c.trigger === "scheduled")).toBe(true);
    // The engine itself is untouched: only the source folders differ.
    expect(fake.calls[0]!.request.config.nextcloud.dataDir).toBe(config.nextcloud.dataDir);
    const reasons = new Set(orchestrator.runs({ limit: 50, offset: 0 }).items.map((r) => r.reason));
    expect(reasons).toEqual(
      new Set(["schedule * * * * * * for Photos", "schedule * * * * * * for InstantUpload"]),
    );
    const next = orchestrator.status().nextScheduled ?? [];
    expect(next).toEqual([]); // stopped: no timers left
  });

  it("shows each schedule's next firings and what they cover, and takes edits live", async () => {
    const { orchestrator, setConfig } = liveConfigOrchestrator(
      configOf("  watch: false\n  cron: '0 3 * * *'"),
    );
    await orchestrator.start();
    const covered = () =>
      new Set((orchestrator.status().nextScheduled ?? []).map((f) => JSON.stringify(f.folders)));
    expect(covered()).toEqual(new Set(["null"]));

    const edit = (schedule: string) => setConfig(configOf(schedule));
    edit(
      [
        "  watch: false",
        "  cron: '0 3 * * *'",
        "  folders:",
        "    - { folder: Photos, cron: '30 * * * *' }",
      ].join("\n"),
    );
    await until(() => covered().has('["Photos"]'), "the folder schedule");
    const status = orchestrator.status();
    expect(status.nextScheduled).toHaveLength(5);
    expect(status.nextRuns).toEqual(status.nextScheduled!.map((f) => f.at));
    expect([...status.nextRuns].sort()).toEqual(status.nextRuns); // soonest first
    for (const firing of status.nextScheduled!) {
      if (firing.cron === "30 * * * *") expect(firing.folders).toEqual(["Photos"]);
      else expect(firing).toMatchObject({ cron: "0 3 * * *", folders: ["InstantUpload"] });
    }

    // Every folder on its own schedule, one of them only on file events: the global cron idles.
    edit(
      [
        "  watch: false",
        "  cron: '0 3 * * *'",
        "  folders:",
        "    - { folder: Photos, cron: null }",
        "    - { folder: InstantUpload, cron: null }",
      ].join("\n"),
    );
    await until(() => orchestrator.status().nextRuns.length === 0, "no schedule left");
    edit("  watch: false\n  cron: '0 3 * * *'");
    await until(() => covered().has("null"), "the global schedule back for every folder");
  });

  it("drops a waiting folder run whose folder is no longer a source folder", async () => {
    const { orchestrator, fake, store } = makeOrchestrator((o) => new FakeExecutor(o));
    new RunQueue(store.connection).add("scheduled", "schedule x for Gone", Date.now(), ["Gone"]);
    new RunQueue(store.connection).add("watch", "1 file changed", Date.now());
    await orchestrator.start();
    await until(() => fake.calls.length === 1 && orchestrator.status().state === "idle", "run");
    await orchestrator.idle();
    expect(fake.calls.map((c) => c.trigger)).toEqual(["watch"]);
    expect(orchestrator.status().queueLength).toBe(0);
  });
});
