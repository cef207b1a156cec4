import { describe, expect, it } from "vitest";
import { stagedRelativePath } from "./transfer-executor.js";
import {
  archiveTarget,
  containedPath,
  newBatchId,
  publishedBatchDir,
  stagingBatchDir,
  uniqueGroupPaths,
} from "./transfer-paths.js";

describe("transfer paths", () => {
  it("names batches sortably and safely", () => {
    const id = newBatchId(Date.UTC(2026, 10, 21, 20, 36, 5), () => 0.5);
    expect(id).toMatch(/^photoferry-[a-z]{10}-[a-z]{4}$/);
    expect(id).toBe(newBatchId(Date.UTC(2026, 10, 21, 20, 36, 5), () => 0.5));
    // No digits: PhotoPrism would read a date from them (photoprism.md §2.1, TakenAt).
    expect(id).not.toMatch(/\d/);
    const later = newBatchId(Date.UTC(2026, 10, 21, 20, 36, 6), () => 0);
    const muchLater = newBatchId(Date.UTC(2041, 0, 1), () => 0);
    expect([muchLater, later, id].sort()).toEqual([id, later, muchLater]);
    expect(stagingBatchDir("/import", id)).toBe(`/import/.photoferry/${id}`);
    expect(publishedBatchDir("/import", id)).toBe(`/import/${id}`);
  });

  it("keeps every joined path under its root", () => {
    expect(containedPath("/a/b", "c/d.jpg")).toBe("/a/b/c/d.jpg");
    expect(() => containedPath("/a/b", "../c")).toThrow(/would leave/);
    expect(() => containedPath("/a/b", "c/../../x")).toThrow(/would leave/);
    expect(() => containedPath("/a/b", ".")).toThrow(/would leave/);
    expect(containedPath("/a/b", "-rf ..x/\n.jpg")).toBe("/a/b/-rf ..x/\n.jpg");
  });

  it("puts archives inside the user's files or in an absolute folder per user", () => {
    const files = "/data/anna maria/files";
    expect(archiveTarget("Archived Photos", "anna maria", files, "InstantUpload/Cam/x.jpg")).toBe(
      "/data/anna maria/files/Archived Photos/InstantUpload/Cam/x.jpg",
    );
    expect(archiveTarget("/archive/{user}", "anna maria", files, "Photos/x.jpg")).toBe(
      "/archive/anna maria/Photos/x.jpg",
    );
    expect(() => archiveTarget("../elsewhere", "a", files, "x.jpg")).toThrow(/would leave/);
  });

  it("gives a group one shared suffix when any member's name is taken", async () => {
    const existing = new Set(["/a/IMG_1.jpg.xmp", "/a/IMG_1 (2).JPG"]);
    const taken = (path: string) => Promise.resolve(existing.has(path));
    expect(await uniqueGroupPaths(["/a/IMG_1.JPG", "/a/IMG_1.jpg.xmp"], taken)).toEqual([
      "/a/IMG_1 (3).JPG",
      "/a/IMG_1 (3).jpg.xmp",
    ]);
    expect(await uniqueGroupPaths(["/a/new.jpg"], taken)).toEqual(["/a/new.jpg"]);
    expect(await uniqueGroupPaths(["/a/.hidden"], () => Promise.resolve(false))).toEqual([
      "/a/.hidden",
    ]);
  });

  it("renames folders PhotoPrism would skip inside the batch, never the file", () => {
    expect(stagedRelativePath("anna", "InstantUpload/__Old phone/IMG_2.jpg")).toBe(
      "anna/InstantUpload/pf-__Old phone/IMG_2.jpg",
    );
    expect(stagedRelativePath("@home", "Photos/x.jpg")).toBe("pf-@home/Photos/x.jpg");
    expect(stagedRelativePath("bob", "Photos/_.x/__y.jpg")).toBe("bob/Photos/pf-_.x/__y.jpg");
  });
});
