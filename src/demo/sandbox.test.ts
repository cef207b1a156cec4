import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import exifr from "exifr";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfigText } from "../config/load-config.js";
import { jpegStructure } from "./jpeg-structure.js";
import { DEMO_USERS, createDemoSandbox } from "./sandbox.js";

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), "photoferry-sandbox-"));
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

const now = new Date("2026-03-04T05:06:07Z");
const sandboxIn = (random = () => 0.5) =>
  createDemoSandbox(join(parent, "demo"), { programsDir: "/opt/pf", now: () => now, random });

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function exifDate(path: string): Promise<unknown> {
  const tags = (await exifr.parse(path, { reviveValues: false })) as { DateTimeOriginal?: unknown };
  return tags.DateTimeOriginal;
}

describe("createDemoSandbox", () => {
  it("creates three Nextcloud users, one with a space and an apostrophe", async () => {
    const sandbox = await sandboxIn();
    expect(sandbox.users).toEqual(["anna", "bob", "o'brien jr"]);
    for (const user of DEMO_USERS)
      expect(statSync(join(sandbox.dataDir, user, "files")).isDirectory()).toBe(true);
    const settings = JSON.parse(
      readFileSync(join(sandbox.nextcloudRoot, "config", "simulator.json"), "utf8"),
    ) as { users: string[] };
    expect(settings.users).toEqual([...DEMO_USERS]);
  });

  it("writes real JPEGs with EXIF dates, a Live Photo pair and a duplicate", async () => {
    const sandbox = await sandboxIn();
    const user = (id: string, below: string) => join(sandbox.dataDir, id, "files", below);
    const jpegs = filesBelow(sandbox.dataDir).filter((p) => /\.jpe?g$/i.test(p));
    expect(jpegs).toHaveLength(6);
    for (const path of jpegs) {
      const structure = jpegStructure(readFileSync(path));
      expect(structure.frame).toMatchObject({ width: 640, height: 480, components: 3 });
      expect(await exifDate(path)).toMatch(/^20\d\d:\d\d:\d\d \d\d:\d\d:\d\d$/);
    }
    expect(await exifDate(user("anna", "InstantUpload/IMG_0001.JPG"))).toBe("2024:06:01 10:15:00");

    const movie = readFileSync(user("anna", "InstantUpload/IMG_0001.MOV"));
    expect(movie.toString("latin1", 4, 12)).toBe("ftypqt  ");

    const shared = readFileSync(user("anna", "InstantUpload/IMG_0002.JPG"));
    expect(readFileSync(user("bob", "Photos/Holiday 2024/from anna.jpg"))).toEqual(shared);
    const distinct = new Set(jpegs.map((p) => readFileSync(p).toString("base64")));
    expect(distinct.size).toBe(5);
    // Old enough to be settled: the first pass takes them.
    expect(statSync(user("bob", "Photos/Holiday 2024/beach.jpg")).mtime.getTime()).toBeLessThan(
      now.getTime() - 60_000,
    );
    expect(sandbox.samples.map((s) => s.path)).toContain(
      "nextcloud/data/o'brien jr/files/InstantUpload/IMG_0003.JPG",
    );
  });

  it("writes a valid config that runs both simulators as local programs", async () => {
    const sandbox = await sandboxIn();
    const loaded = loadConfigText(readFileSync(sandbox.configPath, "utf8"), { env: {} });
    expect(loaded.issues.filter((i) => i.severity === "error")).toEqual([]);
    const config = loaded.config!;
    expect(config.nextcloud.dataDir).toBe(sandbox.dataDir);
    expect(config.nextcloud.afterMove).toBe("archive");
    expect(config.nextcloud.libraryPaths).toEqual(["/anna/files/Photo Library"]);
    expect(config.schedule).toMatchObject({ watch: true, cron: "* * * * *", settleSeconds: 3 });
    expect(config.web.port).toBe(8080);
    expect(config.photoprism.trigger).toBe("exec");
    expect(config.photoprism.exec.command.slice(1, 2)).toEqual([
      "/opt/pf/simulators/photoprism/photoprism-sim.js",
    ]);
    expect(config.photoprism.originalsDir).toBe(sandbox.originalsDir);
    expect(readFileSync(sandbox.configPath, "utf8")).toContain("# photoferry demo configuration");
  });

  it("drops each new photo into a user's InstantUpload, dated now", async () => {
    const picks = [0.1, 0.5, 0.9];
    const sandbox = await sandboxIn(() => picks.shift()!);
    const dropped = [sandbox.dropPhoto(), sandbox.dropPhoto(), sandbox.dropPhoto()];
    expect(dropped.map((p) => basename(dirname(dirname(dirname(p)))))).toEqual([...DEMO_USERS]);
    expect(dropped.map((p) => basename(p))).toEqual([
      "IMG_0010.JPG",
      "IMG_0011.JPG",
      "IMG_0012.JPG",
    ]);
    for (const path of dropped) {
      expect(await exifDate(path)).toBe("2026:03:04 05:06:07");
      expect(jpegStructure(readFileSync(path)).markers.at(-1)).toBe("EOI");
    }
    const leftovers = filesBelow(sandbox.dataDir).filter((p) => p.endsWith(".part"));
    expect(leftovers).toEqual([]);
  });

  it("refuses a folder that already holds something", async () => {
    writeFileSync(join(parent, "keep.txt"), "mine");
    await expect(createDemoSandbox(parent)).rejects.toThrow(/not empty; give --dir a new or empty/);
    expect(readFileSync(join(parent, "keep.txt"), "utf8")).toBe("mine");
  });
});
