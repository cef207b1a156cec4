import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Journal } from "../ledger/journal.js";
import { LibraryFiles } from "../ledger/library-files.js";
import { SourceFiles } from "../ledger/source-files.js";
import { sha256, TransferWorld } from "../test-support/transfer-world.js";
import { NotEnoughSpaceError } from "./transfer-errors.js";
import { nodeTransferFs, type TransferFs } from "./transfer-fs.js";

let world: TransferWorld;
afterEach(() => world.close());

const content = (name: string) => `photo bytes of ${name}\n`.repeat(50);

function faulty(overrides: Partial<TransferFs>): TransferFs {
  return { ...nodeTransferFs, ...overrides };
}

describe("TransferExecutor", () => {
  it("delete on one filesystem: renames into a batch folder, keeping mtime, applying the mode", async () => {
    world = new TransferWorld({ afterMove: "delete", files: { uid: 0, gid: 0, mode: 0o640 } });
    const source = world.addFile("anna maria", "InstantUpload/Cam/IMG_1.jpg", content("1"));
    const report = await (
      await world.executor()
    ).run([await world.group("anna maria", ["InstantUpload/Cam/IMG_1.jpg"])]);
    const published = join(report!.publishedDir!, "anna maria/InstantUpload/Cam/IMG_1.jpg");
    expect(readFileSync(published, "utf8")).toBe(content("1"));
    expect(existsSync(source)).toBe(false);
    expect(statSync(published).mode & 0o777).toBe(0o640);
    expect(statSync(published).mtimeMs).toBe(1_600_000_000_000);
    expect(report!.outcomes.map((o) => o.outcome)).toEqual(["deleted"]);
    expect(new Journal(world.store.connection).entries(report!.batchId)[0]).toMatchObject({
      method: "rename",
      state: "done",
    });
    expect(
      new LibraryFiles(world.store.connection).findBySha256(sha256(content("1")))?.location,
    ).toBe(published);
    expect(existsSync(join(world.importDir, ".photoferry", report!.batchId))).toBe(false);
  });

  it("archive: copies into the import folder and moves the original to the archive, sidecars keeping names", async () => {
    world = new TransferWorld({ afterMove: "archive" });
    world.addFile("bob", "Photos/IMG_2.JPG", content("2"));
    world.addFile("bob", "Photos/IMG_2.jpg.xmp", "<xmp/>");
    world.addFile("bob", "Archived Photos/Photos/IMG_2.JPG", "an older, different photo");
    const report = await (
      await world.executor()
    ).run([await world.group("bob", ["Photos/IMG_2.JPG", "Photos/IMG_2.jpg.xmp"])]);
    expect([...world.filesUnder(report!.publishedDir!).keys()].sort()).toEqual([
      "bob/Photos/IMG_2.JPG",
      "bob/Photos/IMG_2.jpg.xmp",
    ]);
    const archive = join(world.dataDir, "bob/files/Archived Photos/Photos");
    expect(readFileSync(join(archive, "IMG_2 (2).JPG"), "utf8")).toBe(content("2"));
    expect(readFileSync(join(archive, "IMG_2 (2).jpg.xmp"), "utf8")).toBe("<xmp/>");
    expect(readFileSync(join(archive, "IMG_2.JPG"), "utf8")).toBe("an older, different photo");
    expect(existsSync(join(world.dataDir, "bob/files/Photos/IMG_2.JPG"))).toBe(false);
  });

  it("keep: copies and leaves the original, remembering it", async () => {
    world = new TransferWorld({ afterMove: "keep" });
    const source = world.addFile("c", "InstantUpload/a.heic", content("a"));
    const report = await (
      await world.executor()
    ).run([await world.group("c", ["InstantUpload/a.heic"])]);
    expect(readFileSync(source, "utf8")).toBe(content("a"));
    expect(world.filesUnder(report!.publishedDir!).get("c/InstantUpload/a.heic")).toBe(
      sha256(content("a")),
    );
    expect(new SourceFiles(world.store.connection).get(source)?.status).toBe("kept");
  });

  it("duplicate: nothing is imported, the original is handled by afterMove", async () => {
    world = new TransferWorld({ afterMove: "archive" });
    world.addFile("d", "Photos/dup.jpg", content("dup"));
    const report = await (
      await world.executor()
    ).run([await world.group("d", ["Photos/dup.jpg"], "duplicate")]);
    expect(report!.publishedDir).toBeNull();
    expect(world.filesUnder(world.importDir).size).toBe(0);
    expect(existsSync(join(world.dataDir, "d/files/Archived Photos/Photos/dup.jpg"))).toBe(true);
  });

  it("leaves a file that vanished or changed since it was hashed, and ferries the rest", async () => {
    world = new TransferWorld({ afterMove: "delete" });
    world.addFile("e", "Photos/gone.jpg", content("gone"));
    const changed = world.addFile("e", "Photos/changed.jpg", content("changed"));
    world.addFile("e", "Photos/fine.jpg", content("fine"));
    const groups = [
      await world.group("e", ["Photos/gone.jpg"]),
      await world.group("e", ["Photos/changed.jpg"]),
      await world.group("e", ["Photos/fine.jpg"]),
    ];
    await nodeTransferFs.unlink(join(world.dataDir, "e/files/Photos/gone.jpg"));
    writeFileSync(changed, content("changed") + "more");
    const report = await (await world.executor()).run(groups);
    expect(
      report!.outcomes.map((o) => [o.entry.sourcePath.split("/").pop(), o.outcome, o.error]),
    ).toEqual([
      ["gone.jpg", "failed", expect.stringContaining("vanished") as unknown],
      ["changed.jpg", "failed", expect.stringContaining("changed since it was hashed") as unknown],
      ["fine.jpg", "deleted", undefined],
    ]);
    expect(readFileSync(changed, "utf8")).toBe(content("changed") + "more");
    expect([...world.filesUnder(report!.publishedDir!).keys()]).toEqual(["e/Photos/fine.jpg"]);
  });

  it("leaves the original untouched when the owner cannot be set", async () => {
    for (const afterMove of ["delete", "archive"] as const) {
      world = new TransferWorld({ afterMove });
      const source = world.addFile("f", "Photos/x.jpg", content("x"));
      const denied = faulty({
        setAttributes: () => Promise.reject(Object.assign(new Error("EPERM"), { code: "EPERM" })),
      });
      const report = await (
        await world.executor(denied)
      ).run([await world.group("f", ["Photos/x.jpg"])]);
      expect(report!.outcomes[0]).toMatchObject({
        outcome: "failed",
        error: expect.stringContaining("permission denied") as unknown,
      });
      expect(readFileSync(source, "utf8")).toBe(content("x"));
      expect(world.filesUnder(world.importDir).size).toBe(0);
      world.close();
    }
    world = new TransferWorld();
  });

  it("refuses a batch that does not fit, before touching anything", async () => {
    world = new TransferWorld({ afterMove: "archive", reserveBytes: 1024 });
    const source = world.addFile("g", "Photos/big.jpg", content("big"));
    const small = faulty({ freeBytes: () => Promise.resolve(100) });
    const executor = await world.executor(small);
    await expect(executor.run([await world.group("g", ["Photos/big.jpg"])])).rejects.toThrow(
      NotEnoughSpaceError,
    );
    expect(existsSync(source)).toBe(true);
    expect(new Journal(world.store.connection).unfinishedBatches()).toEqual([]);
  });

  it("fails cleanly when the disk fills up during a copy", async () => {
    world = new TransferWorld({ afterMove: "archive" });
    world.addFile("h", "Photos/1.jpg", content("1"));
    world.addFile("h", "Photos/2.jpg", content("2"));
    let copies = 0;
    const fills = faulty({
      async copyNew(from, to) {
        if (++copies === 2) {
          writeFileSync(to, "partial");
          throw Object.assign(new Error("ENOSPC"), { code: "ENOSPC" });
        }
        return nodeTransferFs.copyNew(from, to);
      },
    });
    const report = await (
      await world.executor(fills)
    ).run([await world.group("h", ["Photos/1.jpg"]), await world.group("h", ["Photos/2.jpg"])]);
    expect(report!.outcomes.map((o) => o.outcome)).toEqual(["archived", "failed"]);
    expect(report!.outcomes[1]!.error).toContain("disk is full");
    expect(readFileSync(join(world.dataDir, "h/files/Photos/2.jpg"), "utf8")).toBe(content("2"));
    expect([...world.filesUnder(world.importDir).keys()]).toEqual([
      `${report!.batchId}/h/Photos/1.jpg`,
    ]);
  });
});

