import { promises as fsPromises } from "node:fs";
import { chmod, mkdir, mkdtemp, open, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import exifr from "exifr";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  EXIF_HEAD_BYTES,
  readExifSignature,
  signatureKey,
  type ExifSignature,
} from "./exif-signature.js";

// ---------------------------------------------------------------------------------------------
// Fixtures, built byte by byte: a TIFF structure (IFD0 + Exif IFD), wrapped as a JPEG APP1
// segment, as a HEIC Exif item, or written as a TIFF file (the layout of TIFF-based RAW).

type Entry = [tag: number, type: "ascii" | "short" | "long", value: string | number];

const MAKE = 0x010f;
const MODEL = 0x0110;
const IMAGE_WIDTH = 0x0100;
const IMAGE_HEIGHT = 0x0101;
const DATE_TIME_ORIGINAL = 0x9003;
const SUB_SEC_TIME_ORIGINAL = 0x9291;
const EXIF_IMAGE_WIDTH = 0xa002;
const EXIF_IMAGE_HEIGHT = 0xa003;
const EXIF_IFD_POINTER = 0x8769;

interface TiffOptions {
  bigEndian?: boolean;
  /** Offset of the Exif IFD from the TIFF header; right after IFD0 when absent. */
  exifAt?: number;
}

function tiff(ifd0: Entry[], exif: Entry[], options: TiffOptions = {}): Buffer {
  const be = options.bigEndian ?? false;
  const u16 = (value: number) => {
    const b = Buffer.alloc(2);
    if (be) b.writeUInt16BE(value);
    else b.writeUInt16LE(value);
    return b;
  };
  const u32 = (value: number) => {
    const b = Buffer.alloc(4);
    if (be) b.writeUInt32BE(value);
    else b.writeUInt32LE(value);
    return b;
  };
  const encode = ([tag, type, value]: Entry) => {
    if (type === "ascii") {
      return { tag, type: 2, count: String(value).length + 1, data: ascii(String(value) + "\0") };
    }
    const data = type === "short" ? u16(Number(value)) : u32(Number(value));
    return { tag, type: type === "short" ? 3 : 4, count: 1, data };
  };
  /** An IFD at `start`: entries sorted by tag, then its out-of-line values. */
  const ifd = (entries: Entry[], start: number) => {
    const encoded = entries.map(encode).sort((a, b) => a.tag - b.tag);
    let dataOffset = start + 2 + 12 * encoded.length + 4;
    const dir: Buffer[] = [u16(encoded.length)];
    const data: Buffer[] = [];
    for (const e of encoded) {
      dir.push(u16(e.tag), u16(e.type), u32(e.count));
      if (e.data.length <= 4) {
        dir.push(Buffer.concat([e.data, Buffer.alloc(4 - e.data.length)]));
      } else {
        dir.push(u32(dataOffset));
        const padded = e.data.length % 2 === 0 ? e.data : Buffer.concat([e.data, Buffer.alloc(1)]);
        data.push(padded);
        dataOffset += padded.length;
      }
    }
    dir.push(u32(0)); // no next IFD
    return Buffer.concat([...dir, ...data]);
  };
  const header = Buffer.concat([ascii(be ? "MM" : "II"), u16(42), u32(8)]);
  if (exif.length === 0) return Buffer.concat([header, ifd(ifd0, 8)]);
  const ifd0Size = ifd([...ifd0, [EXIF_IFD_POINTER, "long", 0]], 8).length;
  const exifAt = options.exifAt ?? 8 + ifd0Size;
  const first = ifd([...ifd0, [EXIF_IFD_POINTER, "long", exifAt]], 8);
  const gap = Buffer.alloc(exifAt - 8 - first.length);
  return Buffer.concat([header, first, gap, ifd(exif, exifAt)]);
}

function ascii(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

function u16be(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function u32be(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

/** A JPEG marker segment: FF <marker> <length> <payload>. */
function segment(marker: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, marker]), u16be(payload.length + 2), payload]);
}

function exifSegment(tiffData: Buffer): Buffer {
  return segment(0xe1, Buffer.concat([ascii("Exif\0\0"), tiffData]));
}

