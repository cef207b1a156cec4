/**
 * The EXIF signature behind PRODUCT.md §1.4's optional duplicate rule "same EXIF capture time +
 * camera + dimensions": two files match when their `signatureKey`s are equal.
 *
 * Only a complete signature is returned: a file that lacks any of the five fields, or has one
 * that cannot be read unambiguously, gets `null`, so it never matches anything under this rule
 * (a missed match is harmless, a false duplicate is not).
 *
 * Reading: exifr parses the tags (only the eight it needs, values left as written). For JPEG
 * photoferry finds the Exif APP1 segment itself and hands exifr just that segment, because
 * exifr, asked for EXIF only, looks for it in the first chunk it reads and nowhere else (its
 * `jpeg.mjs` returns early when `onlyTiff`), so an Exif segment behind a large XMP or ICC
 * segment (Google Pixel photos have one) would be missed. HEIC/AVIF, TIFF and TIFF-based RAW
 * (DNG, CR2, NEF, ARW, ORF, RW2, …) go to exifr by path, which reads them in chunks.
 * A JPEG costs one 64 KiB read in the usual case, whatever the file's size.
 */
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import exifr from "exifr";

export interface ExifSignature {
  /**
   * DateTimeOriginal as the camera wrote it, as `YYYY-MM-DDTHH:MM:SS`, followed by `.` and
   * SubSecTimeOriginal's digits (as written, e.g. `.042`) when the file has them. Local camera
   * time: no time zone is applied or assumed (OffsetTimeOriginal is not read).
   */
  readonly capturedAt: string;
  /** Make and Model as written, without NUL padding or surrounding spaces. */
  readonly make: string;
  readonly model: string;
  /** ExifImageWidth/Height (PixelX/YDimension); ImageWidth/Height of IFD0 when those are absent. */
  readonly width: number;
  readonly height: number;
}

const TAG = {
  imageWidth: 0x0100,
  imageHeight: 0x0101,
  make: 0x010f,
  model: 0x0110,
  dateTimeOriginal: 0x9003,
  subSecTimeOriginal: 0x9291,
  exifImageWidth: 0xa002,
  exifImageHeight: 0xa003,
} as const;

/** First read of every file; also exifr's first chunk. One read covers a typical Exif segment. */
export const EXIF_HEAD_BYTES = 64 * 1024;
/** Bounds the JPEG segment walk (each step reads at most 10 bytes outside the first chunk). */
const MAX_JPEG_SEGMENTS = 1024;

/**
 * exifr options, one object for every call (exifr caches its parsed options by identity).
 * `reviveValues: false` keeps DateTimeOriginal a string: revived, it would be a `Date` read in
 * the machine's time zone. `translateKeys: false` keys the output by numeric tag, so no tag
 * dictionary is involved; `mergeOutput: false` keeps IFD0 and the Exif IFD apart.
 * `silentErrors: false` makes a malformed block throw instead of yielding partial output.
 */
const EXIFR_OPTIONS = {
  ifd0: { pick: [TAG.make, TAG.model, TAG.imageWidth, TAG.imageHeight] },
  exif: {
    pick: [TAG.dateTimeOriginal, TAG.subSecTimeOriginal, TAG.exifImageWidth, TAG.exifImageHeight],
  },
  ifd1: false,
  gps: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  translateKeys: false,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
  mergeOutput: false,
  silentErrors: false,
  chunked: true,
  firstChunkSize: EXIF_HEAD_BYTES,
};

/**
 * O_NOFOLLOW: a symlink is refused with ELOOP, as photoferry never follows them.
 * O_NONBLOCK: a FIFO cannot hang the open; the fstat check below then refuses it.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

const JPEG_SOI = Buffer.from([0xff, 0xd8]);
const JPEG_EOI = Buffer.from([0xff, 0xd9]);
const EXIF_HEADER = Buffer.from("Exif\0\0", "latin1");

/**
 * Reads the file's EXIF signature, or `null` when it has none that is complete and readable:
 * no EXIF, a missing or malformed field, a format exifr does not read, corrupt content.
 * Throws only for I/O problems (the error of the failing system call: ENOENT, EACCES, ELOOP for
 * a symlink, EIO, …) and for a path that is not a regular file (code EISDIR or ENOTSUP).
 */
export async function readExifSignature(path: string): Promise<ExifSignature | null> {
  try {
    return toSignature(await readTags(path));
  } catch (error) {
    if (isSystemError(error)) throw error;
    return null; // exifr's "Unknown file format", "Malformed EXIF data", a RangeError, …
  }
}

/**
 * A stable string for equality and for an index: the fields in a fixed order, with make and
 * model trimmed, inner runs of white space collapsed and case-folded. capturedAt, width and
 * height are compared exactly.
 */
export function signatureKey(sig: ExifSignature): string {
  return JSON.stringify([
    sig.capturedAt,
    foldName(sig.make),
    foldName(sig.model),
    sig.width,
    sig.height,
  ]);
}

function foldName(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim().toLowerCase();
}

async function readTags(path: string): Promise<unknown> {
  const absolute = resolve(path);
  let exifSegment: Buffer | null;
  const handle = await open(absolute, OPEN_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegularFile(absolute, stats.isDirectory());
    const head = await readAt(handle, 0, EXIF_HEAD_BYTES);
    if (head.length < 4) return null;
    if (head[0] !== 0xff || head[1] !== 0xd8) {
      exifSegment = null;
    } else {
      const segment = await findJpegExifSegment(handle, head);
      if (segment === null) return null;
      exifSegment = segment;
    }
  } finally {
    await handle.close();
  }
  // JPEG: exifr gets a minimal JPEG holding only the Exif segment and never touches the file.
  // Otherwise exifr gets the path: absolute and already opened once, so it neither starts with
  // "data:", contains "://" nor exceeds 10,000 characters, which exifr would take for base64 or
  // a URL.
  return parseWithExifr(
    exifSegment === null ? absolute : Buffer.concat([JPEG_SOI, exifSegment, JPEG_EOI]),
  );
}