describe("TransferExecutor recovery when the import folder is not there", () => {
  it("refuses to finish a batch whose staging folder is missing, and finishes it once it is back", async () => {
    world = new TransferWorld({ afterMove: "delete" });
    const source = world.addFile("m", "Photos/x.jpg", content("x"));
    const group = await world.group("m", ["Photos/x.jpg"]);
    // Crash just before the publishing rename.
    const crashing = faulty({
      renameNoReplace: async (from, to) => {
        if (/\/\.photoferry\/photoferry-[^/]+$/.test(from)) throw new Error("crash");
        return nodeTransferFs.renameNoReplace(from, to);
      },
    });
    await expect((await world.executor(crashing, "other-fs")).run([group])).rejects.toThrow(
      "crash",
    );
    // The import volume is not mounted on restart: an empty folder stands in its place.
    const mounted = `${world.importDir}.real`;
    renameSync(world.importDir, mounted);
    mkdirSync(world.importDir);
    world.restart();
    await expect((await world.executor(nodeTransferFs, "other-fs")).recover()).rejects.toThrow(
      /is PhotoPrism's import folder mounted\?/,
    );
    expect(readFileSync(source, "utf8")).toBe(content("x"));
    // Mounted again: the batch is finished.
    rmSync(world.importDir, { recursive: true });
    renameSync(mounted, world.importDir);
    const [report] = await (await world.executor(nodeTransferFs, "other-fs")).recover();
    expect(report!.outcomes.map((o) => o.outcome)).toEqual(["deleted"]);
    expect(existsSync(source)).toBe(false);
    expect(world.filesUnder(world.importDir).size).toBe(1);
  });
});

