import { describe, expect, it } from "vitest";
import { phpArray, phpArrayKey, phpJsonEncode, phpList } from "./php-value.js";

describe("phpJsonEncode", () => {
  it("escapes slashes and non-ASCII like PHP's json_encode", () => {
    expect(phpJsonEncode("/data/Zoë 😀\t")).toBe('"\\/data\\/Zo\\u00eb \\ud83d\\ude00\\t"');
  });

  it("writes sequential int keys as a list and anything else as an object", () => {
    expect(phpJsonEncode(phpList(["a", "b"]))).toBe('["a","b"]');
    // Numeric user ids become int keys in PHP; in order 0..n-1 they print as a list.
    expect(
      phpJsonEncode(
        phpArray([
          ["0", "zero"],
          ["1", "one"],
        ]),
      ),
    ).toBe('["zero","one"]');
    expect(phpJsonEncode(phpArray([["1", "one"]]))).toBe('{"1":"one"}');
    expect(
      phpJsonEncode(
        phpArray([
          ["b", 1],
          ["10", 2],
        ]),
      ),
    ).toBe('{"b":1,"10":2}');
    expect(phpJsonEncode(new Map())).toBe("[]");
  });

  it("pretty-prints with four spaces", () => {
    expect(
      phpJsonEncode(
        phpArray([
          ["a", true],
          ["b", phpList([1])],
        ]),
        true,
      ),
    ).toBe('{\n    "a": true,\n    "b": [\n        1\n    ]\n}');
  });
});

describe("phpArrayKey", () => {
  it("turns only canonical decimal strings into ints", () => {
    expect(phpArrayKey("12")).toBe(12);
    expect(phpArrayKey("-3")).toBe(-3);
    expect(phpArrayKey("012")).toBe("012");
    expect(phpArrayKey("1.5")).toBe("1.5");
    expect(phpArrayKey("alice")).toBe("alice");
  });
});
