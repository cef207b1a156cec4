import { describe, expect, it } from "vitest";
import { ignoreReason, isUploadsPath, type EntryInfo, type IgnoreReason } from "./ignore-rules.js";
import { resolveExtensions } from "./media-types.js";

function file(relativePath: string, size = 1234): EntryInfo {
  return { relativePath, type: "file", size };
}

function codeOf(entry: EntryInfo): IgnoreReason["code"] | undefined {
  return ignoreReason(entry)?.code;
}

describe("ignoreReason", () => {
  it("keeps ordinary photos, videos and sidecars, whatever their names", () => {
    for (const path of [
      "InstantUpload/Camera/IMG_1.JPG",
      "InstantUpload/Camera/img_1.heic",
      "Photos/2024/05/VID_20240501.mp4",
      "Photos/IMG_1.JPG.xmp",
      "Photos/IMG_1.AAE",
      "Photos/my.trip.to.rome.jpg",
      "Photos/-rf.jpg",
      "Photos/with space .jpg",
      "Photos/Café.jpg",
      "Photos/Cafe\u0301.jpg",
      "Photos/写真.png",
      "uploads/IMG_1.jpg",
      `Photos/${"é".repeat(125)}a.jpg`,
      "Photos/line\nbreak.jpg",
    ]) {
      expect(ignoreReason(file(path)), path).toBeNull();
    }
    expect(ignoreReason({ relativePath: "Photos/2024", type: "dir", size: 4096 })).toBeNull();
  });

  it("skips Nextcloud upload temp files and part folders", () => {
    for (const path of [
      "InstantUpload/IMG_1.jpg.ocTransferId1234567.part",
      "InstantUpload/8f14e45fceea167a5a36dedd4bea2543.ocTransferId987.part",
      "InstantUpload/IMG_1.jpg.part",
      "InstantUpload/IMG_1.JPG.PART",
      "InstantUpload/big.mov.part/chunk-1",
      "x.ocTransferId42",
    ]) {
      expect(codeOf(file(path)), path).toBe("upload-temp-file");
    }
    const dir = ignoreReason({ relativePath: "a/b.part", type: "dir", size: 0 });
    expect(dir?.code).toBe("upload-temp-file");
  });

  it("skips hidden files and anything inside hidden folders", () => {
    const own = ignoreReason(file("Photos/.IMG_1.jpg"));
    expect(own).toMatchObject({ code: "hidden", inHiddenFolder: false });
    const inside = ignoreReason(file("Photos/.thumbnails/IMG_1.jpg"));
    expect(inside).toMatchObject({ code: "hidden", segment: ".thumbnails", inHiddenFolder: true });
    expect(inside?.text).toContain(".thumbnails");
    const folder = ignoreReason({ relativePath: "Photos/.cache", type: "dir", size: 0 });
    expect(folder).toMatchObject({ code: "hidden", inHiddenFolder: false });
    expect(codeOf(file(".Contacts-Backup/x.jpg"))).toBe("hidden");
  });

  it("names common junk with its own reason", () => {
    const cases: [string, string][] = [
      ["Photos/.DS_Store", "macos-finder"],
      ["Photos/._IMG_1.JPG", "macos-resource-fork"],
      ["Photos/Thumbs.db", "windows-thumbnails"],
      ["Photos/thumbs.db", "windows-thumbnails"],
      ["Photos/Desktop.ini", "windows-folder-settings"],
      ["Photos/@eaDir/IMG_1.JPG/SYNOPHOTO_THUMB_M.jpg", "synology-thumbnails"],
      ["Camera/.trashed-1717171717-IMG_1.jpg", "android-trashed"],
      ["Camera/.pending-1717171717-IMG_2.jpg", "android-pending"],
    ];
    for (const [path, junk] of cases) {
      expect(ignoreReason(file(path)), path).toMatchObject({ code: "junk", junk });
    }
    const eaDir = ignoreReason({ relativePath: "Photos/@eaDir", type: "dir", size: 0 });
    expect(eaDir).toMatchObject({ code: "junk", junk: "synology-thumbnails" });
    expect(eaDir?.text).not.toMatch(/^inside/);
  });

  it("skips links, pipes, sockets and devices even with photo names", () => {
    for (const type of ["symlink", "fifo", "socket", "block", "char", "other"] as const) {
      const reason = ignoreReason({ relativePath: "Photos/IMG_1.jpg", type, size: 10 });
      expect(reason, type).toMatchObject({ code: "not-regular-file", entryType: type });
    }
    expect(ignoreReason({ relativePath: "a.jpg", type: "symlink", size: 1 })?.text).toMatch(
      /never follows/,
    );
  });

  it("skips empty files", () => {
    expect(codeOf(file("Photos/IMG_1.jpg", 0))).toBe("empty-file");
  });

  it("skips unsupported or missing extensions", () => {
    expect(ignoreReason(file("Photos/notes.docx"))).toMatchObject({
      code: "unsupported-extension",
      extension: "docx",
    });
    expect(ignoreReason(file("Photos/README"))).toMatchObject({ extension: null });
    expect(ignoreReason(file("Photos/trailing."))).toMatchObject({ extension: null });
  });

  it("follows the configured extension table", () => {
    const result = resolveExtensions({ media: ["jpg"], sidecars: [] });
    if (!result.ok) throw new Error("table");
    expect(ignoreReason(file("a/IMG_1.JPG"), result.table)).toBeNull();
    expect(ignoreReason(file("a/IMG_1.heic"), result.table)?.code).toBe("unsupported-extension");
    expect(ignoreReason(file("a/IMG_1.xmp"), result.table)?.code).toBe("unsupported-extension");
  });

  it("tolerates doubled and trailing slashes", () => {
    expect(ignoreReason(file("Photos//IMG_1.jpg"))).toBeNull();
    expect(codeOf(file("/.hidden//IMG_1.jpg"))).toBe("hidden");
  });
});

describe("isUploadsPath", () => {
  it("recognises <user>/uploads/ relative to the user's folder only", () => {
    expect(isUploadsPath("uploads")).toBe(true);
    expect(isUploadsPath("uploads/web-file-upload-123/00001")).toBe(true);
    expect(isUploadsPath("/uploads/x")).toBe(true);
    expect(isUploadsPath("files/uploads/x.jpg")).toBe(false);
    expect(isUploadsPath("uploads-old/x")).toBe(false);
    expect(isUploadsPath("Uploads/x")).toBe(false);
    expect(isUploadsPath("")).toBe(false);
  });
});