/**
 * Walks the JPEG's segments from SOI to the first APP1 that starts with "Exif\0\0" and returns
 * that whole segment (marker included), or null when the image data (SOS) or the end comes first
 * or the structure is broken.
 */
async function findJpegExifSegment(handle: FileHandle, head: Buffer): Promise<Buffer | null> {
  let offset = 2;
  for (let step = 0; step < MAX_JPEG_SEGMENTS; step++) {
    const header = await bytesAt(handle, head, offset, 10);
    if (header.length < 2 || header[0] !== 0xff) return null;
    const marker = header[1];
    if (marker === 0xff) {
      offset += 1; // fill byte before a marker
      continue;
    }
    if (marker === 0x01 || marker === 0xd8 || (marker !== undefined && isRst(marker))) {
      offset += 2; // markers without a length
      continue;
    }
    if (marker === 0xda || marker === 0xd9 || header.length < 4) return null;
    const length = header.readUInt16BE(2);
    if (length < 2) return null;
    if (marker === 0xe1 && length >= 8 && header.subarray(4, 10).equals(EXIF_HEADER)) {
      const segment = await bytesAt(handle, head, offset, 2 + length);
      return segment.length === 2 + length ? segment : null;
    }
    offset += 2 + length;
  }
  return null;
}

function isRst(marker: number): boolean {
  return marker >= 0xd0 && marker <= 0xd7;
}

/** `length` bytes at `offset` (fewer at the end of the file), from `head` when it has them. */
async function bytesAt(
  handle: FileHandle,
  head: Buffer,
  offset: number,
  length: number,
): Promise<Buffer> {
  if (offset + length <= head.length) return head.subarray(offset, offset + length);
  return readAt(handle, offset, length);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** exifr closes its file handle only on some paths; this closes it on every one. */
async function parseWithExifr(input: string | Buffer): Promise<unknown> {
  const reader = new exifr.Exifr(EXIFR_OPTIONS);
  try {
    await reader.read(input);
    return (await reader.parse()) as unknown;
  } finally {
    const { file } = reader as unknown as { file?: { close?: () => unknown } };
    await file?.close?.();
  }
}

function toSignature(output: unknown): ExifSignature | null {
  const ifd0 = block(output, "ifd0");
  const exif = block(output, "exif");
  if (ifd0 === undefined || exif === undefined) return null;
  const capturedAt = captureTime(exif[TAG.dateTimeOriginal], exif[TAG.subSecTimeOriginal]);
  const make = name(ifd0[TAG.make]);
  const model = name(ifd0[TAG.model]);
  const size =
    dimensions(exif[TAG.exifImageWidth], exif[TAG.exifImageHeight]) ??
    dimensions(ifd0[TAG.imageWidth], ifd0[TAG.imageHeight]);
  if (capturedAt === null || make === null || model === null || size === null) return null;
  return { capturedAt, make, model, width: size.width, height: size.height };
}

function block(output: unknown, key: "ifd0" | "exif"): Record<number, unknown> | undefined {
  if (typeof output !== "object" || output === null) return undefined;
  const value: unknown = (output as Record<string, unknown>)[key];
  return typeof value === "object" && value !== null
    ? (value as Record<number, unknown>)
    : undefined;
}

/** An EXIF ASCII value: up to its first NUL, trimmed; null when absent or empty. */
function ascii(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const nul = value.indexOf("\0");
  const text = (nul === -1 ? value : value.slice(0, nul)).trim();
  return text === "" ? null : text;
}

// C0, DEL and C1 controls, and U+FFFD (bytes that were not UTF-8): not a name a camera writes,
// more likely bytes read from the wrong place.
// eslint-disable-next-line no-control-regex
const GARBLED = /[\u0000-\u001f\u007f-\u009f\uFFFD]/;

function name(value: unknown): string | null {
  const text = ascii(value);
  return text === null || GARBLED.test(text) ? null : text;
}

const DATE_TIME = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY:MM:DD HH:MM:SS` (also with `-` or `T`) → `YYYY-MM-DDTHH:MM:SS[.subsec]`, by string
 * work only: never through `Date`, so the machine's time zone cannot shift it. Blank,
 * all-zero ("unknown") and impossible dates give null, and so does a SubSecTimeOriginal that
 * is present but not digits.
 */
function captureTime(dateTime: unknown, subSec: unknown): string | null {
  const text = ascii(dateTime);
  const match = text === null ? null : DATE_TIME.exec(text);
  if (match === null) return null;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (year < 1 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const base = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  if (subSec === undefined) return base;
  if (typeof subSec !== "string") return null;
  const fraction = ascii(subSec);
  if (fraction === null) return base;
  return /^\d+$/.test(fraction) ? `${base}.${fraction}` : null;
}

function dimensions(width: unknown, height: unknown): { width: number; height: number } | null {
  return isPositiveInteger(width) && isPositiveInteger(height) ? { width, height } : null;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

/** An error from a system call (libuv sets `syscall`), as opposed to one about the content. */
function isSystemError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  return typeof code === "string" && typeof syscall === "string";
}

function notRegularFile(path: string, directory: boolean): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `cannot read EXIF from ${path}: ${directory ? "a folder" : "not a regular file"}`,
  );
  error.code = directory ? "EISDIR" : "ENOTSUP";
  error.syscall = "fstat";
  error.path = path;
  return error;
}
