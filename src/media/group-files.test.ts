import { describe, expect, it } from "vitest";
import { groupFiles, groupKey, type FileGroup, type GroupInput } from "./group-files.js";
import { resolveExtensions } from "./media-types.js";

function inputs(...names: string[]): GroupInput[] {
  return names.map((name, i) => ({ name, size: 100 + i, mtimeMs: 1_000 + i }));
}

/** Compact view: kind, then "name:role" with the primary first. */
function shape(groups: FileGroup[]): string[][] {
  return groups.map((g) => [g.kind, ...g.members.map((m) => `${m.name}:${m.role}`)]);
}

describe("groupFiles", () => {
  it("keeps lone photos and videos single, sorted by primary name", () => {
    expect(shape(groupFiles(inputs("VID_2.mp4", "IMG_1.JPG", "b.png")))).toEqual([
      ["single", "IMG_1.JPG:primary"],
      ["single", "VID_2.mp4:primary"],
      ["single", "b.png:primary"],
    ]);
  });

  it("pairs a Live Photo's still and movie, whatever their case", () => {
    expect(shape(groupFiles(inputs("IMG_1.HEIC", "IMG_1.MOV")))).toEqual([
      ["live-photo", "IMG_1.HEIC:primary", "IMG_1.MOV:live-video"],
    ]);
    expect(shape(groupFiles(inputs("img_1.mov", "IMG_1.HEIC")))).toEqual([
      ["live-photo", "IMG_1.HEIC:primary", "img_1.mov:live-video"],
    ]);
    expect(shape(groupFiles(inputs("IMG_2.jpeg", "IMG_2.mp4")))).toEqual([
      ["live-photo", "IMG_2.jpeg:primary", "IMG_2.mp4:live-video"],
    ]);
  });

  it("keeps two stills of one name together with the HEIC as primary", () => {
    expect(shape(groupFiles(inputs("IMG_1.JPG", "IMG_1.HEIC", "IMG_1.MOV")))).toEqual([
      ["live-photo", "IMG_1.HEIC:primary", "IMG_1.JPG:jpeg", "IMG_1.MOV:live-video"],
    ]);
    expect(shape(groupFiles(inputs("IMG_1.JPG", "IMG_1.HEIC")))).toEqual([
      ["single", "IMG_1.HEIC:primary", "IMG_1.JPG:jpeg"],
    ]);
  });

  it("makes the RAW primary of a RAW+JPEG pair and attaches its sidecars", () => {
    expect(
      shape(groupFiles(inputs("IMG_1.JPG", "IMG_1.CR2", "IMG_1.CR2.xmp", "IMG_1.xmp"))),
    ).toEqual([
      [
        "raw-jpeg",
        "IMG_1.CR2:primary",
        "IMG_1.CR2.xmp:sidecar",
        "IMG_1.JPG:jpeg",
        "IMG_1.xmp:sidecar",
      ],
    ]);
    expect(shape(groupFiles(inputs("PXL_1.dng", "PXL_1.heic")))).toEqual([
      ["raw-jpeg", "PXL_1.dng:primary", "PXL_1.heic:still"],
    ]);
    expect(shape(groupFiles(inputs("a.NEF", "a.DNG")))).toEqual([
      ["single", "a.DNG:primary", "a.NEF:raw"],
    ]);
  });

  it("attaches every sidecar naming style", () => {
    const names = [
      "IMG_1.jpg",
      "IMG_1.jpg.xmp",
      "IMG_1.JPG.XMP",
      "IMG_1.xmp",
      "IMG_1.AAE",
      "IMG_1.json",
      "IMG_1.jpg.json",
      "IMG_1.jpg.supplemental-metadata.json",
    ];
    const [group, ...rest] = groupFiles(inputs(...names));
    expect(rest).toEqual([]);
    expect(group?.kind).toBe("single");
    expect(group?.primary).toBe("IMG_1.jpg");
    expect(group?.members.filter((m) => m.role === "sidecar")).toHaveLength(names.length - 1);
  });

  it("groups Apple edited versions and their adjustments with the original", () => {
    const groups = groupFiles(
      inputs(
        "IMG_1234.HEIC",
        "IMG_1234.MOV",
        "IMG_1234.AAE",
        "IMG_E1234.JPG",
        "IMG_E1234.MOV",
        "IMG_O1234.AAE",
      ),
    );
    expect(shape(groups)).toEqual([
      [
        "live-photo",
        "IMG_1234.HEIC:primary",
        "IMG_1234.AAE:sidecar",
        "IMG_1234.MOV:live-video",
        "IMG_E1234.JPG:edited",
        "IMG_E1234.MOV:edited",
        "IMG_O1234.AAE:sidecar",
      ],
    ]);
  });

  it("keeps an edited version without its original as a photo of its own", () => {
    expect(shape(groupFiles(inputs("IMG_E1234.JPG", "IMG_Evening.jpg")))).toEqual([
      ["single", "IMG_E1234.JPG:primary"],
      ["single", "IMG_Evening.jpg:primary"],
    ]);
  });

  it("puts sidecars without a main file in orphan groups", () => {
    expect(
      shape(groupFiles(inputs("IMG_9.xmp", "IMG_9.JPG.json", "IMG_8.aae", "IMG_1.jpg"))),
    ).toEqual([
      ["single", "IMG_1.jpg:primary"],
      ["orphan-sidecar", "IMG_8.aae:sidecar"],
      ["orphan-sidecar", "IMG_9.JPG.json:sidecar", "IMG_9.xmp:sidecar"],
    ]);
  });

  it("treats unknown extensions like PhotoPrism: as sidecars", () => {
    expect(shape(groupFiles(inputs("a.jpg", "a.pp3", "b.txt")))).toEqual([
      ["single", "a.jpg:primary", "a.pp3:sidecar"],
      ["orphan-sidecar", "b.txt:sidecar"],
    ]);
  });

  it("groups several videos of one name without a still as one single", () => {
    expect(shape(groupFiles(inputs("clip.mov", "clip.mp4")))).toEqual([
      ["single", "clip.mov:primary", "clip.mp4:video"],
    ]);
  });

  it("handles odd names", () => {
    const nfc = "Café";
    const nfd = "Cafe\u0301";
    const long = `${"é".repeat(125)}a`;
    const groups = groupFiles(
      inputs(
        "my.trip.jpg",
        "my.trip.mov",
        "my.jpg",
        `${nfc}.HEIC`,
        `${nfd}.mov`,
        "-rf.jpg",
        "-rf.jpg.xmp",
        " spaced name .jpg",
        " spaced name .xmp",
        "line\nbreak.jpg",
        `${long}.jpg`,
        `${long}.xmp`,
      ),
    );
    expect(shape(groups)).toEqual([
      ["single", " spaced name .jpg:primary", " spaced name .xmp:sidecar"],
      ["single", "-rf.jpg:primary", "-rf.jpg.xmp:sidecar"],
      ["live-photo", `${nfc}.HEIC:primary`, `${nfd}.mov:live-video`],
      ["single", "line\nbreak.jpg:primary"],
      ["single", "my.jpg:primary"],
      ["live-photo", "my.trip.jpg:primary", "my.trip.mov:live-video"],
      ["single", `${long}.jpg:primary`, `${long}.xmp:sidecar`],
    ]);
  });

  it("adds up sizes and finds the newest mtime", () => {
    const [group] = groupFiles([
      { name: "a.heic", size: 3_000_000, mtimeMs: 5 },
      { name: "a.mov", size: 2_000_000, mtimeMs: 9 },
      { name: "a.aae", size: 600, mtimeMs: 7 },
    ]);
    expect(group).toMatchObject({ totalSize: 5_000_600, newestMtimeMs: 9 });
  });

  it("follows the configured table", () => {
    const result = resolveExtensions({ media: ["jpg"], sidecars: ["xmp"] });
    if (!result.ok) throw new Error("table");
    expect(shape(groupFiles(inputs("a.jpg", "a.mov"), result.table))).toEqual([
      ["single", "a.jpg:primary", "a.mov:sidecar"],
    ]);
  });

  it("returns nothing for nothing", () => {
    expect(groupFiles([])).toEqual([]);
  });
});

