import { describe, expect, it } from "vitest";
import { parseLines, parseText, textOf } from "./field-value.js";
import { fieldSpec, type FieldSpec } from "./schema-field.js";

const spec = (node: Parameters<typeof fieldSpec>[0], name = "x"): FieldSpec =>
  fieldSpec(node, [name]);
const integer = spec({ type: "integer", minimum: 0, maximum: 86400 });

describe("parseText", () => {
  it("reads whole numbers within the limits", () => {
    expect(parseText(integer, " 45 ")).toEqual({ ok: true, value: 45 });
    expect(parseText(integer, "-1")).toEqual({ ok: false, error: "must be at least 0" });
    expect(parseText(integer, "86401")).toEqual({ ok: false, error: "must be at most 86400" });
  });

  it("refuses text, decimals and exponents for a whole number", () => {
    for (const text of ["abc", "1.5", "1e3", "0x10", ""]) {
      expect(parseText(integer, text).ok, text).toBe(false);
    }
  });

  it("does not quote an unbounded maximum such as MAX_SAFE_INTEGER", () => {
    const uid = spec({ type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
    expect(parseText(uid, "99999999")).toEqual({ ok: true, value: 99999999 });
  });

  it("reads an empty nullable field as null (off)", () => {
    expect(
      parseText(spec({ anyOf: [{ type: "string" }, { type: "null" }] }, "cron"), "  "),
    ).toEqual({
      ok: true,
      value: null,
    });
  });

  it("checks cron expressions with croner", () => {
    const cron = spec({ anyOf: [{ type: "string" }, { type: "null" }] }, "cron");
    expect(parseText(cron, "0 3 * * *")).toEqual({ ok: true, value: "0 3 * * *" });
    const refused = parseText(cron, "every night");
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/^is not a cron expression: .+/);
  });

  it("checks minLength, pattern and URLs", () => {
    expect(parseText(spec({ type: "string", minLength: 1 }), "")).toEqual({
      ok: false,
      error: "must not be empty",
    });
    const topic = spec({ type: "string", pattern: "^[-_A-Za-z0-9]{1,64}$", example: "photoferry" });
    expect(parseText(topic, "has space")).toEqual({
      ok: false,
      error: "is not in the expected form, like photoferry",
    });
    expect(parseText(topic, "photos_1").ok).toBe(true);
    const url = spec({ type: "string", format: "uri" });
    expect(parseText(url, "ntfy.sh").ok).toBe(false);
    expect(parseText(url, "https://ntfy.sh").ok).toBe(true);
  });

  it("reads a user as a number when it is one, else as a name", () => {
    const user = spec({
      anyOf: [
        { type: "string", minLength: 1 },
        { type: "integer", minimum: 0 },
      ],
    });
    expect(parseText(user, "33")).toEqual({ ok: true, value: 33 });
    expect(parseText(user, "www-data")).toEqual({ ok: true, value: "www-data" });
    expect(parseText(user, "-3").ok).toBe(false);
  });
});

describe("parseLines", () => {
  const folders = spec({ type: "array", minItems: 1, items: { type: "string" } });

  it("takes one entry per non-empty line", () => {
    expect(parseLines(folders, "InstantUpload\n\n  Photos \n")).toEqual({
      ok: true,
      value: ["InstantUpload", "Photos"],
    });
  });

  it("refuses fewer entries than minItems", () => {
    expect(parseLines(folders, "\n")).toEqual({ ok: false, error: "needs at least 1 entry" });
  });
});

describe("textOf", () => {
  it("renders config values for a text box", () => {
    expect(textOf(null)).toBe("");
    expect(textOf(undefined)).toBe("");
    expect(textOf(["a", "b"])).toBe("a\nb");
    expect(textOf(30)).toBe("30");
  });
});
