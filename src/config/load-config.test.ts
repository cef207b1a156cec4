import { describe, expect, it } from "vitest";
import { exampleConfigText } from "../test-support/example-config.js";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import { formatIssue } from "./issues.js";
import { loadConfigText } from "./load-config.js";

const load = (text: string, files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  loadConfigText(text, { env, secretEnvironment: fakeSecretEnvironment(files, env) });

const errors = (text: string, files?: Record<string, string>) =>
  load(text, files)
    .issues.filter((i) => i.severity === "error")
    .map(formatIssue);

describe("loadConfigText", () => {
  it("accepts the example configuration with every key of the contract", () => {
    const result = load(exampleConfigText(), { "/run/secrets/photoprism_token": "tok\n" });
    expect(result.issues.filter((i) => i.severity === "error")).toEqual([]);
    const config = result.config!;
    expect(config.nextcloud.occ).toEqual({
      enabled: true,
      timeoutMinutes: 60,
      preset: "official",
      runner: "docker",
      container: "nextcloud",
      user: "33",
      command: ["php", "/var/www/html/occ"],
    });
    expect(config.photoprism.api.token).toBe("tok");
    expect(config.photoprism.files.mode).toBe("0644");
    expect(config.schedule.cron).toBe("*/15 * * * *");
    expect(config.web.port).toBe(8080);
    expect(config.nextcloud.libraryPaths).toEqual(["/admin/files/Photo Library"]);
  });

  it("fills every default for an empty file", () => {
    const result = load("");
    expect(result.config?.nextcloud.sourceFolders).toEqual(["InstantUpload", "Photos"]);
    expect(result.config?.photoprism.containerImportDir).toBe("/photoprism/import");
    expect(result.config?.state.dir).toBe("/config/state");
  });

  it("reports the cron mistake with its line and a plain fix", () => {
    const text = "schedule:\n  watch: true\n  cron: every blue moon\n";
    expect(errors(text)).toEqual([
      "`schedule.cron` (line 3): 'every blue moon' is not a cron expression — try `*/15 * * * *` (every 15 minutes)",
    ]);
  });

  it("reports every problem at once, in file order", () => {
    const text = [
      "nextcloud:",
      "  afterMove: archve",
      "  sourceFolders: []",
      "web:",
      "  port: 70000",
      "  allow: [10.0.0.0/33]",
      "schedule:",
      "  settleSeconds: soon",
    ].join("\n");
    const found = load(text).issues;
    expect(found.map((i) => [i.line, i.path.join(".")])).toEqual([
      [2, "nextcloud.afterMove"],
      [3, "nextcloud.sourceFolders"],
      [5, "web.port"],
      [6, "web.allow.0"],
      [8, "schedule.settleSeconds"],
    ]);
    const messages = found.map(formatIssue).join("\n");
    expect(messages).toContain(
      "'archve' is not one of `archive`, `delete`, `keep` — did you mean `archive`?",
    );
    expect(messages).toContain("70000 is too large: the maximum is 65535");
    expect(messages).toContain("'10.0.0.0/33' is not an IP address or CIDR range");
    expect(messages).toContain("expected a number, got 'soon'");
  });

  it("reports contradictions alongside invalid values", () => {
    const text = [
      "nextcloud:",
      "  dataDir: /nextcloud/data",
      "photoprism:",
      "  importDir: /nextcloud/data/import",
      "schedule:",
      "  cron: every blue moon",
      "web:",
      "  port: -1",
    ].join("\n");
    expect(errors(text).map((line) => line.split(":")[0])).toEqual([
      "`photoprism.importDir` (line 4)",
      "`schedule.cron` (line 6)",
      "`web.port` (line 8)",
    ]);
  });

  it("reports malformed YAML with line and column", () => {
    const result = load("nextcloud:\n  dataDir: /a\n   bad: [1, 2\n");
    expect(result.config).toBeUndefined();
    expect(result.issues[0]?.severity).toBe("error");
    expect(result.issues[0]?.line).toBeGreaterThan(0);
    expect(formatIssue(result.issues[0]!)).toMatch(/not valid YAML|indentation/);
  });

  it("refuses duplicate keys", () => {
    const [issue] = load("web:\n  port: 1\n  port: 2\n").issues;
    expect(issue).toMatchObject({ severity: "error", line: 3 });
    expect(issue?.message).toContain("appears twice");
  });

  it("refuses a file that is a list, not sections", () => {
    expect(errors("- a\n- b\n")).toHaveLength(1);
  });

  it("reports wrong types plainly", () => {
    const text =
      "nextcloud:\n  sourceFolders: InstantUpload\nweb:\n  auth: yes\nschedule:\n  watch: 'yes'\n";
    expect(errors(text)).toEqual([
      '`nextcloud.sourceFolders` (line 2): expected a list, got \'InstantUpload\' — try `["InstantUpload", "Photos"]`',
      "`web.auth` (line 4): expected a section of keys, got 'yes'",
      "`schedule.watch` (line 6): expected true or false, got 'yes' — try `true`",
    ]);
  });

  it("warns about unknown keys with a did-you-mean, and still loads", () => {
    const text = "nextcloud:\n  sorceFolders: [Camera]\ncron: '* * * * *'\nweb:\n  prot: 80\n";
    const result = load(text);
    expect(result.config).toBeDefined();
    expect(result.issues.filter((i) => i.message.startsWith("unknown")).map(formatIssue)).toEqual([
      "`nextcloud.sorceFolders` (line 2): unknown key, ignored — did you mean `sourceFolders`?",
      "`cron` (line 3): unknown key, ignored — did you mean `schedule.cron`?",
      "`web.prot` (line 5): unknown key, ignored — did you mean `port`?",
    ]);
  });

  it("expands each occ preset and lets explicit values win", () => {
    const occ = (body: string) => load(`nextcloud:\n  occ:\n${body}`).config?.nextcloud.occ;
    expect(occ("    preset: linuxserver\n")).toMatchObject({
      user: "abc",
      command: ["php", "/app/www/public/occ"],
    });
    expect(occ("    preset: aio\n")).toMatchObject({
      user: "www-data",
      container: "nextcloud-aio-nextcloud",
    });
    expect(occ("    preset: official\n    user: 82\n")).toMatchObject({
      user: "82",
      command: ["php", "/var/www/html/occ"],
    });
    expect(
      occ("    preset: custom\n    user: www\n    command: [occ]\n    container: nc\n"),
    ).toMatchObject({ user: "www", command: ["occ"], container: "nc" });
  });
});
