/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): PhotoPrism's `fs.Checksum`, the
 * last part of a canonical file name. Node has no built-in CRC-32C, so a table-driven one.
 */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** An incremental CRC-32C: feed chunks with `update`, read the result with `hex`. */
export class Crc32c {
  private crc = 0xffffffff;

  update(chunk: Uint8Array): this {
    let crc = this.crc;
    for (let i = 0; i < chunk.length; i++) {
      crc = (TABLE[(crc ^ (chunk[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
    }
    this.crc = crc;
    return this;
  }

  value(): number {
    return (this.crc ^ 0xffffffff) >>> 0;
  }

  /** Eight lower-case hex digits, zero-padded, as Go's `fmt.Sprintf("%08x")`. */
  hex(): string {
    return this.value().toString(16).padStart(8, "0");
  }
}

export function crc32cHex(data: Uint8Array): string {
  return new Crc32c().update(data).hex();
}
