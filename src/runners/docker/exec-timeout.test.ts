import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  KILL_BY_MARKER_SCRIPT,
  clientDeadlineMs,
  execStartFailure,
  interpretWrappedExit,
  killByMarkerArgv,
  wrapWithTimeout,
  wrappedStartFailure,
} from "./exec-timeout.js";

describe("the timeout wrapper", () => {
  it("puts timeout -k in front of the untouched argv, in seconds", () => {
    expect(wrapWithTimeout(["php", "occ", "a b"], 1500)).toEqual([
      "timeout",
      "-k",
      "5",
      "1.5",
      "php",
      "occ",
      "a b",
    ]);
    expect(wrapWithTimeout(["x"], 0)[3]).toBe("0.001");
  });

  it("counts 124/137/143 as a timeout only once the limit has passed", () => {
    expect(interpretWrappedExit(124, 1000, 1000)).toEqual({ exitCode: null, timedOut: true });
    expect(interpretWrappedExit(137, 7000, 1000)).toEqual({ exitCode: null, timedOut: true });
    expect(interpretWrappedExit(143, 2000, 1000)).toEqual({ exitCode: null, timedOut: true });
    expect(interpretWrappedExit(124, 10, 1000)).toEqual({ exitCode: 124, timedOut: false });
    expect(interpretWrappedExit(1, 5000, 1000)).toEqual({ exitCode: 1, timedOut: false });
  });

  it("waits past timeout's own kill grace before giving up client-side", () => {
    expect(clientDeadlineMs(1000, true)).toBe(11_000);
    expect(clientDeadlineMs(1000, false)).toBe(1000);
  });

  it("tells start failures from commands that failed", () => {
    expect(execStartFailure(126, 0)).toBe(true);
    expect(execStartFailure(126, 4012)).toBe(false);
    expect(execStartFailure(1, 0)).toBe(false);
    const line = "timeout: failed to run command ‘nope’: No such file or directory\n";
    expect(wrappedStartFailure(127, line)).toBe(true);
    expect(wrappedStartFailure(127, "sh: nope: not found\n")).toBe(false);
    expect(wrappedStartFailure(0, line)).toBe(false);
  });
});

describe("the stop-by-marker helper", () => {
  it("passes signal and marker as arguments, never inside the script", () => {
    const argv = killByMarkerArgv("TERM", "abc123");
    expect(argv.slice(0, 3)).toEqual(["sh", "-c", KILL_BY_MARKER_SCRIPT]);
    expect(argv.slice(-2)).toEqual(["TERM", "abc123"]);
    expect(KILL_BY_MARKER_SCRIPT).not.toContain("abc123");
  });

  it("is valid POSIX sh", () => {
    expect(() => execFileSync("sh", ["-n", "-c", KILL_BY_MARKER_SCRIPT])).not.toThrow();
  });
});
