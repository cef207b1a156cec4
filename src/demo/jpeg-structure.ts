/** What a JPEG's marker segments say, read without decoding the picture. */
export interface JpegStructure {
  /** Marker names in file order, e.g. ["SOI", "APP1", "DQT", "SOF0", "DHT", "SOS", "EOI"]. */
  markers: string[];
  frame: { width: number; height: number; components: number; precision: number } | null;
  /** APPn payloads by marker name (the first of each). */
  applications: Map<string, Buffer>;
}

const NAMES: Record<number, string> = {
  0xd8: "SOI",
  0xd9: "EOI",
  0xda: "SOS",
  0xdb: "DQT",
  0xc4: "DHT",
  0xc0: "SOF0",
  0xc2: "SOF2",
  0xdd: "DRI",
  0xfe: "COM",
};

const nameOf = (marker: number): string =>
  NAMES[marker] ??
  (marker >= 0xe0 && marker <= 0xef
    ? `APP${marker - 0xe0}`
    : `0x${marker.toString(16).padStart(2, "0")}`);

/**
 * Walks the segments of a JPEG and checks that they fit together: every length inside the
 * file, entropy-coded data free of stray markers (0xFF is always stuffed), EOI last. Throws,
 * naming the offset, when the file is not well formed.
 */
export function jpegStructure(data: Buffer): JpegStructure {
  const fail = (at: number, what: string): never => {
    throw new Error(`not a well-formed JPEG at byte ${at}: ${what}`);
  };
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) fail(0, "no SOI marker");
  const markers = ["SOI"];
  const applications = new Map<string, Buffer>();
  let frame: JpegStructure["frame"] = null;
  let at = 2;
  for (;;) {
    if (at + 2 > data.length) fail(at, "ends without an EOI marker");
    if (data[at] !== 0xff) fail(at, "expected a marker");
    const marker = data[at + 1]!;
    const name = nameOf(marker);
    markers.push(name);
    if (marker === 0xd9) {
      if (at + 2 !== data.length) fail(at + 2, "bytes after EOI");
      return { markers, frame, applications };
    }
    if (at + 4 > data.length) fail(at, `${name} has no length`);
    const length = data.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > data.length) fail(at, `${name} is longer than the file`);
    const body = data.subarray(at + 4, end);
    if (name.startsWith("SOF")) {
      if (body.length < 6) fail(at, "SOF is too short");
      frame = {
        precision: body[0]!,
        height: body.readUInt16BE(1),
        width: body.readUInt16BE(3),
        components: body[5]!,
      };
    }
    if (name.startsWith("APP") && !applications.has(name)) applications.set(name, body);
    at = end;
    if (marker === 0xda) at = skipEntropyCoded(data, at, fail);
  }
}

/** Entropy-coded data ends at the first 0xFF that is neither stuffing (FF00) nor a restart. */
function skipEntropyCoded(data: Buffer, start: number, fail: (at: number, what: string) => never) {
  for (let at = start; at + 1 < data.length; at++) {
    if (data[at] !== 0xff) continue;
    const next = data[at + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
      at++;
      continue;
    }
    if (at === start) fail(at, "a scan without data");
    return at;
  }
  return fail(data.length, "scan data runs to the end of the file");
}
