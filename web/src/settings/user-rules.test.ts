import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { globToRegExp, patternMatches, toggleUser, userRulesOf } from "./user-rules.js";

const rules = (include: string[], exclude: string[] = [], autoIncludeNew = true) => ({
  include,
  exclude,
  autoIncludeNew,
});

describe("patternMatches agrees with the server's picomatch", () => {
  const serverGlob = (pattern: string) =>
    picomatch(pattern, { dot: true, nonegate: true, windows: false });
  const ids = ["anna", "bob", "o'brien jr", "a1", "a(1)", "ab", ".hidden", "Anna", "b-c", "x.y"];
  const patterns = [
    "*",
    "a*",
    "?nna",
    "[ab]*",
    "[!a]*",
    "[^a]*",
    "a(b|1)",
    "{anna,bob}",
    "a(1)",
    "*jr",
    "b?c",
    "x.y",
  ];
  for (const pattern of patterns) {
    it(`'${pattern}'`, () => {
      const glob = serverGlob(pattern);
      for (const id of ids) {
        expect(patternMatches(pattern, id), `${pattern} vs ${id}`).toBe(id === pattern || glob(id));
      }
    });
  }

  it("takes a leading ! literally, as nonegate does", () => {
    expect(patternMatches("!anna", "bob")).toBe(false);
    expect(patternMatches("!anna", "!anna")).toBe(true);
  });

  it("an unclosed class is a literal bracket", () => {
    expect(globToRegExp("a[").test("a[")).toBe(true);
  });
});

describe("toggleUser", () => {
  it("off adds the id to exclude", () => {
    expect(toggleUser(rules(["*"]), "bob", false, false)).toEqual({
      edits: [{ path: ["nextcloud", "users", "exclude"], value: ["bob"] }],
    });
  });

  it("off changes nothing when an exclude pattern already covers the id", () => {
    expect(toggleUser(rules(["*"], ["b*"]), "bob", false, false).edits).toEqual([]);
  });

  it("on removes the id from exclude and leaves include alone when a glob there matches", () => {
    expect(toggleUser(rules(["*"], ["anna", "bob"]), "bob", true, false)).toEqual({
      edits: [{ path: ["nextcloud", "users", "exclude"], value: ["anna"] }],
    });
  });

  it("on adds the id to include when no include entry matches it", () => {
    expect(toggleUser(rules(["anna"]), "o'brien jr", true, false)).toEqual({
      edits: [{ path: ["nextcloud", "users", "include"], value: ["anna", "o'brien jr"] }],
    });
  });

  it("on names a held-back new user in include even when a glob matches it", () => {
    const result = toggleUser(rules(["*"], [], false), "carol", true, true);
    expect(result.edits).toEqual([
      { path: ["nextcloud", "users", "include"], value: ["*", "carol"] },
    ]);
  });

  it("on refuses to rewrite an exclude glob and names it", () => {
    expect(toggleUser(rules(["*"], ["b*"]), "bob", true, false)).toEqual({
      edits: [],
      blockedBy: "b*",
    });
  });
});

describe("userRulesOf", () => {
  it("falls back to the schema defaults", () => {
    expect(userRulesOf({})).toEqual({ include: ["*"], exclude: [], autoIncludeNew: true });
  });

  it("reads the lists and ignores anything that is not text", () => {
    expect(
      userRulesOf({
        nextcloud: { users: { include: ["a", 3], exclude: ["b"], autoIncludeNew: false } },
      }),
    ).toEqual({ include: ["a"], exclude: ["b"], autoIncludeNew: false });
  });
});
