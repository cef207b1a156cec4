import { describe, expect, it } from "vitest";
import type { CommandResult } from "../runners/runner.js";
import { parseStatus } from "./occ-status.js";

function ran(stdout: string, stderr = "", exitCode: number | null = 0): CommandResult {
  return { stdout, stderr, exitCode, timedOut: false, durationMs: 5 };
}

const healthy =
  '{"installed":true,"version":"33.0.8.1","versionstring":"33.0.8","edition":"","maintenance":false,"needsDbUpgrade":false,"productname":"Nextcloud","extendedSupport":false}\n';

const pcntl = `The process control (PCNTL) extensions are required in case you want to interrupt long running commands - see https://www.php.net/manual/en/book.pcntl.php
Additionally the function 'pcntl_signal' and 'pcntl_signal_dispatch' need to be enabled in your php.ini.
`;

describe("parseStatus", () => {
  it("reads a healthy instance", () => {
    const check = parseStatus(ran(healthy));
    expect(check).toMatchObject({
      ok: true,
      majorVersion: 33,
      status: {
        installed: true,
        version: "33.0.8.1",
        versionstring: "33.0.8",
        maintenance: false,
        needsDbUpgrade: false,
      },
      problems: [],
    });
  });

  it("finds the JSON after the PCNTL warning", () => {
    expect(parseStatus(ran(pcntl + healthy)).ok).toBe(true);
  });

  it("reads pretty-printed JSON", () => {
    const pretty = JSON.stringify(JSON.parse(healthy), null, 4);
    expect(parseStatus(ran(`${pcntl}${pretty}\n`)).status?.versionstring).toBe("33.0.8");
  });

  it("reports maintenance mode and a pending upgrade from the JSON", () => {
    const check = parseStatus(
      ran(
        healthy
          .replace('"maintenance":false', '"maintenance":true')
          .replace('"needsDbUpgrade":false', '"needsDbUpgrade":true'),
        "Nextcloud is in maintenance mode. Only a limited number of commands are available.\n",
      ),
    );
    expect(check.ok).toBe(false);
    expect(check.problems.map((p) => p.kind)).toEqual(["maintenance-mode", "needs-upgrade"]);
    expect(check.problems[0]?.hint).toContain("maintenance:mode --off");
  });

  it("reports an instance that is not installed", () => {
    const check = parseStatus(
      ran(
        '{"installed":false,"version":"34.0.2.1","versionstring":"34.0.2","edition":"","productname":"Nextcloud"}',
      ),
    );
    expect(check.ok).toBe(false);
    expect(check.problems.map((p) => p.kind)).toEqual(["not-installed"]);
  });

  it("passes on occ failures such as the wrong user", () => {
    const check = parseStatus(
      ran(
        "Console has to be executed with the user that owns the file config/config.php\nCurrent user id: 0\nOwner id of config.php: 33\n",
        "",
        1,
      ),
    );
    expect(check.ok).toBe(false);
    expect(check.failure?.kind).toBe("wrong-user");
    expect(check.problems[0]?.hint).toContain('"33"');
  });

  it("refuses output that is not occ's status JSON", () => {
    for (const stdout of [
      "",
      "  - installed: true\n  - version: 28.0.1.1\n",
      "{not json}",
      '{"foo":1}',
      "[1,2]",
    ]) {
      const check = parseStatus(ran(stdout));
      expect(check.ok, stdout).toBe(false);
      expect(check.problems[0]?.kind).toBe("unreadable-output");
    }
  });
});
