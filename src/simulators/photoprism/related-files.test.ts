import { describe, expect, it } from "vitest";
import { isHiddenName, isMainCandidate } from "./formats.js";
import { basePrefix, relatedFiles } from "./related-files.js";

describe("relatedFiles", () => {
  it("keeps RAW, JPEG and xmp together with the RAW as main", () => {
    const names = ["IMG_1.CR2", "IMG_1.CR2.xmp", "IMG_1.JPG", "IMG_10.JPG"];
    expect(relatedFiles("IMG_1.CR2", names)).toEqual({
      files: ["IMG_1.CR2", "IMG_1.CR2.xmp", "IMG_1.JPG"],
      main: "IMG_1.CR2",
    });
    // The same group, whichever member is found first.
    expect(relatedFiles("IMG_1.JPG", names).main).toBe("IMG_1.CR2");
  });

  it("makes the HEIC of a Live Photo the main file, not the video", () => {
    const group = relatedFiles("IMG_7.HEIC", ["IMG_7.HEIC", "IMG_7.MOV"]);
    expect(group).toEqual({ files: ["IMG_7.HEIC", "IMG_7.MOV"], main: "IMG_7.HEIC" });
  });

  it("makes a video main when there is no HEIC (even beside a JPEG, as PhotoPrism does)", () => {
    expect(relatedFiles("clip.mp4", ["clip.mp4"]).main).toBe("clip.mp4");
    expect(relatedFiles("a.jpg", ["a.jpg", "a.mp4"]).main).toBe("a.mp4");
  });

  it("has no main file for sidecars and unknown extensions alone", () => {
    expect(relatedFiles("notes.txt", ["notes.txt", "notes.xyz"])).toEqual({
      files: ["notes.txt", "notes.xyz"],
      main: null,
    });
  });

  it("drops skipped files, so a JPEG becomes main when RAW is disabled", () => {
    const group = relatedFiles("IMG_1.JPG", ["IMG_1.CR2", "IMG_1.JPG"], (n) => n.endsWith(".CR2"));
    expect(group).toEqual({ files: ["IMG_1.JPG"], main: "IMG_1.JPG" });
  });

  it("adds Apple edits and _???? sequences, but not other names sharing a prefix", () => {
    const names = ["IMG_0001.JPG", "IMG_E0001.JPG", "IMG_0001_edit.jpg", "IMG_00011.JPG"];
    expect(relatedFiles("IMG_0001.JPG", names).files).toEqual([
      "IMG_0001.JPG",
      "IMG_0001_edit.jpg",
      "IMG_E0001.JPG",
    ]);
  });

  it("strips known extensions only when finding the prefix", () => {
    expect(basePrefix("IMG_1.CR2.xmp")).toBe("IMG_1");
    expect(basePrefix("2020.holiday.jpg")).toBe("2020.holiday");
    expect(basePrefix("photo.jpg.json")).toBe("photo");
  });
});

describe("formats", () => {
  it("treats PhotoPrism's hidden names as hidden", () => {
    for (const name of [".DS_Store", "@eaDir", "_.IMG_1.JPG", "__MACOSX"]) {
      expect(isHiddenName(name)).toBe(true);
    }
    for (const name of ["_IMG_1.JPG", "a", "_", "IMG.JPG"]) expect(isHiddenName(name)).toBe(false);
  });

  it("knows main candidates by extension, case-insensitively", () => {
    expect(isMainCandidate("A.JPG")).toBe(true);
    expect(isMainCandidate("a.NEF")).toBe(true);
    expect(isMainCandidate("a.xmp")).toBe(false);
    expect(isMainCandidate("a.unknown")).toBe(false);
    expect(isMainCandidate("noext")).toBe(false);
  });
});
