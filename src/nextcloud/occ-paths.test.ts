import { describe, expect, it } from "vitest";
import {
  OccPathError,
  checkUserId,
  commonFolder,
  isSameOrBelow,
  normalizeRelativePath,
  parseVirtualPath,
  toVirtualPath,
} from "./occ-paths.js";

describe("toVirtualPath", () => {
  it("puts files/ between the user and the folder", () => {
    expect(toVirtualPath("alice", "InstantUpload/Camera")).toBe(
      "/alice/files/InstantUpload/Camera",
    );
  });

  it("keeps spaces, @, dots and quotes of user ids and folders as they are", () => {
    expect(toVirtualPath("John Doe", "My Photos")).toBe("/John Doe/files/My Photos");
    expect(toVirtualPath("john.doe@example.com", "Photos")).toBe(
      "/john.doe@example.com/files/Photos",
    );
    expect(toVirtualPath("O'Brien", "a b/c")).toBe("/O'Brien/files/a b/c");
  });

  it("names the files folder itself for an empty path, and tidies slashes", () => {
    expect(toVirtualPath("alice", "")).toBe("/alice/files");
    expect(toVirtualPath("alice", "a//b/./c/")).toBe("/alice/files/a/b/c");
  });

  it("refuses .. and absolute folders", () => {
    expect(() => toVirtualPath("alice", "../bob/files")).toThrow(/'\.\.'/);
    expect(() => toVirtualPath("alice", "Photos/../../x")).toThrow(OccPathError);
    expect(() => toVirtualPath("alice", "/Photos")).toThrow(/no leading/);
  });

  it("refuses user ids that would change the path's meaning", () => {
    for (const bad of [
      "",
      ".",
      "..",
      "a/b",
      " bob",
      "bob ",
      "__groupfolders",
      "appdata_oc123",
      "a\0b",
    ]) {
      expect(() => toVirtualPath(bad, "Photos"), bad).toThrow(OccPathError);
    }
  });
});

describe("parseVirtualPath", () => {
  it("reads the user and the folder below files/", () => {
    expect(parseVirtualPath("/admin/files/Photo Library")).toEqual({
      userId: "admin",
      relativePath: "Photo Library",
    });
    expect(parseVirtualPath("/admin/files")).toEqual({ userId: "admin", relativePath: "" });
    expect(parseVirtualPath("/admin/files/")).toEqual({ userId: "admin", relativePath: "" });
    expect(parseVirtualPath("/John Doe/files/a/b/")).toEqual({
      userId: "John Doe",
      relativePath: "a/b",
    });
  });

  it("refuses paths occ would read as another user or reject", () => {
    expect(() => parseVirtualPath("admin/files/Photos")).toThrow(/\/<user>\/files/);
    expect(() => parseVirtualPath("/__groupfolders/1")).toThrow(/does not start with/);
    expect(() => parseVirtualPath("/alice/Photos")).toThrow(/does not start with/);
    expect(() => parseVirtualPath("/nextcloud/data/alice/files")).toThrow(OccPathError);
    expect(() => parseVirtualPath("/alice/files/../../bob/files")).toThrow(/'\.\.'/);
    expect(() => parseVirtualPath("//files/x")).toThrow(OccPathError);
    expect(() => parseVirtualPath("")).toThrow(OccPathError);
  });
});

describe("folder helpers", () => {
  it("normalizes relative paths", () => {
    expect(normalizeRelativePath("./a/./b//")).toBe("a/b");
    expect(normalizeRelativePath("/a", true)).toBe("a");
    expect(() => normalizeRelativePath("a/..")).toThrow(OccPathError);
  });

  it("tells whether a folder is inside another, by whole names", () => {
    expect(isSameOrBelow("Photos/2024", "Photos")).toBe(true);
    expect(isSameOrBelow("Photos", "Photos")).toBe(true);
    expect(isSameOrBelow("Photos2", "Photos")).toBe(false);
    expect(isSameOrBelow("anything", "")).toBe(true);
  });

  it("finds the deepest common folder by whole names", () => {
    expect(commonFolder(["InstantUpload/Camera/2024", "InstantUpload/Camera/2025"])).toBe(
      "InstantUpload/Camera",
    );
    expect(commonFolder(["InstantUpload/Camera", "InstantUpload/Cam"])).toBe("InstantUpload");
    expect(commonFolder(["a/b", "a/b/c"])).toBe("a/b");
    expect(commonFolder(["a", "b"])).toBe("");
    expect(commonFolder([])).toBe("");
  });

  it("accepts every character Nextcloud allows in user ids", () => {
    expect(() => checkUserId("a-Z_0.9@x ' y")).not.toThrow();
  });
});
