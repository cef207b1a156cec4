import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { mountTmpfs } from "../test-support/tmpfs.js";
import { sha256, TransferWorld } from "../test-support/transfer-world.js";
import { NotEnoughSpaceError } from "./transfer-errors.js";
import { nodeTransferFs } from "./transfer-fs.js";

const unmounts: (() => void)[] = [];
let world: TransferWorld | undefined;
const extraDirs: string[] = [];
afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
  world?.close();
  world = undefined;
  for (const dir of extraDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A world whose import folder is a small tmpfs of its own, or null where mounting is refused. */
function worldOnTmpfs(
  size: string,
  settings: ConstructorParameters<typeof TransferWorld>[0],
): TransferWorld | null {
  const candidate = new TransferWorld(settings);
  const unmount = mountTmpfs(candidate.importDir, size);
  if (!unmount) {
    candidate.close();
    return null;
  }
  unmounts.push(unmount);
  return candidate;
}

const photo = (n: number, kib: number) => Buffer.alloc(kib * 1024, n);

describe("transfers across real filesystems", () => {
  it("copies, verifies and then deletes when the import folder is another filesystem", async (context) => {
    world = worldOnTmpfs("8m", { afterMove: "delete" }) ?? undefined;
    if (!world) return context.skip();
    const source = world.addFile("anna", "InstantUpload/a.jpg", photo(1, 300));
    const group = await world.group("anna", ["InstantUpload/a.jpg"]);
    const report = await (await world.executor()).run([group]);
    expect(report!.outcomes[0]).toMatchObject({ outcome: "deleted", entry: { method: "copy" } });
    expect(existsSync(source)).toBe(false);
    expect(sha256(readFileSync(join(report!.publishedDir!, "anna/InstantUpload/a.jpg")))).toBe(
      sha256(photo(1, 300)),
    );
  });

  it("archives across filesystems by copy, verify and unlink", async (context) => {
    const archiveRoot = mkdtempSync(join(tmpdir(), "photoferry-archive-"));
    extraDirs.push(archiveRoot);
    world = new TransferWorld({ afterMove: "archive", archiveDir: join(archiveRoot, "{user}") });
    const unmount = mountTmpfs(archiveRoot, "8m");
    if (!unmount) return context.skip();
    unmounts.push(unmount);
    const source = world.addFile("bob", "Photos/b.jpg", photo(2, 200));
    const report = await (await world.executor()).run([await world.group("bob", ["Photos/b.jpg"])]);
    expect(report!.outcomes[0]!.outcome).toBe("archived");
    expect(existsSync(source)).toBe(false);
    expect(sha256(readFileSync(join(archiveRoot, "bob/Photos/b.jpg")))).toBe(sha256(photo(2, 200)));
    expect(readdirSync(join(archiveRoot, "bob/Photos"))).toEqual(["b.jpg"]);
  });

  it("refuses a batch larger than the free space, touching nothing", async (context) => {
    world = worldOnTmpfs("1m", { afterMove: "archive" }) ?? undefined;
    if (!world) return context.skip();
    for (const n of [1, 2, 3]) world.addFile("c", `Photos/${n}.jpg`, photo(n, 400));
    const groups = await Promise.all([1, 2, 3].map((n) => world!.group("c", [`Photos/${n}.jpg`])));
    await expect((await world.executor()).run(groups)).rejects.toThrow(NotEnoughSpaceError);
    expect(readdirSync(world.importDir)).toEqual([]);
    for (const n of [1, 2, 3])
      expect(existsSync(join(world.dataDir, `c/files/Photos/${n}.jpg`))).toBe(true);
  });

  it("fails cleanly when the disk really fills up mid-batch, and the rest can go later", async (context) => {
    world = worldOnTmpfs("1m", { afterMove: "delete" }) ?? undefined;
    if (!world) return context.skip();
    for (const n of [1, 2, 3]) world.addFile("d", `Photos/${n}.jpg`, photo(n, 400));
    const groups = await Promise.all([1, 2, 3].map((n) => world!.group("d", [`Photos/${n}.jpg`])));
    // Another writer used the space after the check: pretend the check saw plenty.
    const optimistic = { ...nodeTransferFs, freeBytes: () => Promise.resolve(2 ** 40) };
    const report = await (await world.executor(optimistic)).run(groups);
    const outcomes = report!.outcomes.map((o) => o.outcome);
    expect(outcomes.filter((o) => o === "deleted").length).toBeGreaterThanOrEqual(1);
    expect(outcomes).toContain("failed");
    expect(report!.outcomes.find((o) => o.outcome === "failed")!.error).toContain("disk is full");
    for (const [n, outcome] of outcomes.entries()) {
      const source = join(world.dataDir, `d/files/Photos/${n + 1}.jpg`);
      expect(existsSync(source), `photo ${n + 1}`).toBe(outcome === "failed");
    }
    expect(readdirSync(join(world.importDir, ".photoferry"))).toEqual([]);
    const leftovers: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name));
        else leftovers.push(entry.name);
      }
    };
    walk(world.importDir);
    expect(leftovers.filter((name) => name.includes(".pf-partial"))).toEqual([]);
  });
});
