import { describe, expect, it } from "vitest";
import { fail, ok, skip, warn, type CheckResult } from "./check-result.js";
import { judgeConfig, judgeUnreadableConfig } from "./config-checks.js";
import { doctorJson, formatDoctorReport, summaryLine } from "./doctor-report.js";

describe("formatDoctorReport", () => {
  it("groups by area with a mark per line and the fix indented below", () => {
    const results: CheckResult[] = [
      ok("config", "config file", "/c.yaml is valid"),
      fail("nextcloud", "occ status", "wrong user", "set nextcloud.occ.user"),
      warn("nextcloud", "source folders", "missing: a/files/Photos", "wait for auto-upload"),
      skip("notify", "ntfy", "not set", "never shown"),
    ];
    expect(formatDoctorReport(results)).toBe(
      [
        "Configuration",
        "  ✓ config file: /c.yaml is valid",
        "",
        "Nextcloud",
        "  ✗ occ status: wrong user",
        "      → set nextcloud.occ.user",
        "  ! source folders: missing: a/files/Photos",
        "      → wait for auto-upload",
        "",
        "Notifications",
        "  - ntfy: not set",
        "",
        "✗ 1 check failed (1 warning, 1 passed, 1 skipped): fix the ✗ lines above and run doctor again",
        "",
      ].join("\n"),
    );
  });
});

describe("summaryLine", () => {
  it("says whether anything blocks photoferry", () => {
    expect(summaryLine({ ok: 3, warn: 0, fail: 0, skip: 0 })).toBe(
      "✓ Everything checked is fine (3 passed)",
    );
    expect(summaryLine({ ok: 3, warn: 2, fail: 0, skip: 1 })).toBe(
      "! Nothing blocks photoferry (2 warnings, 3 passed, 1 skipped); read the ! lines",
    );
    expect(summaryLine({ ok: 0, warn: 0, fail: 2, skip: 0 })).toMatch(
      /^✗ 2 checks failed \(0 passed\)/,
    );
  });
});

it("gives machines the verdict, the totals and every result", () => {
  const report = JSON.parse(
    doctorJson("/c.yaml", [ok("state", "state dir", "fine"), warn("notify", "ntfy", "down", "x")]),
  ) as unknown;
  expect(report).toEqual({
    config: "/c.yaml",
    ok: true,
    counts: { ok: 1, warn: 1, fail: 0, skip: 0 },
    checks: [
      { area: "state", name: "state dir", status: "ok", detail: "fine" },
      { area: "notify", name: "ntfy", status: "warn", detail: "down", fix: "x" },
    ],
  });
});

describe("judgeConfig", () => {
  it("turns each issue into a line, with its key and line number", () => {
    const results = judgeConfig("/c.yaml", [
      {
        severity: "warning",
        path: ["nextcloud", "usres"],
        message: "unknown key",
        fix: "did you mean `users`?",
        line: 3,
      },
    ]);
    expect(results).toEqual([
      { area: "config", name: "config file", status: "ok", detail: "/c.yaml is valid" },
      {
        area: "config",
        name: "nextcloud.usres (line 3)",
        status: "warn",
        detail: "unknown key",
        fix: "did you mean `users`?",
      },
    ]);
  });

  it("fails the file when an issue is an error", () => {
    const [head, issue] = judgeConfig("/c.yaml", [
      { severity: "error", path: [], message: "not YAML" },
    ]);
    expect(head).toMatchObject({
      status: "fail",
      detail: "/c.yaml has 1 error(s); nothing else was checked",
    });
    expect(issue).toMatchObject({
      name: "config file",
      status: "fail",
      fix: "see `photoferry check-config`",
    });
  });

  it("reports a file it cannot read", () => {
    expect(judgeUnreadableConfig("no such file", "create it")).toEqual([
      {
        area: "config",
        name: "config file",
        status: "fail",
        detail: "no such file",
        fix: "create it",
      },
    ]);
  });
});
