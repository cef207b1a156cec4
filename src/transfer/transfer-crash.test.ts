import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Journal } from "../ledger/journal.js";
import { sha256, TransferWorld } from "../test-support/transfer-world.js";
import type { PlannedGroup, TransferSettings } from "./transfer-executor.js";
import { nodeTransferFs, type TransferFs } from "./transfer-fs.js";

class Crash extends Error {}

const mutating = [
  "mkdirp",
  "renameNoReplace",
  "copyNew",
  "fsyncDir",
  "setAttributes",
  "unlink",
  "pruneEmptyDirs",
] as const;

/** Dies (throws Crash) just before, or just after, the n-th file-system change. */
function crashingFs(n: number, when: "before" | "after"): { fs: TransferFs; count: () => number } {
  let seen = 0;
  const fs = { ...nodeTransferFs } as Record<string, unknown>;
  for (const name of mutating) {
    // `pruneEmptyDirs` calls itself through `this`, so the crash counts its inner calls too.
    const real = (
      nodeTransferFs as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    )[name]!;
    fs[name] = async (...args: unknown[]) => {
      seen++;
      if (seen === n && when === "before") throw new Crash(`crash before ${name}`);
      const result = await real.apply(fs, args);
      if (seen === n && when === "after") throw new Crash(`crash after ${name}`);
      return result;
    };
  }
  return { fs: fs as unknown as TransferFs, count: () => seen };
}

const files = {
  "anna maria/InstantUpload/IMG_1.HEIC": "heic still",
  "anna maria/InstantUpload/IMG_1.MOV": "live video",
  "anna maria/InstantUpload/IMG_1.HEIC.xmp": "<xmp/>",
  "bob/Photos/-odd name\u00e9.jpg": "a photo with an odd name",
  "bob/Photos/dup.jpg": "already in the library",
};

async function scenario(world: TransferWorld): Promise<PlannedGroup[]> {
  for (const [key, text] of Object.entries(files)) {
    const [user, ...rest] = key.split("/");
    world.addFile(user!, rest.join("/"), text.repeat(200));
  }
  return [
    await world.group("anna maria", [
      "InstantUpload/IMG_1.HEIC",
      "InstantUpload/IMG_1.MOV",
      "InstantUpload/IMG_1.HEIC.xmp",
    ]),
    await world.group("bob", ["Photos/-odd name\u00e9.jpg"]),
    await world.group("bob", ["Photos/dup.jpg"], "duplicate"),
  ];
}

/** Nothing lost, nothing twice: each content is ferried per the policy, or untouched. */
function checkInvariants(
  world: TransferWorld,
  policy: TransferSettings["afterMove"],
  label: string,
): void {
  expect(new Journal(world.store.connection).unfinishedBatches()).toEqual([]);
  expect(world.filesUnder(join(world.importDir, ".photoferry")).size).toBe(0);
  const everything = world.filesUnder(world.root);
  expect([...everything.keys()].filter((path) => path.includes(".pf-partial"))).toEqual([]);
  const imported = [...world.filesUnder(world.importDir).entries()];
  for (const [key, text] of Object.entries(files)) {
    const [user, ...rest] = key.split("/");
    const below = rest.join("/");
    const hash = sha256(text.repeat(200));
    const source = join(world.dataDir, user!, "files", below);
    const archived = join(world.dataDir, user!, "files", "Archived Photos", below);
    const inImport = imported.filter(([, h]) => h === hash);
    const duplicate = key.endsWith("dup.jpg");
    const untouched =
      existsSync(source) && sha256(readFileSync(source)) === hash && !existsSync(archived);
    if (inImport.length === 0 && untouched) continue; // never started: the next pass ferries it
    expect(inImport.length, `${key}, ${label}`).toBe(duplicate ? 0 : 1);
    if (!duplicate)
      expect(inImport[0]![0].endsWith(`/${user}/${below}`), `${key}, ${label}`).toBe(true);
    if (policy === "keep") expect(untouched, `${key}, ${label}`).toBe(true);
    else expect(existsSync(source), `${key}, ${label}`).toBe(false);
    if (policy === "archive") expect(sha256(readFileSync(archived)), `${key}, ${label}`).toBe(hash);
  }
}

describe("a crash at any instant of a transfer", () => {
  const cases: [TransferSettings["afterMove"], "same-fs" | "copy"][] = [
    ["delete", "same-fs"],
    ["delete", "copy"],
    ["archive", "same-fs"],
    ["keep", "same-fs"],
  ];
  let world: TransferWorld | undefined;
  afterEach(() => world?.close());

  it.each(cases)(
    "afterMove %s (%s): recovery finishes or rolls back every step",
    // Dozens of crash-and-recover rounds: 20 s was too tight on a loaded 2-CPU machine.
    { timeout: 90_000 },
    async (afterMove, mode) => {
      const dev = mode === "copy" ? "another-filesystem" : undefined;
      let total = Infinity;
      for (let n = 1; n <= total; n++) {
        for (const when of ["before", "after"] as const) {
          world = new TransferWorld({ afterMove });
          const groups = await scenario(world);
          const crashing = crashingFs(n, when);
          let crashed = false;
          try {
            await (await world.executor(crashing.fs, dev)).run(groups);
          } catch (error) {
            if (!(error instanceof Crash)) throw error;
            crashed = true;
          }
          if (!crashed) total = Math.min(total, crashing.count());
          world.restart();
          await (await world.executor(nodeTransferFs, dev)).recover();
          checkInvariants(world, afterMove, `crash ${when} step ${n}`);
          world.close();
          world = undefined;
        }
      }
      expect(total).toBeGreaterThan(10);
    },
  );
});
