/**
 * The smallest well-formed QuickTime movie: an `ftyp` box (brand `qt  `) and a `moov` box
 * holding only the movie header (`mvhd`). It has no tracks, so players show nothing, but
 * every ISO-BMFF parser reads it, and beside a JPEG of the same name it makes a Live Photo
 * pair for photoferry's grouping and PhotoPrism's related files.
 */
export function quickTimeMovie(options: { created: Date; durationSeconds?: number }): Buffer {
  const timescale = 600;
  // QuickTime counts seconds from 1904-01-01 UTC.
  const since1904 = Math.floor(options.created.getTime() / 1000) + 2_082_844_800;
  if (since1904 < 0 || since1904 > 0xffffffff)
    throw new Error("a version-0 movie header holds dates from 1904 to 2040 only");
  const mvhd = Buffer.alloc(100);
  let at = 0;
  const u32 = (value: number) => (at = mvhd.writeUInt32BE(value, at));
  u32(0); // version 0, no flags
  u32(since1904); // creation time
  u32(since1904); // modification time
  u32(timescale);
  u32(Math.round((options.durationSeconds ?? 2) * timescale));
  u32(0x00010000); // preferred rate 1.0
  at = mvhd.writeUInt16BE(0x0100, at); // preferred volume 1.0
  at += 10; // reserved
  for (const value of [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000]) u32(value); // identity matrix
  for (let i = 0; i < 6; i++) u32(0); // preview, poster, selection and current times
  u32(1); // next track id
  const ftyp = box("ftyp", Buffer.from("qt  \x00\x00\x00\x00qt  ", "latin1"));
  return Buffer.concat([ftyp, box("moov", box("mvhd", mvhd))]);
}

/** An ISO-BMFF box: 32-bit size (including the 8-byte header), 4-character type, payload. */
export function box(type: string, payload: Buffer): Buffer {
  if (!/^[\x20-\x7e]{4}$/.test(type)) throw new Error(`a box type is 4 ASCII characters: ${type}`);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(payload.length + 8, 0);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, payload]);
}
