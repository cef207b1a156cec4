import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildForChildProcess } from "../test-support/child-build.js";
import { hash, type FerryWorld } from "../test-support/ferry-world.js";
import { simulatedWorld } from "../test-support/simulated-world.js";
import { startServe, type RunningServe } from "./serve.js";
import type { ServiceEvent } from "./service-contract.js";

// `serve` in-process against the occ and photoprism simulators: a file dropped into a
// user's folder is seen by the watcher and ferried through the whole chain.
let built: string;
beforeAll(() => {
  built = buildForChildProcess();
}, 120_000);

let world: FerryWorld | undefined;
let running: RunningServe | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  world?.close();
  world = undefined;
});

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function until(condition: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function serveWorld(schedule: string): FerryWorld {
  world = simulatedWorld(built, { extraYaml: `schedule:\n${schedule}` });
  return world;
}

const serve = (w: FerryWorld) =>
  startServe({
    configPath: w.configPath,
    env: { PHOTOFERRY_SECRETS_DIR: join(w.root, "no-secrets"), PHOTOFERRY_LOG_LEVEL: "info" },
    port: 0,
    host: "127.0.0.1",
    logDestination: sink(),
  });

describe("photoferry serve", { timeout: 120_000 }, () => {
  it("answers /healthz and ferries a file the watcher saw, once it settled", async () => {
    const w = serveWorld("  watch: true\n  cron: null\n  settleSeconds: 1");
    w.addUserDir("bob");
    running = await serve(w);
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);

    const events: ServiceEvent[] = [];
    running.service.subscribe((event) => events.push(event));
    // Written now: a fresh mtime, so the settle rule holds it back for settleSeconds.
    const content = randomBytes(8192);
    w.add("bob", "Photos/new.jpg", content, new Date());
    await until(
      () => [...w.tree(w.originalsDir).values()].includes(hash(content)),
      "the photo in PhotoPrism's library",
      60_000,
    );
    await until(() => running!.service.status().state === "idle", "the run to end");
    const runs = running.service.runs({ limit: 10, offset: 0 }).items;
    expect(runs.every((run) => run.trigger === "watch")).toBe(true);
    const moved = runs.find((run) => run.counts.moved === 1);
    expect(moved?.outcome).toBe("ok");
    expect(moved?.steps.find((s) => s.name === "transfer")?.state).toBe("done");
    const detail = running.service.run(moved!.id)!;
    expect(detail.files.map((f) => [f.action, f.userId])).toEqual(
      expect.arrayContaining([
        ["transferred", "bob"],
        ["imported", "bob"],
      ]),
    );
    expect(detail.commands.map((c) => c.step)).toContain("import");
    expect(running.service.activity({ hash: hash(content).slice(0, 12) }).total).toBe(2);
    expect(running.service.users().find((u) => u.id === "bob")?.counts.moved).toBe(1);
    expect(events.some((e) => e.type === "progress")).toBe(true);
    expect(events.some((e) => e.type === "run-finished")).toBe(true);
    expect(events.some((e) => e.type === "log" && e.message === "run started")).toBe(true);
  });

  it("takes a cron edit in the config file live, and holds the state folder's lock", async () => {
    const w = serveWorld("  watch: false\n  cron: '0 3 * * *'");
    running = await serve(w);
    const before = running.service.status().nextRuns;
    expect(new Date(before[0]!).getHours()).toBe(3);
    expect(existsSync(join(w.stateDir, "photoferry.lock"))).toBe(true);

    writeFileSync(
      w.configPath,
      readFileSync(w.configPath, "utf8").replace("cron: '0 3 * * *'", "cron: '45 * * * *'"),
    );
    await until(() => running!.service.status().nextRuns[0] !== before[0], "the new schedule");
    const after = running.service.status().nextRuns;
    expect(after.every((at) => new Date(at).getMinutes() === 45)).toBe(true);

    const reply = await fetch(`${running.url}/api/sync/trigger`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reason: "test" }),
    });
    expect(reply.status).toBe(202);
    await until(() => running!.service.status().lastRun?.trigger === "manual", "the manual run");
    expect(running.service.status().lastRun).toMatchObject({
      trigger: "manual",
      reason: "test",
      outcome: "nothing-to-do",
    });
  });

  it("runs a folder's own schedule over that folder only; a manual run covers the rest", async () => {
    const w = serveWorld(
      [
        "  watch: false",
        "  cron: null",
        "  folders:",
        "    - { folder: Photos, cron: '* * * * * *' }",
      ].join("\n"),
    );
    const inPhotos = w.add("carol", "Photos/scheduled.jpg");
    const inUploads = w.add("carol", "InstantUpload/waits.jpg");
    running = await serve(w);
    const library = () => [...w.tree(w.originalsDir).values()];
    await until(() => library().includes(hash(inPhotos)), "the Photos photo in the library");
    await until(() => running!.service.status().state === "idle", "the run to end");
    expect(library()).not.toContain(hash(inUploads));
    expect(existsSync(join(w.dataDir, "carol", "files", "InstantUpload", "waits.jpg"))).toBe(true);
    const moved = running.service.runs({ limit: 50, offset: 0 }).items.find((r) => r.counts.moved);
    expect(moved).toMatchObject({
      trigger: "scheduled",
      reason: "schedule * * * * * * for Photos",
    });
    expect(running.service.status().nextScheduled?.[0]?.folders).toEqual(["Photos"]);

    running.service.trigger("manual", "everything");
    await until(() => library().includes(hash(inUploads)), "the InstantUpload photo");
    expect(library().filter((h) => h === hash(inPhotos))).toHaveLength(1);
  });
});
