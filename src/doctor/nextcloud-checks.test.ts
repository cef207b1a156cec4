import { describe, expect, it } from "vitest";
import { resolveOcc, type ResolvedOcc } from "../config/presets.js";
import { parseMemoriesHelp } from "../nextcloud/memories-output.js";
import { parseStatus } from "../nextcloud/occ-status.js";
import { parseUserList } from "../nextcloud/user-list-output.js";
import type { CommandResult } from "../runners/runner.js";
import { judgeMemories, judgeOccStatus, judgeUserList } from "./nextcloud-checks.js";

const run = (stdout: string, exitCode: number | null = 0, stderr = ""): CommandResult => ({
  exitCode,
  stdout,
  stderr,
  durationMs: 10,
  timedOut: false,
});

const occ = (over: Partial<Parameters<typeof resolveOcc>[0]> = {}): ResolvedOcc =>
  resolveOcc({
    enabled: true,
    timeoutMinutes: 60,
    preset: "official",
    runner: "docker",
    ...over,
  })!;

const status = (fields: Record<string, unknown>) =>
  JSON.stringify({
    installed: true,
    version: "31.0.2.1",
    versionstring: "31.0.2",
    maintenance: false,
    needsDbUpgrade: false,
    ...fields,
  });

const wrongOwner = (current: string, owner: string) =>
  run(
    "Console has to be executed with the user that owns the file config/config.php\n" +
      `Current user id: ${current}\nOwner id of config.php: ${owner}\n`,
    1,
  );

describe("judgeOccStatus", () => {
  it("passes a usable Nextcloud, with its version and occ's user", () => {
    expect(judgeOccStatus(parseStatus(run(status({}))), occ())).toMatchObject({
      status: "ok",
      detail: "Nextcloud 31.0.2, occ runs as user 33",
    });
  });

  it("names the user occ wants, the configured one and the matching preset", () => {
    const result = judgeOccStatus(
      parseStatus(wrongOwner("1000", "33")),
      occ({ preset: "linuxserver" }),
    );
    expect(result.status).toBe("fail");
    expect(result.detail).toContain('nextcloud.occ.user is "abc" (preset linuxserver)');
    expect(result.fix).toContain('Set nextcloud.occ.user to "33"');
    expect(result.fix).toContain('"33" is the official preset\'s user');
  });

  it("does not suggest the preset already chosen, or one that does not match", () => {
    const same = judgeOccStatus(parseStatus(wrongOwner("0", "33")), occ({ user: "0" }));
    expect(same.fix).not.toContain("preset's user");
    const none = judgeOccStatus(parseStatus(wrongOwner("33", "1001")), occ());
    expect(none.fix).not.toContain("preset's user");
  });

  it("gives root-owned config.php its own fix", () => {
    const result = judgeOccStatus(parseStatus(wrongOwner("33", "0")), occ());
    expect(result.fix).toContain("chown");
  });

  it.each([
    [{ maintenance: true }, "Nextcloud is in maintenance mode", "maintenance:mode --off"],
    [{ needsDbUpgrade: true }, "Nextcloud or one of its apps needs an upgrade", "occ upgrade"],
    [{ installed: false }, "Nextcloud is not installed yet", "installation"],
  ])("fails a Nextcloud apps cannot use (%o)", (fields, detail, fix) => {
    const result = judgeOccStatus(parseStatus(run(status(fields))), occ());
    expect(result).toMatchObject({ status: "fail", detail });
    expect(result.fix).toContain(fix);
  });

  it("quotes output that is not occ's", () => {
    const result = judgeOccStatus(parseStatus(run("bash: php: command not found", 127)), occ());
    expect(result.status).toBe("fail");
    expect(result.detail).toContain("php: command not found");
  });
});

describe("judgeUserList", () => {
  const list = parseUserList(run(JSON.stringify({ admin: "Admin", "my user": "Me" })));

  it("passes when every included user and library owner is a Nextcloud user", () => {
    expect(
      judgeUserList(list, { libraryOwners: ["admin"], dataDirUsers: ["admin", "my user"] }),
    ).toMatchObject({ status: "ok" });
  });

  it("fails a library path whose owner Nextcloud does not know, listing its users", () => {
    const result = judgeUserList(list, { libraryOwners: ["Admin"], dataDirUsers: [] });
    expect(result).toMatchObject({
      status: "fail",
      detail: 'nextcloud.libraryPaths names "Admin", not a Nextcloud user',
    });
    expect(result.fix).toContain('Nextcloud\'s users: "admin", "my user"');
  });

  it("fails data dir folders without an account", () => {
    const result = judgeUserList(list, { libraryOwners: [], dataDirUsers: ["old", "gone"] });
    expect(result.detail).toBe(
      '"old", "gone" have a folder in the data dir but no Nextcloud account, so occ cannot scan it',
    );
  });

  it("fails with occ's own failure and its hint", () => {
    const result = judgeUserList(parseUserList(run("Nextcloud is in maintenance mode", 1)), {
      libraryOwners: [],
      dataDirUsers: [],
    });
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("maintenance");
  });
});

describe("judgeMemories", () => {
  it("tells the two option names apart", () => {
    const help = (option: string) =>
      parseMemoriesHelp(run(`Options:\n      ${option}=PATH   Index only this\n`));
    expect(judgeMemories(help("--path")).detail).toBe("installed (memories:index --path)");
    expect(judgeMemories(help("--folder")).detail).toContain("before 7.6.1");
  });

  it("fails when Memories is missing, with the way out", () => {
    const missing = parseMemoriesHelp(
      run("", 1, 'There are no commands defined in the "memories" namespace.'),
    );
    const result = judgeMemories(missing);
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("nextcloud.memories.enabled: false");
  });

  it("fails help it cannot read", () => {
    const result = judgeMemories(parseMemoriesHelp(run("Usage: memories:index\n")));
    expect(result).toMatchObject({ status: "fail" });
    expect(result.fix).toContain("7.6.1");
  });
});
