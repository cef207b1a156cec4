import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import exifr from "exifr";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_CAMERA, demoPhoto, takenAt } from "./demo-photo.js";
import { exifDateTime, exifSegment } from "./exif-block.js";
import { jpegStructure } from "./jpeg-structure.js";
import { box, quickTimeMovie } from "./quicktime-movie.js";

const work = mkdtempSync(join(tmpdir(), "photoferry-exif-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const taken = { year: 2024, month: 6, day: 1, hour: 10, minute: 15, second: 7 };

describe("Exif block", () => {
  it("writes EXIF's date format", () => {
    expect(exifDateTime(taken)).toBe("2024:06:01 10:15:07");
    expect(takenAt(new Date("2025-01-05T09:03:04Z"))).toEqual({
      year: 2025,
      month: 1,
      day: 5,
      hour: 9,
      minute: 3,
      second: 4,
    });
  });

  it("is read back by exifr: capture time, zone, camera and size", async () => {
    const photo = demoPhoto({ seed: 1, taken, owner: "o'brien jr", width: 96, height: 64 });
    const tags = (await exifr.parse(photo, { reviveValues: false })) as Record<string, unknown>;
    expect(tags).toMatchObject({
      DateTimeOriginal: "2024:06:01 10:15:07",
      CreateDate: "2024:06:01 10:15:07",
      ModifyDate: "2024:06:01 10:15:07",
      OffsetTimeOriginal: "+00:00",
      Make: DEMO_CAMERA.make,
      Model: DEMO_CAMERA.model,
      ExifImageWidth: 96,
      ExifImageHeight: 64,
      Orientation: "Horizontal (normal)",
    });
    const structure = jpegStructure(photo);
    expect(structure.markers.slice(0, 2)).toEqual(["SOI", "APP1"]);
    expect(structure.frame).toMatchObject({ width: 96, height: 64 });
    expect(structure.applications.get("APP1")!.subarray(0, 6).toString("latin1")).toBe("Exif\0\0");
  });

  it("refuses text EXIF cannot hold", () => {
    const fields = { taken, make: "Ünïcode", model: "x", width: 1, height: 1 };
    expect(() => exifSegment(fields)).toThrow(/plain ASCII/);
  });
});

describe("QuickTime movie", () => {
  it("is an ftyp box and a moov box with a movie header dated when the photo was taken", () => {
    const created = new Date("2024-06-01T10:15:00Z");
    const movie = quickTimeMovie({ created });
    const boxes: { type: string; size: number }[] = [];
    for (let at = 0; at < movie.length;) {
      const size = movie.readUInt32BE(at);
      boxes.push({ type: movie.toString("latin1", at + 4, at + 8), size });
      at += size;
    }
    expect(boxes).toEqual([
      { type: "ftyp", size: 20 },
      { type: "moov", size: 116 },
    ]);
    expect(movie.toString("latin1", 8, 12)).toBe("qt  ");
    expect(movie.toString("latin1", 32, 36)).toBe("mvhd");
    expect(movie.readUInt32BE(28)).toBe(108);
    const seconds = movie.readUInt32BE(40) - 2_082_844_800;
    expect(new Date(seconds * 1000)).toEqual(created);
    expect(movie.readUInt32BE(48)).toBe(600); // timescale
  });

  it("is recognised by file(1), where installed", (context) => {
    if (!existsSync("/usr/bin/file")) return context.skip("file not installed");
    const path = join(work, "IMG_0001.MOV");
    writeFileSync(path, quickTimeMovie({ created: new Date("2024-06-01T10:15:00Z") }));
    expect(execFileSync("file", ["-b", path]).toString()).toMatch(/QuickTime/i);
  });

  it("refuses dates a version-0 header cannot hold, and bad box types", () => {
    expect(() => quickTimeMovie({ created: new Date("2100-01-01T00:00:00Z") })).toThrow(/2040/);
    expect(() => box("toolong", Buffer.alloc(0))).toThrow(/4 ASCII/);
  });
});
