import { describe, expect, it } from "vitest";
import {
  DEFAULT_EXTENSION_TABLE,
  DEFAULT_MEDIA_EXTENSIONS,
  DEFAULT_SIDECAR_EXTENSIONS,
  KNOWN_MEDIA_EXTENSIONS,
  KNOWN_SIDECAR_EXTENSIONS,
  classifyName,
  extensionOf,
  isKnownExtension,
  resolveExtensions,
  type ExtensionTable,
} from "./media-types.js";

function tableOf(overrides: Parameters<typeof resolveExtensions>[0]): ExtensionTable {
  const result = resolveExtensions(overrides);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.table;
}

describe("default extensions", () => {
  it("cover the product's list with a kind each", () => {
    const kinds = Object.fromEntries(DEFAULT_MEDIA_EXTENSIONS.map((e) => [e.extension, e.kind]));
    for (const photo of "jpg jpeg png gif webp heic heif avif tif tiff".split(" ")) {
      expect(kinds[photo], photo).toBe("photo");
    }
    for (const raw of "dng cr2 cr3 nef arw orf rw2 raf".split(" ")) {
      expect(kinds[raw], raw).toBe("raw");
    }
    for (const video of "mp4 mov m4v 3gp avi mkv".split(" ")) {
      expect(kinds[video], video).toBe("video");
    }
    expect(DEFAULT_SIDECAR_EXTENSIONS.map((e) => e.extension)).toEqual(["xmp", "aae", "json"]);
    expect(kinds.raw).toBeUndefined();
  });

  it("are lower case, without dots, unique, and known to PhotoPrism", () => {
    const all = [...DEFAULT_MEDIA_EXTENSIONS, ...DEFAULT_SIDECAR_EXTENSIONS];
    expect(new Set(all.map((e) => e.extension)).size).toBe(all.length);
    const known = new Map(
      [...KNOWN_MEDIA_EXTENSIONS, ...KNOWN_SIDECAR_EXTENSIONS].map((e) => [e.extension, e.kind]),
    );
    for (const e of all) {
      expect(e.extension).toMatch(/^[a-z0-9]+$/);
      expect(known.get(e.extension), e.extension).toBe(e.kind);
    }
    const catalogue = [...KNOWN_MEDIA_EXTENSIONS, ...KNOWN_SIDECAR_EXTENSIONS];
    expect(new Set(catalogue.map((e) => e.extension)).size).toBe(catalogue.length);
  });
});

describe("classifyName", () => {
  it("classifies case-insensitively by the last extension", () => {
    expect(classifyName("IMG_1.JPG")).toBe("photo");
    expect(classifyName("img_1.jpg")).toBe("photo");
    expect(classifyName("IMG_1.HeIc")).toBe("photo");
    expect(classifyName("DSC_0001.NEF")).toBe("raw");
    expect(classifyName("clip.MOV")).toBe("video");
    expect(classifyName("IMG_1.JPG.xmp")).toBe("sidecar");
    expect(classifyName("IMG_1.AAE")).toBe("sidecar");
    expect(classifyName("my.trip.to.rome.jpg")).toBe("photo");
    expect(classifyName("- leading dash.jpg")).toBe("photo");
    expect(classifyName("Ünïcödé 写真.webp")).toBe("photo");
  });

  it("returns null for unknown, missing or dot-file extensions", () => {
    expect(classifyName("notes.docx")).toBeNull();
    expect(classifyName("README")).toBeNull();
    expect(classifyName("trailing.")).toBeNull();
    expect(classifyName(".jpg")).toBeNull();
    expect(classifyName("photo.raw")).toBeNull();
  });

  it("uses the table it is given", () => {
    const table = tableOf({ media: ["JPG", "raw"], sidecars: ["xmp", "txt"] });
    expect(classifyName("a.heic", table)).toBeNull();
    expect(classifyName("a.jpg", table)).toBe("photo");
    expect(classifyName("a.RAW", table)).toBe("raw");
    expect(classifyName("a.txt", table)).toBe("sidecar");
    expect(classifyName("a.json", table)).toBeNull();
  });
});

describe("extensionOf", () => {
  it("takes the text after the last dot, lower-cased", () => {
    expect(extensionOf("a.b.C")).toBe("c");
    expect(extensionOf("IMG_1.JPG.xmp")).toBe("xmp");
    expect(extensionOf("noext")).toBeNull();
    expect(extensionOf(".hidden")).toBeNull();
    expect(extensionOf("end.")).toBeNull();
  });
});

describe("resolveExtensions", () => {
  it("keeps the defaults when nothing is overridden", () => {
    const result = resolveExtensions({});
    expect(result.ok && [...result.table]).toEqual([...DEFAULT_EXTENSION_TABLE]);
  });

  it("lower-cases, de-duplicates and takes kinds from the catalogue", () => {
    const table = tableOf({ media: ["JPG", "jpg", "CR3", "Mov", "jxl"] });
    expect([...table]).toEqual([
      ["jpg", "photo"],
      ["cr3", "raw"],
      ["mov", "video"],
      ["jxl", "photo"],
      ["xmp", "sidecar"],
      ["aae", "sidecar"],
      ["json", "sidecar"],
    ]);
  });

  it("accepts any non-media sidecar extension and an empty sidecar list", () => {
    expect(tableOf({ sidecars: ["XMP", "pp3"] }).get("pp3")).toBe("sidecar");
    expect(tableOf({ sidecars: [] }).has("xmp")).toBe(false);
  });

  it("explains every bad entry with its position", () => {
    const result = resolveExtensions({
      media: ["", ".jpg", "photos/jpg", "j pg", "docx", "xmp", "heic"],
      sidecars: ["jpg", "a\\b", "x\ny"],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.list, p.index])).toEqual([
      ["media", 0],
      ["media", 1],
      ["media", 2],
      ["media", 3],
      ["media", 4],
      ["media", 5],
      ["sidecars", 0],
      ["sidecars", 1],
      ["sidecars", 2],
    ]);
    const [empty, dotted, slashed, spaced, unknown, sidecar] = result.problems;
    expect(empty?.message).toMatch(/empty/);
    expect(dotted?.fix).toBe("write it without dots: jpg");
    expect(slashed?.message).toMatch(/slash/);
    expect(spaced?.message).toMatch(/space/);
    expect(unknown?.message).toMatch(/stay in the import folder/);
    expect(sidecar?.fix).toMatch(/sidecar list/);
    expect(result.problems[6]?.fix).toMatch(/media list/);
  });

  it("refuses an empty media list", () => {
    const result = resolveExtensions({ media: [] });
    expect(!result.ok && result.problems).toEqual([
      expect.objectContaining({ list: "media", index: null }),
    ]);
  });
});

describe("isKnownExtension", () => {
  it("knows the catalogue and the configured table, in any case", () => {
    expect(isKnownExtension("JPG")).toBe(true);
    expect(isKnownExtension("raw")).toBe(true);
    expect(isKnownExtension("yml")).toBe(true);
    expect(isKnownExtension("trip")).toBe(false);
    expect(isKnownExtension("pp3", tableOf({ sidecars: ["pp3"] }))).toBe(true);
  });
});
