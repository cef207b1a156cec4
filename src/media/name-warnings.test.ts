import { describe, expect, it } from "vitest";
import { isPhotoPrismHiddenName, nameWarnings } from "./name-warnings.js";

const codes = (name: string) => nameWarnings(name).map((w) => w.code);

describe("nameWarnings", () => {
  it("has nothing to say about ordinary odd names", () => {
    for (const name of [
      "IMG_1.JPG",
      "-rf.jpg",
      "--help.jpg",
      "with space .jpg",
      "my.trip.jpg",
      "O'Brien's party.jpg",
      "Café.jpg",
      "写真.png",
      "emoji 📷.heic",
      "_IMG_1.jpg",
      "a_.jpg",
      `${"é".repeat(125)}a.jpg`,
    ]) {
      expect(nameWarnings(name), name).toEqual([]);
    }
    expect(Buffer.byteLength(`${"é".repeat(125)}a.jpg`)).toBe(255);
    expect(nameWarnings(`${"é".repeat(125)}a.jpg`)).toEqual([]);
    expect(nameWarnings(`${"a".repeat(251)}.jpg`)).toEqual([]);
  });

  it("blocks control characters", () => {
    for (const name of [
      "line\nbreak.jpg",
      "cr\r.jpg",
      "tab\t.jpg",
      "bell\u0007.jpg",
      "c1\u0085.jpg",
      "del\u007f.jpg",
    ]) {
      const [warning] = nameWarnings(name);
      expect(warning, JSON.stringify(name)).toMatchObject({
        code: "control-character",
        severity: "block",
      });
    }
  });

  it("blocks names that were not valid UTF-8 on disk", () => {
    const decoded = Buffer.from([0x66, 0xff, 0x2e, 0x6a, 0x70, 0x67]).toString("utf8");
    expect(codes(decoded)).toEqual(["invalid-encoding"]);
  });

  it("blocks names PhotoPrism would delete as hidden", () => {
    for (const name of ["@IMG_1.jpg", "__IMG_1.jpg", "_.IMG_1.jpg", "__MACOSX"]) {
      expect(nameWarnings(name), name).toEqual([
        expect.objectContaining({ code: "photoprism-hidden", severity: "block" }),
      ]);
    }
  });

  it("notes NFD names without blocking them", () => {
    const nfd = "Cafe\u0301.jpg";
    expect(nameWarnings(nfd)).toEqual([
      expect.objectContaining({ code: "not-nfc", severity: "note" }),
    ]);
    expect(nameWarnings(nfd.normalize("NFC"))).toEqual([]);
  });

  it("reports every problem a name has", () => {
    expect(codes("__Cafe\u0301\n.jpg")).toEqual([
      "control-character",
      "photoprism-hidden",
      "not-nfc",
    ]);
  });
});

describe("isPhotoPrismHiddenName", () => {
  it("mirrors PhotoPrism's prefixes other than the dot", () => {
    expect(isPhotoPrismHiddenName("@eaDir")).toBe(true);
    expect(isPhotoPrismHiddenName("_x")).toBe(false);
    expect(isPhotoPrismHiddenName("_")).toBe(false);
    expect(isPhotoPrismHiddenName(".x")).toBe(false);
  });
});
