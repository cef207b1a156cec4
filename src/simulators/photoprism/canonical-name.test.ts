import { describe, expect, it } from "vitest";
import {
  canonicalName,
  dateFromFileName,
  exifDateToUtc,
  takenAt,
  yearMonthFolder,
} from "./canonical-name.js";

describe("canonicalName", () => {
  it("joins the UTC date and the upper-case checksum", () => {
    const taken = new Date("2016-11-27T13:30:24Z");
    expect(canonicalName(taken, "353c8f7e")).toBe("20161127_133024_353C8F7E");
    expect(yearMonthFolder(taken)).toBe("2016/11");
  });

  it("writes EEEEEEEE when the checksum is missing", () => {
    expect(canonicalName(new Date("2020-01-02T03:04:05Z"), null)).toBe("20200102_030405_EEEEEEEE");
  });
});

describe("exifDateToUtc", () => {
  it("takes wall time as UTC without an offset and shifts with one", () => {
    expect(exifDateToUtc("2021:05:06 07:08:09")?.toISOString()).toBe("2021-05-06T07:08:09.000Z");
    expect(exifDateToUtc("2021:05:06 07:08:09", "+02:00")?.toISOString()).toBe(
      "2021-05-06T05:08:09.000Z",
    );
    expect(exifDateToUtc("2021:05:06 23:30:00", "-05:00")?.toISOString()).toBe(
      "2021-05-07T04:30:00.000Z",
    );
  });

  it("rejects blank, zero and impossible dates", () => {
    expect(exifDateToUtc("0000:00:00 00:00:00")).toBeNull();
    expect(exifDateToUtc("    :  :     :  :  ")).toBeNull();
    expect(exifDateToUtc("2021:02:30 10:00:00")).toBeNull();
  });
});

describe("dateFromFileName", () => {
  const now = new Date("2025-01-01T00:00:00Z");

  it("reads common camera and phone names", () => {
    const cases: Array<[string, string]> = [
      ["Screenshot_2018-09-05-18-49-59.png", "2018-09-05T18:49:59.000Z"],
      ["IMG_20200101_120000.jpg", "2020-01-01T12:00:00.000Z"],
      ["PXL_20231224_181512345.jpg", "2023-12-24T18:15:12.000Z"],
      ["2019-06-30 10.11.12.jpg", "2019-06-30T10:11:12.000Z"],
      ["holiday 2017-08-14.jpg", "2017-08-14T00:00:00.000Z"],
    ];
    for (const [name, iso] of cases) expect(dateFromFileName(name, now)?.toISOString()).toBe(iso);
  });

  it("ignores names without a plausible date", () => {
    expect(dateFromFileName("IMG_1234.JPG", now)).toBeNull();
    expect(dateFromFileName("19851231_101010.jpg", now)).toBeNull();
    expect(dateFromFileName("20301231_101010.jpg", now)).toBeNull();
    expect(dateFromFileName("20201340_101010.jpg", now)).toBeNull();
  });

  it("prefers EXIF, then the name, then mtime", () => {
    const a = new Date(1);
    const b = new Date(2);
    const c = new Date(3);
    expect(takenAt(a, b, c)).toBe(a);
    expect(takenAt(null, b, c)).toBe(b);
    expect(takenAt(null, null, c)).toBe(c);
  });
});
