import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildForChildProcess } from "../test-support/child-build.js";
import { FerryWorld, hash } from "../test-support/ferry-world.js";

const rounds = Number(process.env.PHOTOFERRY_KILL_ROUNDS ?? 40);
let world: FerryWorld | undefined;
afterAll(() => {
  world?.close();
  const build = buildForChildProcess();
  rmSync(join(build, ".."), { recursive: true, force: true });
});

/** Runs `photoferry run --once` in a child and SIGKILLs it after `killAfterMs` (or lets it end). */
function runChild(bin: string, config: string, killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "run", "--once", "--config", config], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, PHOTOFERRY_LOG_LEVEL: "error" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve(null);
      else if (code === 0) resolve(0);
      else reject(new Error(`photoferry exited ${code}: ${stderr}`));
    });
  });
}

describe("SIGKILL at random instants during passes", () => {
  it(
    `loses nothing and duplicates nothing over ${rounds} kills`,
    { timeout: 600_000 },
    async () => {
      const bin = join(buildForChildProcess(), "cli", "bin.js");
      world = new FerryWorld();
      const contents = new Map<string, Buffer>();
      const addPhotos = (round: number, count: number): void => {
        for (let i = 0; i < count; i++) {
          const user = ["anna", "bob smith", "o'brien"][i % 3]!;
          const below = `InstantUpload/r${round}/IMG_${i}.jpg`;
          contents.set(`${user}/${below}`, world!.add(user, below, randomBytes(64 * 1024 + i)));
          if (i % 5 === 0)
            world!.add(
              user,
              `InstantUpload/r${round}/IMG_${i}.jpg.xmp`,
              `<xmp r=${round} i=${i}/>`,
            );
        }
      };
      // How long one pass takes, to spread the kills over it.
      addPhotos(0, 30);
      const started = Date.now();
      await runChild(bin, world.configPath);
      const passMs = Math.max(200, Date.now() - started);

      let killed = 0;
      for (let round = 1; round <= rounds; round++) {
        addPhotos(round, 12);
        if ((await runChild(bin, world.configPath, Math.random() * passMs)) === null) killed++;
      }
      expect(await runChild(bin, world.configPath)).toBe(0); // recovers, then ferries the rest
      expect(killed).toBeGreaterThan(rounds / 4);

      const tree = world.tree();
      const byHash = new Map<string, string[]>();
      for (const [path, h] of tree) byHash.set(h, [...(byHash.get(h) ?? []), path]);
      for (const [key, content] of contents) {
        const places = byHash.get(hash(content)) ?? [];
        const imported = places.filter((p) => p.startsWith("photoprism/import/photoferry-"));
        const archived = places.filter((p) => p.includes("/Archived Photos/"));
        expect({
          key,
          imported: imported.length,
          archived: archived.length,
          elsewhere: places.length - imported.length - archived.length,
        }).toEqual({
          key,
          imported: 1,
          archived: 1,
          elsewhere: 0,
        });
      }
      const staging = join(world.importDir, ".photoferry");
      const leftovers = existsSync(staging) ? readdirSync(staging) : [];
      expect(leftovers.filter((name) => name !== "quarantine")).toEqual([]);
      expect([...tree.keys()].filter((path) => path.includes(".pf-partial"))).toEqual([]);
    },
  );
});
