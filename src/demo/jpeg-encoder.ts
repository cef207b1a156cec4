import {
  AC_CHROMINANCE,
  AC_LUMINANCE,
  CHROMINANCE_QUANT,
  DC_CHROMINANCE,
  DC_LUMINANCE,
  LUMINANCE_QUANT,
  ZIGZAG,
  huffmanCodes,
  scaleQuant,
  type HuffmanSpec,
} from "./jpeg-tables.js";

/** An 8-bit RGB picture, row by row, 3 bytes a pixel. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

export interface JpegOptions {
  /** 1–100, IJG scale; default 90. */
  quality?: number;
  /** Segments written right after SOI, each a complete marker segment (e.g. APP1 Exif). */
  segments?: readonly Buffer[];
}

/** Huffman code and length by symbol; length 0: the table has no code for it. */
interface Codes {
  codes: Uint16Array;
  lengths: Uint8Array;
}

function codeArrays(spec: HuffmanSpec): Codes {
  const codes = new Uint16Array(256);
  const lengths = new Uint8Array(256);
  for (const [symbol, entry] of huffmanCodes(spec)) {
    codes[symbol] = entry.code;
    lengths[symbol] = entry.length;
  }
  return { codes, lengths };
}

/**
 * A baseline JPEG (T.81 sequential DCT, Huffman, 8-bit, YCbCr 4:4:4): small and unremarkable,
 * so every browser, PhotoPrism and Nextcloud's previews read it. No subsampling keeps the
 * encoder simple; the demo's pictures are small enough that the size does not matter.
 */
export function encodeJpeg(image: RgbImage, options: JpegOptions = {}): Buffer {
  const { width, height, rgb } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`a JPEG needs a positive whole size, got ${width}×${height}`);
  if (width > 65_535 || height > 65_535)
    throw new Error(`a baseline JPEG is at most 65535 pixels wide and high`);
  if (rgb.length !== width * height * 3)
    throw new Error(`expected ${width * height * 3} bytes of RGB, got ${rgb.length}`);
  const quality = options.quality ?? 90;
  const quant = [scaleQuant(LUMINANCE_QUANT, quality), scaleQuant(CHROMINANCE_QUANT, quality)];
  const tables = [DC_LUMINANCE, AC_LUMINANCE, DC_CHROMINANCE, AC_CHROMINANCE];
  const [dcY, acY, dcC, acC] = tables.map(codeArrays) as [Codes, Codes, Codes, Codes];

  const out: Buffer[] = [Buffer.from([0xff, 0xd8]), ...(options.segments ?? [])];
  out.push(segment(0xdb, Buffer.from([0, ...zigzagged(quant[0]!), 1, ...zigzagged(quant[1]!)])));
  const sof = Buffer.alloc(15);
  sof.writeUInt8(8, 0);
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof.writeUInt8(3, 5);
  // Component id, sampling 1×1, quantisation table: Y uses 0, Cb and Cr use 1.
  sof.set([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1], 6);
  out.push(segment(0xc0, sof));
  const dht = [
    [0x00, DC_LUMINANCE],
    [0x10, AC_LUMINANCE],
    [0x01, DC_CHROMINANCE],
    [0x11, AC_CHROMINANCE],
  ] as const;
  out.push(segment(0xc4, Buffer.concat(dht.map(([id, spec]) => huffmanSegmentBody(id, spec)))));
  out.push(segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])));

  const bits = new BitWriter();
  const previousDc = [0, 0, 0];
  const planes = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      loadBlock(image, bx, by, planes);
      for (let c = 0; c < 3; c++) {
        const coefficients = quantise(forwardDct(planes[c]!), quant[c === 0 ? 0 : 1]!);
        const [dc, ac] = c === 0 ? [dcY, acY] : [dcC, acC];
        previousDc[c] = encodeBlock(bits, coefficients, previousDc[c]!, dc, ac);
      }
    }
  }
  out.push(bits.finish(), Buffer.from([0xff, 0xd9]));
  return Buffer.concat(out);
}

