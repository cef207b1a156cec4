import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { inspectFolder, nodeDoctorFs, type DoctorFs } from "./folder-probe.js";

const refuse = (code: string) => () => Promise.reject(Object.assign(new Error(code), { code }));

function fakeFs(over: Partial<DoctorFs> = {}): DoctorFs & { asked: string[] } {
  const asked: string[] = [];
  const note =
    <T>(what: string, value: () => Promise<T>) =>
    (): Promise<T> => {
      asked.push(what);
      return value();
    };
  return {
    asked,
    stat: over.stat ?? note("stat", () => Promise.resolve({ isDirectory: () => true, dev: 3 })),
    readdir: over.readdir ?? note("readdir", () => Promise.resolve([])),
    probeWrite: over.probeWrite ?? note("write", () => Promise.resolve()),
    freeBytes: over.freeBytes ?? note("space", () => Promise.resolve(42)),
  };
}

describe("inspectFolder", () => {
  it("asks only what was asked for", async () => {
    const fs = fakeFs();
    expect(await inspectFolder("/x", fs)).toEqual({
      path: "/x",
      statError: null,
      notFolder: false,
      device: 3,
      readError: null,
    });
    expect(fs.asked).toEqual(["stat", "readdir"]);
    const all = await inspectFolder("/x", fs, { write: true, space: true });
    expect(all).toMatchObject({ writeError: null, freeBytes: 42 });
  });

  it("stops at the first refusal: nothing is written where nothing can be listed", async () => {
    const missing = fakeFs({ stat: refuse("ENOENT") });
    expect(await inspectFolder("/x", missing, { write: true })).toMatchObject({
      statError: "ENOENT",
      device: null,
    });
    expect(missing.asked).toEqual([]);
    const unreadable = fakeFs({ readdir: refuse("EACCES") });
    expect(await inspectFolder("/x", unreadable, { write: true })).toMatchObject({
      readError: "EACCES",
    });
    expect(unreadable.asked).toEqual(["stat"]);
  });

  it("does not list a file, and keeps write and space problems apart", async () => {
    const file = fakeFs({ stat: () => Promise.resolve({ isDirectory: () => false, dev: 1 }) });
    expect(await inspectFolder("/x", file, { write: true })).toMatchObject({ notFolder: true });
    expect(file.asked).toEqual([]);
    const fs = fakeFs({ probeWrite: refuse("EROFS"), freeBytes: refuse("ENOSYS") });
    expect(await inspectFolder("/x", fs, { write: true, space: true })).toMatchObject({
      writeError: "EROFS",
      freeBytes: null,
    });
  });
});

describe("nodeDoctorFs", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("writes a probe file and removes it again", async () => {
    dir = mkdtempSync(join(tmpdir(), "doctor-probe-"));
    writeFileSync(join(dir, "photo.jpg"), "x");
    const facts = await inspectFolder(dir, nodeDoctorFs, { write: true, space: true });
    expect(facts).toMatchObject({ statError: null, readError: null, writeError: null });
    expect(facts.freeBytes).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(["photo.jpg"]);
  });

  it("reports a file on the way as ENOTDIR", async () => {
    dir = mkdtempSync(join(tmpdir(), "doctor-probe-"));
    writeFileSync(join(dir, "file"), "x");
    expect((await inspectFolder(join(dir, "file", "below"), nodeDoctorFs)).statError).toBe(
      "ENOTDIR",
    );
    expect((await inspectFolder(join(dir, "file"), nodeDoctorFs)).notFolder).toBe(true);
  });
});
