import { describe, expect, expectTypeOf, it } from "vitest";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { heldBackReason, knownAfter, selectUsers, type UserRules } from "./user-selection.js";

const nfc = "jürgen".normalize("NFC");
const nfd = "jürgen".normalize("NFD");
const oddIds = ["anna maria", "bob@example.com", "o'brien", nfc, nfd, "a.b-c_d"];

function rules(overrides: Partial<UserRules> = {}): UserRules {
  return { include: ["*"], exclude: [], autoIncludeNew: true, ...overrides };
}

const none: ReadonlySet<string> = new Set();

function decisions(users: string[], r: UserRules, known = none): Record<string, string> {
  return Object.fromEntries(
    selectUsers(users, r, known).map((u) => [u.id, u.included ? `+ ${u.reason}` : u.reason]),
  );
}

describe("selectUsers", () => {
  it("takes its rules straight from the config", () => {
    expectTypeOf<PhotoferryConfig["nextcloud"]["users"]>().toExtend<UserRules>();
  });

  it("includes everybody with the default rules, odd ids too, in the order given", () => {
    const selection = selectUsers(oddIds, rules(), none);
    expect(selection.map((u) => u.id)).toEqual(oddIds);
    for (const user of selection) {
      expect(user).toEqual({
        id: user.id,
        included: true,
        reason: "included by pattern '*'",
        isNew: false,
      });
    }
  });

  it("matches globs over the whole id, with spaces, @, ' and non-ASCII letters", () => {
    const r = rules({ include: ["anna *", "*@example.com", "o'*", "j?rgen", "a.b-*"] });
    expect(decisions(oddIds, r)).toEqual({
      "anna maria": "+ included by pattern 'anna *'",
      "bob@example.com": "+ included by pattern '*@example.com'",
      "o'brien": "+ included by pattern 'o'*'",
      [nfc]: "+ included by pattern 'j?rgen'",
      // NFD spells ü as u + combining diaeresis: two characters, so `?` cannot match it.
      [nfd]: "not matched by any include pattern",
      "a.b-c_d": "+ included by pattern 'a.b-*'",
    });
    expect(decisions(["anna maria x", "xanna maria"], rules({ include: ["anna maria"] }))).toEqual({
      "anna maria x": "not matched by any include pattern",
      "xanna maria": "not matched by any include pattern",
    });
  });

  it("treats NFC and NFD spellings as different users", () => {
    expect(decisions([nfc, nfd], rules({ include: [nfc] }))).toEqual({
      [nfc]: `+ included by pattern '${nfc}'`,
      [nfd]: "not matched by any include pattern",
    });
    const known = new Set([nfc]);
    const selection = selectUsers([nfc, nfd], rules(), known);
    expect(selection.map((u) => [u.id, u.isNew])).toEqual([
      [nfc, false],
      [nfd, true],
    ]);
  });

  it("lets a literal id with glob metacharacters name exactly that user", () => {
    const users = ["a(1)", "a1", "b[2]", "b2", "!c", "c", "d{e}", "de"];
    const r = rules({ include: ["a(1)", "b[2]", "!c", "d{e}"] });
    expect(decisions(users, r)).toEqual({
      "a(1)": "+ included by pattern 'a(1)'",
      // Still globs: `a(1)` and `b[2]` also match these, as picomatch reads them.
      a1: "+ included by pattern 'a(1)'",
      b2: "+ included by pattern 'b[2]'",
      "b[2]": "+ included by pattern 'b[2]'",
      "!c": "+ included by pattern '!c'",
      c: "not matched by any include pattern",
      "d{e}": "+ included by pattern 'd{e}'",
      de: "not matched by any include pattern",
    });
    expect(decisions(["b[2]", "b2"], rules({ include: ["b\\[2\\]"] }))).toEqual({
      "b[2]": "+ included by pattern 'b\\[2\\]'",
      b2: "not matched by any include pattern",
    });
  });

  it("lets exclude win over include, even over an exact name", () => {
    const r = rules({ include: ["*", "guest1"], exclude: ["guest*", "bob@example.com"] });
    expect(decisions(["guest1", "guests", "bob@example.com", "bob"], r)).toEqual({
      guest1: "excluded by pattern 'guest*'",
      guests: "excluded by pattern 'guest*'",
      "bob@example.com": "excluded by pattern 'bob@example.com'",
      bob: "+ included by pattern '*'",
    });
    expect(decisions(["a(1)"], rules({ exclude: ["a(1)"] }))).toEqual({
      "a(1)": "excluded by pattern 'a(1)'",
    });
  });

  it("names the first pattern that decided", () => {
    const r = rules({ include: ["a*", "*"], exclude: ["x*", "*y"] });
    expect(decisions(["abc", "bcd", "xy"], r)).toEqual({
      abc: "+ included by pattern 'a*'",
      bcd: "+ included by pattern '*'",
      xy: "excluded by pattern 'x*'",
    });
  });

  it("includes nobody when include is empty", () => {
    expect(decisions(["admin"], rules({ include: [] }))).toEqual({
      admin: "not matched by any include pattern",
    });
  });

  it("marks users missing from known as new, and includes them when autoIncludeNew is on", () => {
    const selection = selectUsers(["admin", "anna maria"], rules(), new Set(["admin"]));
    expect(selection).toEqual([
      { id: "admin", included: true, reason: "included by pattern '*'", isNew: false },
      { id: "anna maria", included: true, reason: "included by pattern '*'", isNew: true },
    ]);
  });

  describe("with autoIncludeNew off", () => {
    const known = new Set(["admin"]);

    it("holds a new user back unless an include entry is exactly its id", () => {
      const r = rules({ include: ["*", "o'brien"], autoIncludeNew: false });
      expect(decisions(["admin", "anna maria", "o'brien"], r, known)).toEqual({
        admin: "+ included by pattern '*'",
        "anna maria": heldBackReason,
        "o'brien": "+ included by pattern 'o'brien'",
      });
      expect(heldBackReason).toBe("new user, not yet included (autoIncludeNew is off)");
    });

    it("does not count a glob that only happens to match as naming the user", () => {
      const r = rules({ include: ["a(1)"], autoIncludeNew: false });
      expect(decisions(["a(1)", "a1"], r, known)).toEqual({
        "a(1)": "+ included by pattern 'a(1)'",
        a1: heldBackReason,
      });
    });

    it("still reports exclusion and non-matching before holding back", () => {
      const r = rules({ include: ["a*"], exclude: ["ab*"], autoIncludeNew: false });
      expect(decisions(["abc", "bcd"], r, known)).toEqual({
        abc: "excluded by pattern 'ab*'",
        bcd: "not matched by any include pattern",
      });
    });

    it("counts everyone as known on the very first discovery", () => {
      const r = rules({ include: ["*"], exclude: ["guest"], autoIncludeNew: false });
      const selection = selectUsers(["admin", "anna maria", "guest"], r, none);
      expect(selection).toEqual([
        { id: "admin", included: true, reason: "included by pattern '*'", isNew: false },
        { id: "anna maria", included: true, reason: "included by pattern '*'", isNew: false },
        { id: "guest", included: false, reason: "excluded by pattern 'guest'", isNew: false },
      ]);
    });
  });
});

describe("knownAfter", () => {
  it("remembers known and included users, never a new user that was left out", () => {
    const r = rules({ include: ["*", "carol"], exclude: ["guest*"], autoIncludeNew: false });
    const known = new Set(["admin", "guest0"]);
    const users = ["admin", "bob", "carol", "guest0", "guest1"];
    expect(knownAfter(selectUsers(users, r, known))).toEqual(["admin", "carol", "guest0"]);
  });

  it("remembers everybody after the first discovery", () => {
    const selection = selectUsers(
      ["a", "b"],
      rules({ include: ["a"], autoIncludeNew: false }),
      none,
    );
    expect(knownAfter(selection)).toEqual(["a", "b"]);
  });
});

describe("selectUsers after a discovery that found nobody", () => {
  it("treats users created later as new", () => {
    const rules = { include: ["*"], exclude: [], autoIncludeNew: false };
    const [later] = selectUsers(["later"], rules, new Set(), true);
    expect(later).toMatchObject({ id: "later", isNew: true, included: false });
  });
});
