import { segment } from "./jpeg-encoder.js";

export interface ExifFields {
  /** Local capture time, as a camera writes it (no time zone). */
  taken: { year: number; month: number; day: number; hour: number; minute: number; second: number };
  /** e.g. "+02:00"; written as OffsetTimeOriginal so readers need not guess the zone. */
  offset?: string;
  make: string;
  model: string;
  width: number;
  height: number;
}

const ASCII = 2;
const SHORT = 3;
const LONG = 4;
const UNDEFINED = 7;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Big-endian bytes of the value; up to 4 are stored in the entry itself. */
  bytes: Buffer;
}

const ascii = (tag: number, text: string): Entry => {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`EXIF text must be plain ASCII: ${text}`);
  const bytes = Buffer.from(`${text}\0`, "latin1");
  return { tag, type: ASCII, count: bytes.length, bytes };
};
const long = (tag: number, value: number): Entry => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return { tag, type: LONG, count: 1, bytes };
};
const short = (tag: number, value: number): Entry => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt16BE(value);
  return { tag, type: SHORT, count: 1, bytes };
};

/** `YYYY:MM:DD HH:MM:SS`, EXIF's date format. */
export function exifDateTime(taken: ExifFields["taken"]): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${String(taken.year).padStart(4, "0")}:${two(taken.month)}:${two(taken.day)} ` +
    `${two(taken.hour)}:${two(taken.minute)}:${two(taken.second)}`
  );
}

/**
 * An APP1 segment with a big-endian TIFF structure: IFD0 (Make, Model, Orientation, DateTime,
 * pointer to the Exif IFD) and the Exif IFD (version, DateTimeOriginal, DateTimeDigitized,
 * OffsetTimeOriginal, pixel dimensions). Entries are sorted by tag, as TIFF requires.
 */
export function exifSegment(fields: ExifFields): Buffer {
  const when = exifDateTime(fields.taken);
  const exifEntries: Entry[] = [
    { tag: 0x9000, type: UNDEFINED, count: 4, bytes: Buffer.from("0232", "latin1") },
    ascii(0x9003, when),
    ascii(0x9004, when),
    ...(fields.offset ? [ascii(0x9011, fields.offset)] : []),
    long(0xa002, fields.width),
    long(0xa003, fields.height),
  ];
  const ifd0Entries = (exifOffset: number): Entry[] => [
    ascii(0x010f, fields.make),
    ascii(0x0110, fields.model),
    short(0x0112, 1),
    ascii(0x0132, when),
    long(0x8769, exifOffset),
  ];
  const headerSize = 8;
  // Lay IFD0 out once to learn where its data ends; the Exif IFD follows it.
  const exifOffset = headerSize + writeIfd(ifd0Entries(0), headerSize).length;
  const tiff = Buffer.concat([
    Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]),
    writeIfd(ifd0Entries(exifOffset), headerSize),
    writeIfd(exifEntries, exifOffset),
  ]);
  return segment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]));
}

const ifdSize = (entries: number): number => 2 + entries * 12 + 4;

/** One IFD at `offset` (from the TIFF header), followed by the values that do not fit in 4 bytes. */
function writeIfd(entries: Entry[], offset: number): Buffer {
  const table = Buffer.alloc(ifdSize(entries.length));
  const data: Buffer[] = [];
  let dataOffset = offset + table.length;
  table.writeUInt16BE(entries.length, 0);
  entries.forEach((entry, index) => {
    const at = 2 + index * 12;
    table.writeUInt16BE(entry.tag, at);
    table.writeUInt16BE(entry.type, at + 2);
    table.writeUInt32BE(entry.count, at + 4);
    if (entry.bytes.length <= 4) {
      entry.bytes.copy(table, at + 8);
    } else {
      table.writeUInt32BE(dataOffset, at + 8);
      // Values start on word boundaries, as TIFF readers expect.
      const padded =
        entry.bytes.length % 2 ? Buffer.concat([entry.bytes, Buffer.alloc(1)]) : entry.bytes;
      data.push(padded);
      dataOffset += padded.length;
    }
  });
  table.writeUInt32BE(0, table.length - 4); // no next IFD
  return Buffer.concat([table, ...data]);
}
