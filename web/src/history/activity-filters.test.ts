import { describe, expect, it } from "vitest";
import {
  activityPagePath,
  filterProblems,
  filtersFromQuery,
  hasProblems,
  isFiltered,
  isRealDay,
  logsApiPath,
  logsCsvHref,
  noFilters,
} from "./activity-filters.js";

describe("filtersFromQuery", () => {
  it("reads every field, trimmed, and ignores others", () => {
    const filters = filtersFromQuery(
      new URLSearchParams("user=anna&name=%20IMG_0001%20&hash=ABCD&from=2024-05-01&x=1"),
    );
    expect(filters).toEqual({
      user: "anna",
      name: "IMG_0001",
      hash: "ABCD",
      from: "2024-05-01",
      to: "",
    });
  });

  it("gives empty filters for an empty query", () => {
    expect(filtersFromQuery(new URLSearchParams(""))).toEqual(noFilters);
    expect(isFiltered(noFilters)).toBe(false);
  });
});

describe("filterProblems", () => {
  it("accepts a good search", () => {
    const problems = filterProblems({
      user: "o'brien jr",
      name: "IMG",
      hash: "a1B2c3",
      from: "2024-02-29",
      to: "2024-03-01",
    });
    expect(problems).toEqual({});
    expect(hasProblems(problems)).toBe(false);
  });

  it.each(["abc", "xyz1", "a".repeat(65), "12 34"])("refuses the hash %j", (hash) => {
    expect(filterProblems({ ...noFilters, hash }).hash).toMatch(/hexadecimal/);
  });

  it.each(["2024-02-30", "2023-02-29", "2024-13-01", "31.05.2024", "2024-5-1"])(
    "refuses the date %j",
    (day) => {
      expect(filterProblems({ ...noFilters, from: day }).from).toMatch(/real date/);
      expect(filterProblems({ ...noFilters, to: day }).to).toMatch(/real date/);
    },
  );

  it("says when the dates are the wrong way round", () => {
    const problems = filterProblems({ ...noFilters, from: "2024-06-02", to: "2024-06-01" });
    expect(problems).toEqual({ to: "This is before the From date: swap them." });
  });

  it("allows one day for both ends", () => {
    expect(filterProblems({ ...noFilters, from: "2024-06-01", to: "2024-06-01" })).toEqual({});
  });

  it("refuses an overlong name", () => {
    expect(filterProblems({ ...noFilters, name: "x".repeat(257) }).name).toBeDefined();
  });
});

describe("isRealDay", () => {
  it("knows leap years", () => {
    expect(isRealDay("2000-02-29")).toBe(true);
    expect(isRealDay("1900-02-29")).toBe(false);
  });
});

describe("paths", () => {
  const filters = { ...noFilters, user: "o'brien jr", name: "IMG&1" };

  it("encodes the filters for the page, the API and the CSV alike", () => {
    expect(activityPagePath(filters)).toBe("/activity?user=o%27brien+jr&name=IMG%261");
    expect(logsApiPath(filters, { limit: 50, offset: 100 })).toBe(
      "/api/logs?user=o%27brien+jr&name=IMG%261&limit=50&offset=100",
    );
    expect(logsCsvHref(filters)).toBe("/api/logs.csv?user=o%27brien+jr&name=IMG%261");
  });

  it("round-trips through the page URL", () => {
    const path = activityPagePath({ ...filters, hash: "abcd", to: "2024-01-31" }, 25);
    const query = new URLSearchParams(path.split("?")[1]);
    expect(filtersFromQuery(query)).toEqual({ ...filters, hash: "abcd", to: "2024-01-31" });
    expect(query.get("offset")).toBe("25");
  });

  it("leaves out empty filters and the first page's offset", () => {
    expect(activityPagePath(noFilters)).toBe("/activity");
    expect(logsCsvHref(noFilters)).toBe("/api/logs.csv");
  });
});
