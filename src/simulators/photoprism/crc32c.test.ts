import { describe, expect, it } from "vitest";
import { Crc32c, crc32cHex } from "./crc32c.js";

describe("crc32c", () => {
  it("matches the standard check value for '123456789'", () => {
    expect(crc32cHex(Buffer.from("123456789"))).toBe("e3069283");
  });

  it("gives 00000000 for no data and pads short values", () => {
    expect(crc32cHex(Buffer.alloc(0))).toBe("00000000");
    // RFC 3720 B.4: 32 bytes of zeros → 8A9136AA.
    expect(crc32cHex(Buffer.alloc(32))).toBe("8a9136aa");
    expect(crc32cHex(Buffer.alloc(32, 0xff))).toBe("62a8ab43");
  });

  it("gives the same result fed in chunks as in one piece", () => {
    const data = Buffer.from("The quick brown fox jumps over the lazy dog");
    const chunked = new Crc32c().update(data.subarray(0, 7)).update(data.subarray(7)).hex();
    expect(chunked).toBe(crc32cHex(data));
    expect(chunked).toBe("22620404");
  });
});