const JFIF = segment(0xe0, Buffer.from("JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", "latin1"));

/**
 * SOI, the given segments, then a stand-in for the image: an SOS header, `padding` bytes of
 * "entropy-coded data" and EOI. It does not decode as a picture; nothing here decodes it.
 */
function jpeg(segments: Buffer[], padding = 16): Buffer {
  const sos = segment(0xda, Buffer.from([1, 1, 0, 0, 63, 0]));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    ...segments,
    sos,
    Buffer.alloc(padding, 0x5a),
    Buffer.from([0xff, 0xd9]),
  ]);
}

function box(kind: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32be(8 + body.length), ascii(kind), body]);
}

function fullBox(kind: string, version: number, ...payload: Buffer[]): Buffer {
  return box(kind, Buffer.from([version, 0, 0, 0]), ...payload);
}

/** ftyp, meta (iinf with one "Exif" item, iloc locating it), mdat holding the item. */
function heic(tiffData: Buffer, padding = 0): Buffer {
  const ftyp = box("ftyp", ascii("heic"), u32be(0), ascii("mif1heic"));
  const item = Buffer.concat([u32be(6), ascii("Exif\0\0"), tiffData]);
  const meta = (itemOffset: number) =>
    fullBox(
      "meta",
      0,
      fullBox("hdlr", 0, u32be(0), ascii("pict"), Buffer.alloc(13)),
      fullBox("iinf", 0, u16be(1), fullBox("infe", 2, u16be(1), u16be(0), ascii("Exif\0"))),
      fullBox(
        "iloc",
        0,
        Buffer.from([0x44, 0x00]), // 4-byte offsets and lengths, no base offset
        u16be(1), // items
        u16be(1), // item 1
        u16be(0), // data reference index
        u16be(1), // extents
        u32be(itemOffset),
        u32be(item.length),
      ),
    );
  const itemOffset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(itemOffset), box("mdat", item, Buffer.alloc(padding))]);
}

interface Tags {
  make?: string;
  model?: string;
  dateTimeOriginal?: string;
  subSec?: string;
  exifSize?: [number, number];
  imageSize?: [number, number];
}

const FULL: Required<Tags> = {
  make: "Canon",
  model: "Canon EOS R5",
  dateTimeOriginal: "2024:03:31 23:59:58",
  subSec: "042",
  exifSize: [8192, 5464],
  imageSize: [160, 120],
};

function tiffFor(tags: Tags, options: TiffOptions = {}): Buffer {
  const ifd0: Entry[] = [];
  const exif: Entry[] = [];
  if (tags.make !== undefined) ifd0.push([MAKE, "ascii", tags.make]);
  if (tags.model !== undefined) ifd0.push([MODEL, "ascii", tags.model]);
  if (tags.imageSize) {
    ifd0.push(
      [IMAGE_WIDTH, "short", tags.imageSize[0]],
      [IMAGE_HEIGHT, "short", tags.imageSize[1]],
    );
  }
  if (tags.dateTimeOriginal !== undefined) {
    exif.push([DATE_TIME_ORIGINAL, "ascii", tags.dateTimeOriginal]);
  }
  if (tags.subSec !== undefined) exif.push([SUB_SEC_TIME_ORIGINAL, "ascii", tags.subSec]);
  if (tags.exifSize) {
    exif.push(
      [EXIF_IMAGE_WIDTH, "long", tags.exifSize[0]],
      [EXIF_IMAGE_HEIGHT, "long", tags.exifSize[1]],
    );
  }
  return tiff(ifd0, exif, options);
}

function jpegWith(tags: Tags, padding?: number): Buffer {
  return jpeg([JFIF, exifSegment(tiffFor(tags))], padding);
}

// ---------------------------------------------------------------------------------------------

