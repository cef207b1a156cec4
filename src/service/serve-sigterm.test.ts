import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RunHistory } from "../ledger/run-history.js";
import { RunQueue } from "../ledger/run-queue.js";
import { StateStore } from "../state/state-store.js";
import { buildForChildProcess } from "../test-support/child-build.js";
import { FerryWorld, hash } from "../test-support/ferry-world.js";

let world: FerryWorld | undefined;
afterAll(() => world?.close());

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += countFiles(join(dir, entry.name));
    else count++;
  }
  return count;
}

describe("SIGTERM while serve is transferring", () => {
  it(
    "exits within 30 s, and a later run finishes everything without loss or duplicates",
    { timeout: 300_000 },
    async () => {
      const bin = join(buildForChildProcess(), "cli", "bin.js");
      const w = (world = new FerryWorld("schedule:\n  watch: false\n  cron: null"));
      const contents = new Map<string, Buffer>();
      for (let i = 0; i < 400; i++) {
        const user = ["anna", "bob smith"][i % 2]!;
        contents.set(
          `${user}/${i}`,
          w.add(user, `InstantUpload/IMG_${i}.jpg`, randomBytes(256 * 1024 + i)),
        );
      }
      // A run asked for before the service starts: the persisted queue hands it over.
      const store = StateStore.open(w.stateDir);
      new RunQueue(store.connection).add("manual", "asked before the start", Date.now());
      store.close();

      const child = spawn(
        process.execPath,
        [bin, "serve", "--config", w.configPath, "--port", "0", "--host", "127.0.0.1"],
        {
          stdio: ["ignore", "pipe", "pipe"],
          env: {
            ...process.env,
            PHOTOFERRY_LOG_LEVEL: "info",
            PHOTOFERRY_SECRETS_DIR: join(w.root, "none"),
          },
        },
      );
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.on("exit", (code) => resolve(code)),
      );

      const staging = join(w.importDir, ".photoferry");
      const deadline = Date.now() + 120_000;
      while (countFiles(staging) < 20) {
        if (Date.now() > deadline) throw new Error(`the transfer never started:\n${stderr}`);
        if (child.exitCode !== null) throw new Error(`serve exited early:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const signalled = Date.now();
      child.kill("SIGTERM");
      const code = await exited;
      const took = Date.now() - signalled;
      expect(code, stderr).toBe(0);
      expect(took).toBeLessThan(30_000);
      // It stopped mid-batch: not everything was published yet.
      const published = countFiles(w.importDir) - countFiles(staging);
      expect(published).toBeLessThan(contents.size);

      const reopened = StateStore.open(w.stateDir);
      const last = new RunHistory(reopened.connection).list({ limit: 1, offset: 0 }).items[0];
      reopened.close();
      expect(last?.outcome).toBe("interrupted");

      const after = await w.run();
      expect(after.code, after.err + after.out).toBe(0);
      const byHash = new Map<string, string[]>();
      for (const [path, h] of w.tree()) byHash.set(h, [...(byHash.get(h) ?? []), path]);
      for (const [key, content] of contents) {
        const places = byHash.get(hash(content)) ?? [];
        expect({
          key,
          imported: places.filter((p) => p.startsWith("photoprism/import/photoferry-")).length,
          archived: places.filter((p) => p.includes("/Archived Photos/")).length,
          total: places.length,
        }).toEqual({ key, imported: 1, archived: 1, total: 2 });
      }
      const leftovers = existsSync(staging) ? readdirSync(staging) : [];
      expect(leftovers.filter((name) => name !== "quarantine")).toEqual([]);
    },
  );
});
