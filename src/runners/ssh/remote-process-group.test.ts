import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  killProcessGroupCommand,
  PRINT_PROCESS_GROUP,
  ProcessGroupMarker,
} from "./remote-process-group.js";

function split(chunks: string[]): { pgid: number | undefined; passed: string } {
  let passed = "";
  const marker = new ProcessGroupMarker((chunk) => (passed += chunk.toString("utf8")));
  for (const chunk of chunks) marker.push(Buffer.from(chunk));
  marker.flush();
  return { pgid: marker.pgid, passed };
}

describe("ProcessGroupMarker", () => {
  it("takes the marker off the front, in one chunk or split anywhere", () => {
    expect(split(["photoferry-pgid 123\nerror: x\n"])).toEqual({ pgid: 123, passed: "error: x\n" });
    expect(split(["photo", "ferry-pgid 4", "5\n", "rest"])).toEqual({ pgid: 45, passed: "rest" });
    expect(split(["photoferry-pgid 7\n"])).toEqual({ pgid: 7, passed: "" });
  });

  it("passes on what a login shell's startup files print before it", () => {
    const noise = "/usr/bin/env: 'bash': No such file or directory\n";
    expect(split([noise, "photoferry-pgid 12\nafter"])).toEqual({
      pgid: 12,
      passed: `${noise}after`,
    });
    expect(split([`${noise}photo`, "ferry-pgid 12\n"])).toEqual({ pgid: 12, passed: noise });
  });

  it("passes through stderr without a marker untouched", () => {
    expect(split(["short"])).toEqual({ pgid: undefined, passed: "short" });
    expect(split(["a\nb", "c\n", "d"])).toEqual({ pgid: undefined, passed: "a\nbc\nd" });
    const long = "x".repeat(70 * 1024);
    expect(split([long, "\nphotoferry-pgid 3\n"])).toEqual({
      pgid: undefined,
      passed: `${long}\nphotoferry-pgid 3\n`,
    });
    const lines = "line\n".repeat(14 * 1024);
    expect(split([lines, "photoferry-pgid 3\n"]).pgid).toBeUndefined();
  });

  it("keeps a marker-like line that comes after the marker", () => {
    expect(split(["photoferry-pgid 5\nphotoferry-pgid 6\n"])).toEqual({
      pgid: 5,
      passed: "photoferry-pgid 6\n",
    });
  });

  it("reads what a real shell prints: its own pid, first on stderr", () => {
    const shell = spawnSync("/bin/sh", ["-c", `${PRINT_PROCESS_GROUP}echo "$$"; echo oops >&2`], {
      encoding: "utf8",
    });
    const { pgid, passed } = split([shell.stderr]);
    expect(pgid).toBe(Number(shell.stdout));
    expect(passed).toBe("oops\n");
  });
});

describe("killProcessGroupCommand", () => {
  it("kills a group, and refuses anything but a real group id", () => {
    expect(killProcessGroupCommand(4242, "TERM")).toBe("kill -s TERM -- -4242");
    expect(() => killProcessGroupCommand(1, "KILL")).toThrow();
    expect(() => killProcessGroupCommand(0, "KILL")).toThrow();
    expect(() => killProcessGroupCommand(Number.NaN, "KILL")).toThrow();
  });
});
