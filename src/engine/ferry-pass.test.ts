import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SourceFiles } from "../ledger/source-files.js";
import { StateStore } from "../state/state-store.js";
import { jpegWithExif } from "../test-support/exif-jpeg.js";
import { FerryWorld, hash } from "../test-support/ferry-world.js";

let world: FerryWorld;
afterEach(() => world.close());

/** Where each content hash ended up, relative to the world's root. */
function locations(content: Buffer): string[] {
  const wanted = hash(content);
  return [...world.tree().entries()]
    .filter(([, h]) => h === wanted)
    .map(([path]) => path)
    .sort();
}

describe("photoferry run --once", () => {
  it("ferries every new photo exactly once and archives the originals", async () => {
    world = new FerryWorld();
    const heic = world.add("anna maria", "InstantUpload/Camera/IMG_1.HEIC");
    const mov = world.add("anna maria", "InstantUpload/Camera/IMG_1.MOV");
    const xmp = world.add("anna maria", "InstantUpload/Camera/IMG_1.HEIC.xmp", "<xmp/>");
    const raw = world.add("bob@example.com", "Photos/DSC_2.NEF");
    const jpg = world.add("bob@example.com", "Photos/DSC_2.JPG");
    const shared = world.add("jürgen", "InstantUpload/same.jpg");
    world.add("o'brien", "InstantUpload/same.jpg", shared);
    world.add("o'brien", "InstantUpload/notes.txt", "not a photo");
    world.add("o'brien", "InstantUpload/upload.jpg.part", "half");
    world.add("o'brien", "Other/elsewhere.jpg"); // not a source folder
    mkdirSync(join(world.dataDir, "appdata_oc123", "files"), { recursive: true });

    const { code, out } = await world.run();
    expect(code, out).toBe(0);
    const batch = /Published to PhotoPrism's import folder: (.*)/.exec(out)![1]!;
    const inBatch = (path: string) => join("photoprism/import", batch.split("/").pop()!, path);
    expect(locations(heic)).toEqual([
      "nextcloud/data/anna maria/files/Archived Photos/InstantUpload/Camera/IMG_1.HEIC",
      inBatch("anna maria/InstantUpload/Camera/IMG_1.HEIC"),
    ]);
    expect(locations(mov)).toContain(inBatch("anna maria/InstantUpload/Camera/IMG_1.MOV"));
    expect(locations(xmp)).toContain(inBatch("anna maria/InstantUpload/Camera/IMG_1.HEIC.xmp"));
    expect(locations(raw)).toContain(inBatch("bob@example.com/Photos/DSC_2.NEF"));
    expect(locations(jpg)).toContain(inBatch("bob@example.com/Photos/DSC_2.JPG"));
    expect(existsSync(join(world.dataDir, "o'brien/files/InstantUpload/notes.txt"))).toBe(true);
    expect(existsSync(join(world.dataDir, "o'brien/files/InstantUpload/upload.jpg.part"))).toBe(
      true,
    );
    expect(existsSync(join(world.dataDir, "o'brien/files/Other/elsewhere.jpg"))).toBe(true);
    expect(existsSync(join(world.importDir, ".photoferry", batch.split("/").pop()!))).toBe(false);

    // The same photo from a second user waits for the next pass, which finds it in the ledger.
    expect(locations(shared).filter((p) => p.includes("Archived Photos"))).toHaveLength(1);
    const again = await world.run();
    expect(again.code).toBe(0);
    expect(again.out).not.toContain("transfer ");
    expect(again.out).toMatch(
      /duplicate +\S*o'brien\S*same\.jpg — same content is already in the library/,
    );
    expect(locations(shared).filter((p) => p.startsWith("photoprism/"))).toHaveLength(1);
    expect(locations(shared).filter((p) => p.includes("Archived Photos"))).toHaveLength(2);
  });

  it("changes nothing on a dry run and says per file what would happen", async () => {
    world = new FerryWorld();
    world.add("anna", "InstantUpload/old.jpg");
    expect((await world.run()).code).toBe(0); // a state database exists from now on
    world.add("anna", "InstantUpload/a.jpg");
    world.add("anna", "InstantUpload/b.jpg", "fresh", new Date());
    const before = world.snapshot();
    const { code, out } = await world.run("--dry-run", "--json");
    expect(code).toBe(0);
    expect(world.snapshot()).toBe(before);
    const { pass: report, indexing } = JSON.parse(out) as {
      pass: { dryRun: boolean; files: { path: string; action: string; reason: string }[] };
      indexing: unknown;
    };
    expect(indexing).toBeNull();
    expect(report.dryRun).toBe(true);
    expect(report.files.map((f) => [f.path.split("/").pop(), f.action])).toEqual([
      ["a.jpg", "transfer"],
      ["b.jpg", "wait"],
    ]);
  });

  it("treats what is already in PhotoPrism's originals as a duplicate", async () => {
    world = new FerryWorld();
    const photo = world.add("anna", "InstantUpload/old.jpg");
    mkdirSync(join(world.originalsDir, "2024/06"), { recursive: true });
    writeFileSync(join(world.originalsDir, "2024/06/20240601_120000_ABC.jpg"), photo);
    const { code, out } = await world.run();
    expect(code).toBe(0);
    expect(out).toMatch(
      /duplicate .*old\.jpg — same content is already in the library: .*20240601_120000_ABC\.jpg → archived/,
    );
    expect(locations(photo).filter((p) => p.startsWith("photoprism/import"))).toEqual([]);
  });

  it("with the exif rule, knows a re-encoded copy of a photo already in the library", async () => {
    const tags = {
      make: "Canon",
      model: "EOS R5",
      taken: "2024:03:31 23:59:58",
      width: 8192,
      height: 5464,
    };
    for (const rule of ["[exif]", "[]"]) {
      world = new FerryWorld(`dedupe:\n  alsoMatch: ${rule}\n`);
      mkdirSync(join(world.originalsDir, "2024/03"), { recursive: true });
      writeFileSync(
        join(world.originalsDir, "2024/03/shot.jpg"),
        jpegWithExif(tags, Buffer.alloc(4000, 1)),
      );
      world.add("anna", "InstantUpload/IMG_9.jpg", jpegWithExif(tags, Buffer.alloc(3000, 2)));
      const { out } = await world.run("--dry-run");
      if (rule === "[exif]")
        expect(out).toMatch(
          /duplicate +\S*IMG_9\.jpg — a photo with the same capture time, camera and size is already in the library: \S*shot\.jpg/,
        );
      else expect(out).toMatch(/transfer +\S*IMG_9\.jpg/);
      world.close();
    }
    world = new FerryWorld();
  });

  it("never sends a kept photo twice", async () => {
    world = new FerryWorld("", { afterMove: "keep" });
    const photo = world.add("anna", "Photos/keep.jpg");
    expect((await world.run()).code).toBe(0);
    const second = await world.run();
    expect(second.code).toBe(0);
    expect(locations(photo)).toHaveLength(2); // the original and one copy in the import folder
  });

  it("skips excluded users and never follows symlinks", async () => {
    world = new FerryWorld("", { nextcloudYaml: "  users:\n    exclude: ['guest*']" });
    const outside = join(world.root, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "secret.jpg"), "not yours");
    world.add("guest1", "InstantUpload/g.jpg");
    world.addUserDir("anna");
    mkdirSync(join(world.dataDir, "anna/files/InstantUpload"), { recursive: true });
    symlinkSync(outside, join(world.dataDir, "anna/files/InstantUpload/linked-dir"));
    symlinkSync(
      join(outside, "secret.jpg"),
      join(world.dataDir, "anna/files/InstantUpload/link.jpg"),
    );
    const { code, out } = await world.run();
    expect(code).toBe(0);
    expect(out).toContain("guest1 (not synced");
    expect([...world.tree(world.importDir).keys()]).toEqual([]);
    expect(readFileSync(join(outside, "secret.jpg"), "utf8")).toBe("not yours");
  });

  it("keeps a file waiting in a folder that a folder-limited pass does not cover", async () => {
    world = new FerryWorld("", { nextcloudYaml: "  sourceFolders: [InstantUpload]" });
    world.add("anna", "Photos/p.jpg", "fresh", new Date());
    world.add("anna", "InstantUpload/a.jpg", "fresh", new Date());
    await world.run(); // both unknown yet: only InstantUpload is scanned, a.jpg waits
    const store = StateStore.open(world.stateDir);
    const waiting = () => new SourceFiles(store.connection).pending().map((f) => f.path);
    // As if an earlier full pass had seen p.jpg waiting in Photos:
    new SourceFiles(store.connection).put({
      ...new SourceFiles(store.connection).get(
        join(world.dataDir, "anna/files/InstantUpload/a.jpg"),
      )!,
      path: join(world.dataDir, "anna/files/Photos/p.jpg"),
    });
    expect(waiting()).toHaveLength(2);
    store.close();
    await world.run();
    const after = StateStore.open(world.stateDir);
    expect(new SourceFiles(after.connection).pending().map((f) => f.path)).toContain(
      join(world.dataDir, "anna/files/Photos/p.jpg"),
    );
    after.close();
  });

  it("never follows a source folder that became a symlink while a file waited in it", async () => {
    world = new FerryWorld();
    world.add("anna", "InstantUpload/a.jpg", "fresh", new Date()); // waits to settle
    expect((await world.run()).out).toMatch(/wait +\S*a\.jpg/);
    const outside = join(world.root, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "a.jpg"), "someone else's");
    utimesSync(join(outside, "a.jpg"), new Date(2020, 0, 1), new Date(2020, 0, 1)); // settled
    const folder = join(world.dataDir, "anna/files/InstantUpload");
    rmSync(folder, { recursive: true });
    symlinkSync(outside, folder);
    const { out } = await world.run();
    expect(out).not.toMatch(/transfer/);
    expect(readFileSync(join(outside, "a.jpg"), "utf8")).toBe("someone else's");
  });

  it("quarantines a file whose name cannot be handled safely", async () => {
    world = new FerryWorld();
    const bad = world.add("anna", "InstantUpload/evil\nname.jpg");
    const { out } = await world.run();
    expect(out).toContain("quarantine");
    expect(out).toContain("evil\\x0aname.jpg");
    const where = locations(bad);
    expect(where).toHaveLength(1);
    expect(where[0]).toMatch(
      /^photoprism\/import\/\.photoferry\/quarantine\/anna\/InstantUpload\/evil\nname\.jpg$/,
    );
    expect(readFileSync(join(world.root, `${where[0]!}.reason.txt`), "utf8")).toContain("control");
  });

  it("ferries a file whose name is 255 bytes long, and archives it", async () => {
    world = new FerryWorld();
    const name = `${"ü".repeat(125)}.jpg`; // 250 bytes of UTF-8 + 4 = 254, plus a 1-byte prefix
    const long = `x${name}`;
    expect(Buffer.byteLength(long)).toBe(255);
    const photo = world.add("anna", `InstantUpload/${long}`);
    const { code, out } = await world.run();
    expect(code, out).toBe(0);
    expect(
      locations(photo)
        .map((p) => p.split("/").slice(0, 2).join("/"))
        .sort(),
    ).toEqual(["nextcloud/data", "photoprism/import"]);
  });

  it("ferries only the configured extensions", async () => {
    world = new FerryWorld("", { nextcloudYaml: "  extensions: [heic]" });
    world.add("anna", "InstantUpload/a.jpg");
    world.add("anna", "InstantUpload/b.heic");
    const { out } = await world.run("--dry-run");
    expect(out).toMatch(/transfer +\S*b\.heic/);
    expect(out).toMatch(/ignore +\S*a\.jpg — "\.jpg" is not a photo/);
  });

  it("refuses an import folder that is not the one used before, until told it is intended", async () => {
    world = new FerryWorld();
    world.add("anna", "InstantUpload/a.jpg");
    expect((await world.run()).code).toBe(0);
    // The volume is not mounted: an empty folder stands where the import folder was.
    renameSync(world.importDir, `${world.importDir}.real`);
    mkdirSync(world.importDir);
    const photo = world.add("anna", "InstantUpload/b.jpg");
    const refused = await world.run();
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("is the volume mounted?");
    expect(locations(photo)).toEqual(["nextcloud/data/anna/files/InstantUpload/b.jpg"]);
    const accepted = await world.run("--new-import-folder");
    expect(accepted.code).toBe(0);
    expect(locations(photo).some((p) => p.startsWith("photoprism/import/photoferry-"))).toBe(true);
  });

  it("explains an invalid config instead of running", async () => {
    world = new FerryWorld("schedule:\n  cron: nope\n");
    const { code, err } = await world.run();
    expect(code).toBe(1);
    expect(err).toContain("`schedule.cron`");
  });
});
