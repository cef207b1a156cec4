import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { joinForPosixShell, quoteForPosixShell } from "./shell-quote.js";

const nasty = [
  "plain",
  "two words",
  "it's",
  "''",
  "'",
  "$HOME",
  "${PATH}",
  "`id`",
  "$(id)",
  'double "quoted"',
  "back\\slash",
  "line\nbreak",
  "tab\there",
  "",
  "-n",
  "--path=/x y/z",
  "*",
  "?[a]",
  "~",
  "a;b|c&d>e<f",
  "!event",
  "#comment",
  "Zoë 写真 📷",
  " lead and trail ",
];

/** What /bin/sh makes of the quoted line: the arguments as a program receives them. */
function parsedBySh(line: string): string[] {
  const program = `exec "$0" -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- ${line}`;
  const out = execFileSync("/bin/sh", ["-c", program, process.execPath], { encoding: "utf8" });
  return JSON.parse(out) as string[];
}

describe("quoteForPosixShell", () => {
  it("wraps in single quotes and escapes single quotes", () => {
    expect(quoteForPosixShell("a")).toBe("'a'");
    expect(quoteForPosixShell("")).toBe("''");
    expect(quoteForPosixShell("it's")).toBe(`'it'\\''s'`);
    expect(quoteForPosixShell("$x `y`")).toBe("'$x `y`'");
  });

  it("refuses a NUL character", () => {
    expect(() => quoteForPosixShell("a\0b")).toThrow(/NUL/);
  });

  it.each(nasty)("survives a real shell intact: %j", (argument) => {
    expect(parsedBySh(quoteForPosixShell(argument))).toEqual([argument]);
  });

  it("keeps every argument of a list separate and intact", () => {
    expect(parsedBySh(joinForPosixShell(nasty))).toEqual(nasty);
  });

  it("survives bash as well", () => {
    const out = execFileSync("/bin/bash", ["-c", `printf '%s\\0' ${joinForPosixShell(nasty)}`], {
      encoding: "utf8",
    });
    expect(out.split("\0").slice(0, -1)).toEqual(nasty);
  });
});
