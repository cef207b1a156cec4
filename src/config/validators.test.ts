import { describe, expect, it } from "vitest";
import {
  closestMatch,
  cronProblem,
  editDistance,
  isContainedRelativePath,
  isSameOrInside,
  parseCidr,
  parseFileMode,
} from "./validators.js";

describe("validators", () => {
  it("accepts cron expressions croner accepts", () => {
    expect(cronProblem("*/15 * * * *")).toBeNull();
    expect(cronProblem("0 3 * * sun")).toBeNull();
    expect(cronProblem("every blue moon")).toMatch(/five, six, or seven/);
    expect(cronProblem("61 * * * *")).not.toBeNull();
  });

  it("parses IPv4 and IPv6 CIDRs and bare addresses", () => {
    expect(parseCidr("192.168.0.0/16")).toEqual({ family: 4, address: "192.168.0.0", prefix: 16 });
    expect(parseCidr("::1")).toEqual({ family: 6, address: "::1", prefix: 128 });
    expect(parseCidr("fd00::/8")?.prefix).toBe(8);
    for (const bad of [
      "10.0.0.0/33",
      "::/129",
      "10.0.0/8",
      "10.0.0.0/8/1",
      "10.0.0.0/-1",
      "host",
    ]) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });

  it("tells contained relative paths from escaping ones", () => {
    expect(isContainedRelativePath("Photos/Camera Roll")).toBe(true);
    expect(isContainedRelativePath("a/../../b")).toBe(false);
    expect(isContainedRelativePath("/abs")).toBe(false);
    expect(isContainedRelativePath("")).toBe(false);
  });

  it("compares paths by segment, not by prefix", () => {
    expect(isSameOrInside("/data/import", "/data")).toBe(true);
    expect(isSameOrInside("/data2", "/data")).toBe(false);
    expect(isSameOrInside("/data/", "/data")).toBe(true);
    expect(isSameOrInside("Photos/x", "Photos")).toBe(true);
    expect(isSameOrInside("/anything", "/")).toBe(true);
  });

  it("reads octal file modes", () => {
    expect(parseFileMode("0644")).toBe(0o644);
    expect(parseFileMode("755")).toBe(0o755);
    expect(parseFileMode("0999")).toBeNull();
    expect(parseFileMode("rw-r--r--")).toBeNull();
  });

  it("suggests close matches", () => {
    expect(editDistance("prot", "port")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(closestMatch("sorceFolders", ["sourceFolders", "dataDir"])).toBe("sourceFolders");
    expect(closestMatch("zzz", ["port", "host"])).toBeUndefined();
  });
});
