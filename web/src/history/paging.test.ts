import { describe, expect, it } from "vitest";
import { describeWindow, offsetFromQuery, pageWindow } from "./paging.js";

describe("pageWindow", () => {
  it("describes the first page of many", () => {
    expect(pageWindow(120, 25, 0)).toEqual({
      first: 1,
      last: 25,
      total: 120,
      previousOffset: null,
      nextOffset: 25,
    });
  });

  it("describes a middle page and the last, shorter one", () => {
    expect(pageWindow(120, 25, 50)).toMatchObject({ first: 51, last: 75, previousOffset: 25 });
    expect(pageWindow(120, 25, 100)).toMatchObject({
      first: 101,
      last: 120,
      previousOffset: 75,
      nextOffset: null,
    });
  });

  it("has no pages to go to when everything fits", () => {
    expect(pageWindow(3, 25, 0)).toMatchObject({ previousOffset: null, nextOffset: null });
  });

  it("leads back to the real last page from an offset past the end", () => {
    const window = pageWindow(30, 25, 500);
    expect(window).toMatchObject({ first: 0, last: 500, nextOffset: null, previousOffset: 25 });
  });

  it("copes with nothing at all", () => {
    expect(pageWindow(0, 25, 0)).toEqual({
      first: 0,
      last: 0,
      total: 0,
      previousOffset: null,
      nextOffset: null,
    });
  });
});

describe("offsetFromQuery", () => {
  it("reads a whole number", () => {
    expect(offsetFromQuery(new URLSearchParams("offset=50"))).toBe(50);
  });

  it.each(["-5", "abc", "1.5", "", "1e3", "99999999999"])("treats %j as the first page", (raw) => {
    expect(offsetFromQuery(new URLSearchParams({ offset: raw }))).toBe(0);
  });

  it("is 0 without the parameter", () => {
    expect(offsetFromQuery(new URLSearchParams(""))).toBe(0);
  });
});

describe("describeWindow", () => {
  it("names the rows shown", () => {
    expect(describeWindow(pageWindow(1200, 25, 25), "runs")).toBe("Runs 26–50 of 1,200");
  });

  it("says when there are none", () => {
    expect(describeWindow(pageWindow(0, 25, 0), "runs")).toBe("No runs");
    expect(describeWindow(pageWindow(10, 25, 50), "runs")).toBe("No runs on this page");
  });
});