let dir: string;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "photoferry-exif-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(content: Buffer, name = `photo-${++counter}.jpg`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/**
 * Counts the bytes that every FileHandle read returns while `fn` runs (photoferry's reads and
 * exifr's, which also go through fs.promises FileHandles), and fails on a whole-file read.
 */
async function measureReads<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; bytes: number; reads: number }> {
  type Read = (...args: unknown[]) => Promise<{ bytesRead: number }>;
  const probe = await open(join(dir, "."), "r");
  const proto = Object.getPrototypeOf(probe) as { read: Read };
  await probe.close();
  const original = proto.read;
  let bytes = 0;
  let reads = 0;
  proto.read = async function (this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    bytes += result.bytesRead;
    reads++;
    return result;
  };
  const readFile = vi.spyOn(fsPromises, "readFile");
  try {
    const result = await fn();
    expect(readFile).not.toHaveBeenCalled();
    return { result, bytes, reads };
  } finally {
    proto.read = original;
    readFile.mockRestore();
  }
}

describe("the fixtures", () => {
  it("are read by exifr itself as built", async () => {
    const path = await file(jpegWith(FULL));
    const parsed = (await exifr.parse(path, { reviveValues: false })) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      Make: "Canon",
      Model: "Canon EOS R5",
      DateTimeOriginal: "2024:03:31 23:59:58",
      SubSecTimeOriginal: "042",
      ExifImageWidth: 8192,
      ExifImageHeight: 5464,
      ImageWidth: 160,
      ImageHeight: 120,
    });
    const heicParsed = (await exifr.parse(heic(tiffFor(FULL)), {
      reviveValues: false,
    })) as Record<string, unknown>;
    expect(heicParsed).toMatchObject({ Make: "Canon", DateTimeOriginal: "2024:03:31 23:59:58" });
  });
});