/** A marker segment: FF, marker, 2-byte length (which counts itself), body. */
export function segment(marker: number, body: Buffer): Buffer {
  if (body.length + 2 > 0xffff) throw new Error("a JPEG segment holds at most 65533 bytes");
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

const zigzagged = (table: readonly number[]): number[] => ZIGZAG.map((i) => table[i]!);

function huffmanSegmentBody(id: number, spec: HuffmanSpec): Buffer {
  return Buffer.from([id, ...spec.counts, ...spec.symbols]);
}

/** Level-shifted Y, Cb, Cr of one 8×8 block; edges repeat the last row and column. */
function loadBlock(image: RgbImage, bx: number, by: number, planes: Float64Array[]): void {
  const [y, cb, cr] = planes as [Float64Array, Float64Array, Float64Array];
  for (let row = 0; row < 8; row++) {
    const py = Math.min(by + row, image.height - 1);
    for (let col = 0; col < 8; col++) {
      const px = Math.min(bx + col, image.width - 1);
      const at = (py * image.width + px) * 3;
      const r = image.rgb[at]!;
      const g = image.rgb[at + 1]!;
      const b = image.rgb[at + 2]!;
      const i = row * 8 + col;
      // JFIF's full-range BT.601 conversion; Cb and Cr are centred on 0 already.
      y[i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
      cb[i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
      cr[i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
  }
}

const COSINES = (() => {
  const table = new Float64Array(64);
  for (let x = 0; x < 8; x++) {
    for (let u = 0; u < 8; u++) {
      const scale = u === 0 ? Math.SQRT1_2 : 1;
      table[x * 8 + u] = 0.5 * scale * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
    }
  }
  return table;
})();

/** The 2-D DCT-II of T.81 A.3.3, as two 1-D passes (rows, then columns). */
export function forwardDct(block: Float64Array): Float64Array {
  const rows = new Float64Array(64);
  for (let y = 0; y < 8; y++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let x = 0; x < 8; x++) sum += block[y * 8 + x]! * COSINES[x * 8 + u]!;
      rows[y * 8 + u] = sum;
    }
  }
  const result = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    for (let v = 0; v < 8; v++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) sum += rows[y * 8 + u]! * COSINES[y * 8 + v]!;
      result[v * 8 + u] = sum;
    }
  }
  return result;
}

/** Quantised coefficients in zig-zag order. */
function quantise(coefficients: Float64Array, table: readonly number[]): Int32Array {
  const out = new Int32Array(64);
  for (let k = 0; k < 64; k++) {
    const i = ZIGZAG[k]!;
    out[k] = Math.round(coefficients[i]! / table[i]!);
  }
  return out;
}

/** Bits needed for |value| (the "category" SSSS of T.81 F.1.2). */
const category = (value: number): number => (value === 0 ? 0 : 32 - Math.clz32(Math.abs(value)));

/** Negative values are sent as value − 1 in `size` bits (ones' complement, F.1.2.1). */
const amplitude = (value: number, size: number): number =>
  value < 0 ? value + (1 << size) - 1 : value;

function encodeBlock(bits: BitWriter, zz: Int32Array, prevDc: number, dc: Codes, ac: Codes) {
  const diff = zz[0]! - prevDc;
  const size = category(diff);
  bits.code(dc, size);
  if (size > 0) bits.write(amplitude(diff, size), size);
  let zeros = 0;
  for (let k = 1; k < 64; k++) {
    const value = zz[k]!;
    if (value === 0) {
      zeros++;
      continue;
    }
    for (; zeros >= 16; zeros -= 16) bits.code(ac, 0xf0);
    const s = category(value);
    bits.code(ac, (zeros << 4) | s);
    bits.write(amplitude(value, s), s);
    zeros = 0;
  }
  if (zeros > 0) bits.code(ac, 0x00);
  return zz[0]!;
}

/** Entropy-coded bytes, with a 0x00 stuffed after every 0xFF (T.81 F.1.2.3). */
class BitWriter {
  private bytes = new Uint8Array(1 << 16);
  private size = 0;
  private buffer = 0;
  private count = 0;

  code(codes: Codes, symbol: number): void {
    const length = codes.lengths[symbol] ?? 0;
    if (length === 0) throw new Error(`no Huffman code for symbol 0x${symbol.toString(16)}`);
    this.write(codes.codes[symbol]!, length);
  }

  /** `length` ≤ 16, so buffer never holds more than 23 bits. */
  write(value: number, length: number): void {
    this.buffer = (this.buffer << length) | (value & ((1 << length) - 1));
    this.count += length;
    while (this.count >= 8) {
      this.count -= 8;
      const byte = (this.buffer >> this.count) & 0xff;
      this.push(byte);
      if (byte === 0xff) this.push(0x00);
    }
    this.buffer &= (1 << this.count) - 1;
  }

  /** Pads the last byte with 1-bits, as T.81 F.1.2.3 asks. */
  finish(): Buffer {
    if (this.count > 0) this.write((1 << (8 - this.count)) - 1, 8 - this.count);
    return Buffer.from(this.bytes.subarray(0, this.size));
  }

  private push(byte: number): void {
    if (this.size === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.size++] = byte;
  }
}