describe("groupKey", () => {
  it("strips the extension and one more known one, then folds case and form", () => {
    expect(groupKey("IMG_1.JPG.xmp")).toBe("img_1");
    expect(groupKey("IMG_1.jpg.supplemental-metadata.json")).toBe("img_1");
    expect(groupKey("my.trip.jpg")).toBe("my.trip");
    expect(groupKey("Cafe\u0301.MOV")).toBe("café");
    expect(groupKey("README")).toBe("readme");
  });
});

describe("groupFiles property", () => {
  const stems = [
    "IMG_1",
    "img_1",
    "IMG_E1",
    "IMG_O1",
    "IMG_2",
    "a.b",
    "Café",
    "Cafe\u0301",
    "-x",
    " s ",
  ];
  const extensions = [
    "jpg",
    "JPG",
    "jpeg",
    "heic",
    "HEIF",
    "png",
    "mov",
    "MOV",
    "mp4",
    "cr2",
    "DNG",
    "xmp",
    "aae",
    "json",
    "jpg.xmp",
    "JPG.json",
    "CR2.XMP",
    "txt",
    "jpg.supplemental-metadata.json",
  ];

  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
      return state / 2 ** 32;
    };
  }

  it("puts every file in exactly one group, deterministically", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const names = new Set<string>();
      const count = Math.floor(next() * 25);
      for (let i = 0; i < count; i++) {
        const stem = stems[Math.floor(next() * stems.length)] ?? "";
        const ext = extensions[Math.floor(next() * extensions.length)] ?? "";
        names.add(`${stem}.${ext}`);
      }
      const files = inputs(...names);
      const groups = groupFiles(files);

      const members = groups.flatMap((g) => g.members.map((m) => m.name));
      expect(members.length, `seed ${seed}`).toBe(names.size);
      expect(new Set(members), `seed ${seed}`).toEqual(names);

      for (const g of groups) {
        expect(g.members[0]?.name).toBe(g.primary);
        const primaries = g.members.filter((m) => m.role === "primary");
        expect(primaries.length).toBe(g.kind === "orphan-sidecar" ? 0 : 1);
        if (g.kind === "orphan-sidecar") {
          expect(g.members.every((m) => m.role === "sidecar")).toBe(true);
        }
      }
      const primaries = groups.map((g) => g.primary);
      expect(primaries).toEqual([...primaries].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

      const shuffled = [...files].sort(() => next() - 0.5);
      expect(groupFiles(shuffled), `seed ${seed}`).toEqual(groups);
    }
  });
});