describe("readExifSignature", () => {
  const expected: ExifSignature = {
    capturedAt: "2024-03-31T23:59:58.042",
    make: "Canon",
    model: "Canon EOS R5",
    width: 8192,
    height: 5464,
  };

  it("reads the full signature from a JPEG", async () => {
    expect(await readExifSignature(await file(jpegWith(FULL)))).toEqual(expected);
  });

  it("reads a JPEG with no JFIF segment and a big-endian TIFF structure", async () => {
    const path = await file(jpeg([exifSegment(tiffFor(FULL, { bigEndian: true }))]));
    expect(await readExifSignature(path)).toEqual(expected);
  });

  it("reads a JPEG whose Exif segment sits behind large other segments", async () => {
    // Like Google Pixel photos: an XMP extension APP1 (and here an ICC APP2) before Exif,
    // far past exifr's first chunk.
    const big = (marker: number, tag: string) =>
      segment(marker, Buffer.concat([ascii(tag), Buffer.alloc(65_000, 0x20)]));
    const path = await file(
      jpeg([
        JFIF,
        big(0xe1, "http://ns.adobe.com/xmp/extension/\0"),
        big(0xe1, "http://ns.adobe.com/xmp/extension/\0"),
        big(0xe2, "ICC_PROFILE\0"),
        exifSegment(tiffFor(FULL)),
      ]),
    );
    const { result, bytes } = await measureReads(() => readExifSignature(path));
    expect(result).toEqual(expected);
    expect(bytes).toBeLessThan(EXIF_HEAD_BYTES + 1024);
  });

  it("reads a TIFF file, with the Exif IFD far from the header as in RAW files", async () => {
    const raw = Buffer.concat([
      tiffFor(FULL, { exifAt: 3 * 1024 * 1024 }),
      Buffer.alloc(4 * 1024 * 1024),
    ]);
    const path = await file(raw, "photo.dng");
    const { result, bytes } = await measureReads(() => readExifSignature(path));
    expect(result).toEqual(expected);
    expect(bytes).toBeLessThan(2 * EXIF_HEAD_BYTES + 16 * 1024);
  });

  it("reads a HEIC file", async () => {
    const path = await file(heic(tiffFor(FULL), 1024 * 1024), "photo.heic");
    expect(await readExifSignature(path)).toEqual(expected);
  });

  it("leaves out the fraction when there is no SubSecTimeOriginal", async () => {
    const sig = await readExifSignature(await file(jpegWith({ ...FULL, subSec: undefined })));
    expect(sig?.capturedAt).toBe("2024-03-31T23:59:58");
  });

  it("falls back to ImageWidth/ImageHeight when ExifImageWidth/Height are absent", async () => {
    const sig = await readExifSignature(await file(jpegWith({ ...FULL, exifSize: undefined })));
    expect(sig).toEqual({ ...expected, width: 160, height: 120 });
  });

  it("trims NULs and spaces from Make and Model but keeps their case", async () => {
    const sig = await readExifSignature(
      await file(jpegWith({ ...FULL, make: "Canon  \0\0 ", model: " Canon EOS R5\0junk" })),
    );
    expect(sig).toEqual(expected);
  });

  it.each<[string, Tags]>([
    ["DateTimeOriginal", { ...FULL, dateTimeOriginal: undefined }],
    ["Make", { ...FULL, make: undefined }],
    ["Model", { ...FULL, model: undefined }],
    ["both pairs of dimensions", { ...FULL, exifSize: undefined, imageSize: undefined }],
  ])("returns null when %s is missing", async (_, tags) => {
    expect(await readExifSignature(await file(jpegWith(tags)))).toBeNull();
  });

  it.each([
    ["blank", "    :  :     :  :  "],
    ["all zero (unknown)", "0000:00:00 00:00:00"],
    ["impossible", "2023:02:29 10:00:00"],
    ["hour 24", "2024:01:01 24:00:00"],
    ["with trailing text", "2024:01:01 10:00:00+01:00"],
    ["date only", "2024:01:01"],
  ])("returns null for a %s DateTimeOriginal", async (_, value) => {
    const path = await file(jpegWith({ ...FULL, dateTimeOriginal: value }));
    expect(await readExifSignature(path)).toBeNull();
  });

  it.each([
    ["2024:02:29 00:00:00", "2024-02-29T00:00:00.042"],
    ["2024-02-29 00:00:00", "2024-02-29T00:00:00.042"],
    ["1999:12:31T23:59:59", "1999-12-31T23:59:59.042"],
  ])("normalises DateTimeOriginal %s to %s", async (value, capturedAt) => {
    const sig = await readExifSignature(await file(jpegWith({ ...FULL, dateTimeOriginal: value })));
    expect(sig?.capturedAt).toBe(capturedAt);
  });

  it("returns null for a SubSecTimeOriginal that is not digits", async () => {
    expect(await readExifSignature(await file(jpegWith({ ...FULL, subSec: "4a" })))).toBeNull();
  });

  it("keeps SubSecTimeOriginal's digits as written", async () => {
    const sig = await readExifSignature(await file(jpegWith({ ...FULL, subSec: "50" })));
    expect(sig?.capturedAt).toBe("2024-03-31T23:59:58.50");
  });

  it("returns null for a JPEG without EXIF", async () => {
    expect(await readExifSignature(await file(jpeg([JFIF], 4096)))).toBeNull();
  });

  it("returns null for a TIFF without an Exif IFD", async () => {
    const path = await file(tiff([[MAKE, "ascii", "Canon"]], []), "scan.tif");
    expect(await readExifSignature(path)).toBeNull();
  });

  it("returns null for random bytes, with or without a JPEG start", async () => {
    let seed = 42;
    const random = Buffer.alloc(200_000);
    for (let i = 0; i < random.length; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      random[i] = seed >>> 16;
    }
    expect(await readExifSignature(await file(random, "noise.jpg"))).toBeNull();
    const soi = Buffer.concat([Buffer.from([0xff, 0xd8]), random]);
    expect(await readExifSignature(await file(soi, "noise2.jpg"))).toBeNull();
  });

  it("returns null for an empty file and for a truncated Exif segment", async () => {
    expect(await readExifSignature(await file(Buffer.alloc(0)))).toBeNull();
    const whole = jpegWith(FULL);
    const cut = whole.subarray(0, 2 + JFIF.length + 60);
    expect(await readExifSignature(await file(cut))).toBeNull();
  });

  it("returns null for a malformed TIFF structure inside the Exif segment", async () => {
    const broken = tiffFor(FULL);
    broken.writeUInt32LE(0xfffffff0, 4); // IFD0 offset far outside the segment
    expect(await readExifSignature(await file(jpeg([exifSegment(broken)])))).toBeNull();
    const badType = tiffFor(FULL);
    badType.writeUInt16LE(99, 8 + 2 + 2); // first IFD0 entry's type
    expect(await readExifSignature(await file(jpeg([exifSegment(badType)])))).toBeNull();
  });

  it("throws ENOENT for a path that does not exist", async () => {
    await expect(readExifSignature(join(dir, "missing.jpg"))).rejects.toMatchObject({
      code: "ENOENT",
    });
  });

  it.skipIf(process.getuid?.() === 0)("throws EACCES for an unreadable file", async () => {
    const path = await file(jpegWith(FULL));
    await chmod(path, 0o000);
    await expect(readExifSignature(path)).rejects.toMatchObject({ code: "EACCES" });
  });

  it("throws for a folder and refuses a symlink", async () => {
    const folder = join(dir, "folder.jpg");
    await mkdir(folder);
    await expect(readExifSignature(folder)).rejects.toMatchObject({ code: "EISDIR" });
    const link = join(dir, "link.jpg");
    await symlink(await file(jpegWith(FULL)), link);
    await expect(readExifSignature(link)).rejects.toMatchObject({ code: "ELOOP" });
  });

  it("does not depend on the machine's time zone", async () => {
    const path = await file(jpegWith({ ...FULL, dateTimeOriginal: "2024:03:31 02:30:00" }));
    const saved = process.env.TZ;
    const results: (ExifSignature | null)[] = [];
    const offsets: number[] = [];
    try {
      for (const zone of ["Pacific/Kiritimati", "America/Los_Angeles"]) {
        process.env.TZ = zone;
        offsets.push(new Date(2024, 2, 31, 2, 30).getTimezoneOffset());
        results.push(await readExifSignature(path));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect(offsets[0]).not.toBe(offsets[1]); // the zone switch took effect
    expect(results[0]?.capturedAt).toBe("2024-03-31T02:30:00.042");
    expect(results[1]).toEqual(results[0]);
  });

  it("reads only the start of a 20 MB JPEG", { timeout: 60_000 }, async () => {
    const path = await file(jpegWith(FULL, 20 * 1024 * 1024), "big.jpg");
    const { result, bytes, reads } = await measureReads(() => readExifSignature(path));
    expect(result).toEqual(expected);
    expect(bytes).toBeLessThanOrEqual(EXIF_HEAD_BYTES);
    expect(reads).toBe(1);
  });
});

describe("signatureKey", () => {
  const read = async (tags: Tags, padding?: number) => {
    const sig = await readExifSignature(await file(jpegWith(tags, padding)));
    if (sig === null) throw new Error("expected a signature");
    return signatureKey(sig);
  };

  it("is equal for two files with the same tags, whatever else differs", async () => {
    expect(await read(FULL, 10)).toBe(await read(FULL, 5000));
  });

  it("ignores case and white space in Make and Model", async () => {
    expect(await read({ ...FULL, make: " CANON ", model: "canon  eos r5" })).toBe(await read(FULL));
  });

  it.each<[string, Tags]>([
    ["model", { ...FULL, model: "Canon EOS R6" }],
    ["make", { ...FULL, make: "Nikon" }],
    ["capture second", { ...FULL, dateTimeOriginal: "2024:03:31 23:59:59" }],
    ["sub-second", { ...FULL, subSec: "043" }],
    ["width", { ...FULL, exifSize: [8191, 5464] }],
    ["height", { ...FULL, exifSize: [8192, 5463] }],
  ])("differs for a different %s", async (_, tags) => {
    expect(await read(tags)).not.toBe(await read(FULL));
  });

  it("is the fields as JSON in a fixed order", () => {
    const sig: ExifSignature = {
      capturedAt: "2024-03-31T23:59:58.042",
      make: "Canon",
      model: "Canon EOS R5",
      width: 8192,
      height: 5464,
    };
    expect(signatureKey(sig)).toBe('["2024-03-31T23:59:58.042","canon","canon eos r5",8192,5464]');
  });
});
