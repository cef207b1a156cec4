/**
 * A minimal JPEG whose APP1 segment carries EXIF (little-endian TIFF: IFD0 Make/Model and an
 * Exif IFD with DateTimeOriginal and pixel dimensions), then `body` as the "image data".
 * Enough for exifr; it does not decode as a picture.
 */
export function jpegWithExif(
  tags: { make: string; model: string; taken: string; width: number; height: number },
  body: Buffer,
): Buffer {
  type Entry = { tag: number; type: 2 | 3 | 4; count: number; data: Buffer };
  const u16 = (v: number) => Buffer.from([v & 0xff, (v >> 8) & 0xff]);
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return b;
  };
  const ascii = (text: string): Entry => ({
    tag: 0,
    type: 2,
    count: text.length + 1,
    data: Buffer.from(`${text}\0`, "latin1"),
  });
  const ifd = (entries: Entry[], start: number): Buffer => {
    let dataAt = start + 2 + 12 * entries.length + 4;
    const dir: Buffer[] = [u16(entries.length)];
    const data: Buffer[] = [];
    for (const e of [...entries].sort((a, b) => a.tag - b.tag)) {
      dir.push(u16(e.tag), u16(e.type), u32(e.count));
      if (e.data.length <= 4) dir.push(Buffer.concat([e.data, Buffer.alloc(4 - e.data.length)]));
      else {
        dir.push(u32(dataAt));
        const padded = e.data.length % 2 ? Buffer.concat([e.data, Buffer.alloc(1)]) : e.data;
        data.push(padded);
        dataAt += padded.length;
      }
    }
    dir.push(u32(0));
    return Buffer.concat([...dir, ...data]);
  };
  const ifd0Entries = (exifAt: number): Entry[] => [
    { ...ascii(tags.make), tag: 0x010f },
    { ...ascii(tags.model), tag: 0x0110 },
    { tag: 0x8769, type: 4, count: 1, data: u32(exifAt) },
  ];
  const exifAt = 8 + ifd(ifd0Entries(0), 8).length;
  const exif = ifd(
    [
      { ...ascii(tags.taken), tag: 0x9003 },
      { tag: 0xa002, type: 4, count: 1, data: u32(tags.width) },
      { tag: 0xa003, type: 4, count: 1, data: u32(tags.height) },
    ],
    exifAt,
  );
  const tiff = Buffer.concat([
    Buffer.from("II", "latin1"),
    u16(42),
    u32(8),
    ifd(ifd0Entries(exifAt), 8),
    exif,
  ]);
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const app1 = Buffer.concat([
    Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]),
    payload,
  ]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 63, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, sos, body, Buffer.from([0xff, 0xd9])]);
}
