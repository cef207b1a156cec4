import { describe, expect, it } from "vitest";
import type { Disk, DiskStat } from "./disk.js";
import type { FileCache } from "./sim-state.js";
import {
  isPartialFile,
  isValidPath,
  scanUserPath,
  ScanForbidden,
  ScanNotFound,
  type ScanEvents,
} from "./tree-scanner.js";

/** A disk in memory: path → stat; folders list the paths directly below them. */
function fakeDisk(entries: Record<string, DiskStat>, notWritable: string[] = []): Disk {
  const clean = (p: string): string => p.replace(/\/+$/, "");
  return {
    stat: (p) => entries[clean(p)],
    list: (p) =>
      Object.keys(entries)
        .filter((e) => e.startsWith(`${clean(p)}/`) && !e.slice(clean(p).length + 1).includes("/"))
        .map((e) => e.slice(clean(p).length + 1)),
    isCreatable: (p) => entries[clean(p)]?.dir === true && !notWritable.includes(clean(p)),
    describeOwner: () => ({ owner: "root", mode: "40755" }),
  };
}

const dir: DiskStat = { dir: true, size: 0, mtime: 1 };
const file = (size: number, mtime = 1): DiskStat => ({ dir: false, size, mtime });

function recorder(): { events: ScanEvents; log: string[] } {
  const log: string[] = [];
  const add = (kind: string) => (path: string) => void log.push(`${kind} ${path}`);
  return {
    log,
    events: {
      file: add("file"),
      folder: add("folder"),
      updated: add("updated"),
      removed: add("removed"),
      nameMismatch: add("nfd"),
    },
  };
}

const emptyCache = (): FileCache => ({ nextFileId: 1, entries: {} });

describe("scanUserPath", () => {
  it("does nothing for a user whose home is neither on disk nor in the cache", () => {
    const { events, log } = recorder();
    scanUserPath(
      { disk: fakeDisk({ "/d": dir }), dataDir: "/d", cache: emptyCache(), scanFaults: [], events },
      "alice",
      "/alice",
      true,
    );
    expect(log).toEqual([]);
  });

  it("reports a files folder that is in the cache but gone from disk", () => {
    const cache = emptyCache();
    cache.entries["/alice/files"] = { fileid: 1, size: 0, mtime: 1, dir: true };
    const disk = fakeDisk({ "/d": dir, "/d/alice": dir });
    expect(() =>
      scanUserPath(
        { disk, dataDir: "/d", cache, scanFaults: [], events: recorder().events },
        "alice",
        "/alice",
        true,
      ),
    ).toThrow(new ScanNotFound("User folder /d/alice/files exists in cache but not on disk"));
  });

  it("refuses a home the caller cannot write", () => {
    const disk = fakeDisk({ "/d": dir, "/d/alice": dir, "/d/alice/files": dir }, ["/d/alice"]);
    expect(() =>
      scanUserPath(
        { disk, dataDir: "/d", cache: emptyCache(), scanFaults: [], events: recorder().events },
        "alice",
        "/alice",
        true,
      ),
    ).toThrow(
      new ScanForbidden(
        "User folder /d/alice/ is not writable, folders is owned by root and has mode 40755",
      ),
    );
  });

  it("adds, updates and removes entries, keeping file ids", () => {
    const entries: Record<string, DiskStat> = {
      "/d": dir,
      "/d/alice": dir,
      "/d/alice/files": dir,
      "/d/alice/files/a.jpg": file(5),
      "/d/alice/files/Old": dir,
      "/d/alice/files/Old/x.jpg": file(5),
    };
    const cache = emptyCache();
    const ctx = {
      disk: fakeDisk(entries),
      dataDir: "/d",
      cache,
      scanFaults: [],
      events: recorder().events,
    };
    scanUserPath(ctx, "alice", "/alice/files", true);
    const id = cache.entries["/alice/files/a.jpg"]?.fileid;
    entries["/d/alice/files/a.jpg"] = file(9, 2);
    delete entries["/d/alice/files/Old"];
    delete entries["/d/alice/files/Old/x.jpg"];
    const second = recorder();
    scanUserPath({ ...ctx, events: second.events }, "alice", "/alice/files", true);
    expect(second.log).toEqual([
      "folder /alice/files",
      "file /alice/files/a.jpg",
      "updated /alice/files/a.jpg",
      "removed /alice/files/Old",
    ]);
    expect(cache.entries["/alice/files/a.jpg"]).toEqual({
      fileid: id,
      size: 9,
      mtime: 2,
      dir: false,
    });
    expect(cache.entries["/alice/files/Old/x.jpg"]).toBeUndefined();
  });
});

describe("path rules", () => {
  it("rejects .. components only", () => {
    expect(isValidPath("/alice/files/../x")).toBe(false);
    expect(isValidPath("/alice/files/..")).toBe(false);
    expect(isValidPath("/alice/files/..hidden")).toBe(true);
  });

  it("knows partial uploads", () => {
    expect(isPartialFile("files/a.jpg.ocTransferId1.part")).toBe(true);
    expect(isPartialFile("files/up.part/chunk")).toBe(true);
    expect(isPartialFile("files/party.jpg")).toBe(false);
  });
});
