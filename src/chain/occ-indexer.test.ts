import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResolvedOcc } from "../config/presets.js";
import { CommandLog } from "../ledger/command-log.js";
import { createLocalRunner } from "../runners/local-runner.js";
import {
  createSimulatedNextcloud,
  readFileCache,
  readMemoriesIndex,
  setMaintenanceMode,
  updateSimulatorSettings,
} from "../simulators/nextcloud/simulated-nextcloud.js";
import { StateStore } from "../state/state-store.js";
import { buildForChildProcess } from "../test-support/child-build.js";
import { CommandQueue } from "./command-queue.js";
import { OccIndexer } from "./occ-indexer.js";

// The real program path, through the local runner: argv arrays end to end, no shell.
let simulator: string;
const dirs: string[] = [];
beforeAll(() => {
  simulator = join(buildForChildProcess(), "simulators/nextcloud/occ-sim.js");
}, 120_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function world(options: { version?: string; memoriesVersion?: string | null } = {}) {
  const root = mkdtempSync(join(tmpdir(), "occ-indexer-"));
  dirs.push(root);
  const nc = createSimulatedNextcloud({
    root: join(root, "nextcloud"),
    users: ["alice", "my user"],
    ownerUid: process.getuid!(),
    ...options,
  });
  const store = StateStore.open(join(root, "state"));
  const log = new CommandLog(store.connection);
  const occ: ResolvedOcc = {
    enabled: true,
    timeoutMinutes: 1,
    preset: "custom",
    runner: "local",
    container: null,
    user: String(process.getuid!()),
    command: [process.execPath, simulator, nc.occPath],
  };
  const queue = new CommandQueue({
    retry: { attempts: 2, firstDelayMs: 10, maxDelayMs: 10 },
    logger: pino({ level: "silent" }),
  });
  const indexer = new OccIndexer(occ, {
    runner: createLocalRunner(),
    queue,
    log,
    now: Date.now,
    timeoutMs: 60_000,
  });
  const addPhoto = (user: string, below: string) => {
    const path = join(nc.dataDir, user, "files", below);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, "jpeg bytes");
  };
  return { nc, store, log, indexer, addPhoto, occ };
}

describe("OccIndexer against the occ simulator", { timeout: 60_000 }, () => {
  it("checks status, scans a folder with a space in the user id, and indexes Memories", async () => {
    const w = world();
    expect(await w.indexer.check()).toEqual({ ok: true, version: expect.any(String) as string });
    w.addPhoto("my user", "Photo Library/2024/06/a.jpg");
    const scan = await w.indexer.scan("/my user/files/Photo Library/2024/06");
    expect(scan.ok).toBe(true);
    expect(scan.summary).toMatch(/1 files/);
    expect(Object.keys(readFileCache(w.nc.root))).toContain(
      "/my user/files/Photo Library/2024/06/a.jpg",
    );
    const memories = await w.indexer.indexMemories("my user", "Photo Library/2024/06");
    expect(memories).toMatchObject({ ok: true });
    expect(readMemoriesIndex(w.nc.root).entries.map((e) => e.path)).toContain(
      "/my user/files/Photo Library/2024/06/a.jpg",
    );
    const steps = w.log.since(0).map((c) => [c.step, c.ok]);
    expect(steps).toEqual([
      ["status", true],
      ["files:scan", true],
      ["memories:index --help", true],
      ["memories:index", true],
    ]);
    expect(w.log.since(0)[1]!.argv).toContain("--path=/my user/files/Photo Library/2024/06");
    w.store.close();
  });

  it("uses --folder on Memories older than 7.6.1", async () => {
    const w = world({ memoriesVersion: "7.3.1" });
    w.addPhoto("alice", "Photos/b.jpg");
    await w.indexer.scan("/alice/files/Photos");
    expect(await w.indexer.indexMemories("alice", "Photos")).toMatchObject({ ok: true });
    const index = w.log.since(0).find((c) => c.step === "memories:index")!;
    expect(index.argv).toContain("--folder=Photos");
    w.store.close();
  });

  it("reports what occ's exit code hides: unknown users and missing paths", async () => {
    const w = world();
    const missing = await w.indexer.scan("/alice/files/Nowhere");
    expect(missing.ok).toBe(false);
    expect(missing.summary).toMatch(/not found/i);
    const stranger = await w.indexer.scan("/bob/files/Photos");
    expect(stranger.ok).toBe(false);
    expect(w.log.since(0).every((c) => c.exitCode === 0)).toBe(true);
    w.store.close();
  });

  it("passes a scan whose only error is some other file's unreadable (NFD) name, naming it", async () => {
    const w = world();
    w.addPhoto("alice", "Photos/ok.jpg");
    w.addPhoto("alice", "Photos/Cafe\u0301.jpg"); // NFD, as copied from a Mac
    const scan = await w.indexer.scan("/alice/files/Photos");
    expect(scan.ok).toBe(true);
    expect(scan.summary).toMatch(/Cafe\u0301\.jpg/);
    w.store.close();
  });

  it("says Nextcloud is in maintenance mode instead of scanning", async () => {
    const w = world();
    setMaintenanceMode(w.nc.root, true);
    const check = await w.indexer.check();
    expect(check.ok).toBe(false);
    expect(check.ok === false && check.problem).toMatch(/maintenance/i);
    w.store.close();
  });

  it("explains the wrong-user refusal with the user occ wants", async () => {
    const w = world();
    chownSync(join(w.nc.root, "config", "config.php"), 33, 33);
    const check = await w.indexer.check();
    expect(check.ok).toBe(false);
    expect(check.ok === false && `${check.problem} ${check.hint}`).toMatch(/33/);
    w.store.close();
  });

  it("notices files Memories failed to index, though occ exits 0", async () => {
    const w = world();
    w.addPhoto("alice", "Photos/broken.jpg");
    w.addPhoto("alice", "Photos/fine.jpg");
    updateSimulatorSettings(w.nc.root, {
      indexFailures: [
        { pathPrefix: "/alice/files/Photos/broken.jpg", message: "exiftool crashed" },
      ],
    });
    await w.indexer.scan("/alice/files/Photos");
    const outcome = await w.indexer.indexMemories("alice", "Photos");
    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toMatch(/broken\.jpg/);
    w.store.close();
  });

  it("says so when Memories is not installed", async () => {
    const w = world({ memoriesVersion: null });
    await expect(w.indexer.indexMemories("alice", "Photos")).rejects.toThrow(
      /Memories app is not installed/,
    );
    w.store.close();
  });
});
