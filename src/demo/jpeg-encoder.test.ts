import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { paintPicture } from "./demo-picture.js";
import { encodeJpeg, forwardDct, type RgbImage } from "./jpeg-encoder.js";
import {
  AC_CHROMINANCE,
  AC_LUMINANCE,
  DC_CHROMINANCE,
  DC_LUMINANCE,
  ZIGZAG,
  huffmanCodes,
  scaleQuant,
  type HuffmanSpec,
} from "./jpeg-tables.js";
import { jpegStructure } from "./jpeg-structure.js";

const tools = (name: string): boolean => existsSync(`/usr/bin/${name}`);
const work = mkdtempSync(join(tmpdir(), "photoferry-jpeg-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function gradient(width: number, height: number): RgbImage {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rgb.set([(x * 255) / width, (y * 255) / height, 128], (y * width + x) * 3);
    }
  }
  return { width, height, rgb };
}

describe("JPEG tables", () => {
  it("zig-zag order visits every coefficient once, along the diagonals", () => {
    expect([...ZIGZAG].sort((a, b) => a - b)).toEqual([...Array(64).keys()]);
    expect(ZIGZAG.slice(0, 10)).toEqual([0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
    expect(ZIGZAG.at(-1)).toBe(63);
  });

  it.each([
    ["DC luminance", DC_LUMINANCE, 12],
    ["DC chrominance", DC_CHROMINANCE, 12],
    ["AC luminance", AC_LUMINANCE, 162],
    ["AC chrominance", AC_CHROMINANCE, 162],
  ] as const)("%s has a code for every symbol, and no code prefixes another", (_, spec, n) => {
    expect(spec.counts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(new Set(spec.symbols).size).toBe(n);
    const codes = [...huffmanCodes(spec).values()].map((c) =>
      c.code.toString(2).padStart(c.length, "0"),
    );
    expect(codes.filter((a) => codes.some((b) => a !== b && b.startsWith(a)))).toEqual([]);
    // No code is all ones: T.81 reserves it (it would look like fill bits).
    expect(codes.some((code) => /^1+$/.test(code))).toBe(false);
  });

  it("AC tables hold every run/size pair a block can need, EOB and ZRL", () => {
    const needed = [0x00, 0xf0];
    for (let run = 0; run < 16; run++)
      for (let size = 1; size <= 10; size++) needed.push((run << 4) | size);
    for (const spec of [AC_LUMINANCE, AC_CHROMINANCE] as HuffmanSpec[])
      expect([...spec.symbols].sort((a, b) => a - b)).toEqual(needed.sort((a, b) => a - b));
  });

  it("scales quantisation like IJG and keeps entries within 1–255", () => {
    expect(scaleQuant([16, 99], 50)).toEqual([16, 99]);
    expect(scaleQuant([16, 99], 100)).toEqual([1, 1]);
    expect(scaleQuant([16, 99], 1)).toEqual([255, 255]);
    expect(scaleQuant([16, 11], 75)).toEqual([8, 6]);
  });
});

describe("encodeJpeg", () => {
  it("puts a flat block's energy in the DC coefficient only", () => {
    const dct = forwardDct(new Float64Array(64).fill(100));
    expect(dct[0]).toBeCloseTo(800);
    for (let i = 1; i < 64; i++) expect(Math.abs(dct[i]!)).toBeLessThan(1e-9);
  });

  it("writes a baseline file: SOI, segments, SOF0 with the size, Huffman data without stray markers, EOI", () => {
    const app1 = Buffer.from([0xff, 0xe1, 0x00, 0x04, 0xab, 0xcd]);
    const jpeg = encodeJpeg(gradient(61, 45), { segments: [app1] });
    const structure = jpegStructure(jpeg);
    expect(structure.markers).toEqual(["SOI", "APP1", "DQT", "SOF0", "DHT", "SOS", "EOI"]);
    expect(structure.frame).toEqual({ width: 61, height: 45, components: 3, precision: 8 });
    expect(jpeg.subarray(2, 8)).toEqual(app1);
  });

  it("decodes to the picture it was given (libjpeg's djpeg, where installed)", (context) => {
    if (!tools("djpeg")) return context.skip("djpeg not installed (Debian: libjpeg-turbo-progs)");
    const image = paintPicture({ width: 203, height: 77, seed: 7, label: ["HI"] });
    const path = join(work, "p.jpg");
    writeFileSync(path, encodeJpeg(image, { quality: 95 }));
    const ppm = execFileSync("djpeg", ["-ppm", path]);
    const header = `P6\n203 77\n255\n`;
    expect(ppm.subarray(0, header.length).toString()).toBe(header);
    const pixels = ppm.subarray(header.length);
    expect(pixels.length).toBe(image.rgb.length);
    let total = 0;
    for (let i = 0; i < pixels.length; i++) total += Math.abs(pixels[i]! - image.rgb[i]!);
    expect(total / pixels.length).toBeLessThan(3);
  });

  it("is recognised by file(1), where installed", (context) => {
    if (!tools("file")) return context.skip("file not installed");
    const path = join(work, "f.jpg");
    writeFileSync(path, encodeJpeg(gradient(64, 48)));
    expect(execFileSync("file", ["-b", path]).toString()).toMatch(
      /^JPEG image data.*baseline, precision 8, 64x48, components 3/,
    );
  });

  it("rejects sizes and buffers that do not make a picture", () => {
    expect(() => encodeJpeg({ width: 0, height: 8, rgb: new Uint8Array(0) })).toThrow(/positive/);
    expect(() => encodeJpeg({ width: 2, height: 2, rgb: new Uint8Array(5) })).toThrow(
      /expected 12 bytes/,
    );
    expect(() => encodeJpeg({ width: 70_000, height: 1, rgb: new Uint8Array(210_000) })).toThrow(
      /65535/,
    );
  });

  it("grows with quality", () => {
    const image = paintPicture({ width: 128, height: 96, seed: 3, label: ["Q"] });
    expect(encodeJpeg(image, { quality: 95 }).length).toBeGreaterThan(
      encodeJpeg(image, { quality: 30 }).length,
    );
  });
});