describe("TransferExecutor across two mounts of one filesystem", () => {
  it("falls back to copying when a rename is refused with EXDEV, and records it", async () => {
    world = new TransferWorld({ afterMove: "delete" });
    const source = world.addFile("n", "Photos/x.jpg", content("x"));
    const mounts = faulty({
      renameNoReplace: (from, to) =>
        from === source
          ? Promise.reject(Object.assign(new Error("EXDEV"), { code: "EXDEV" }))
          : nodeTransferFs.renameNoReplace(from, to),
    });
    const report = await (
      await world.executor(mounts)
    ).run([await world.group("n", ["Photos/x.jpg"])]);
    expect(report!.outcomes[0]).toMatchObject({ outcome: "deleted", entry: { method: "copy" } });
    expect(existsSync(source)).toBe(false);
    expect(world.filesUnder(report!.publishedDir!).get("n/Photos/x.jpg")).toBe(
      sha256(content("x")),
    );
  });
});

describe("TransferExecutor keeps groups whole", () => {
  it("takes back a Live Photo's still when its movie fails, for both methods", async () => {
    for (const afterMove of ["delete", "archive"] as const) {
      world = new TransferWorld({ afterMove });
      const still = world.addFile("p", "InstantUpload/IMG_1.HEIC", content("still"));
      const movie = world.addFile("p", "InstantUpload/IMG_1.MOV", content("movie"));
      const live = await world.group("p", ["InstantUpload/IMG_1.HEIC", "InstantUpload/IMG_1.MOV"]);
      writeFileSync(movie, content("movie") + "still being written");
      const report = await (await world.executor()).run([live]);
      expect(report!.outcomes.map((o) => o.outcome)).toEqual(["failed", "failed"]);
      expect(report!.outcomes[0]!.error).toContain("another file of its group");
      expect(readFileSync(still, "utf8")).toBe(content("still"));
      expect(world.filesUnder(world.importDir).size).toBe(0);
      world.close();
    }
    world = new TransferWorld();
  });
});
