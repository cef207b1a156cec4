import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exampleConfigPath } from "../test-support/example-config.js";
import { fakeIo } from "../test-support/fake-io.js";
import { version } from "../version.js";
import { main } from "./main.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ PHOTOFERRY_SECRETS_DIR: join(dir, "no-secrets") });

describe("photoferry", () => {
  it("lists only the commands that work", async () => {
    const io = fakeIo();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.out()).toContain("check-config");
    expect(io.out()).toContain("hash-password");
    expect(io.out()).toMatch(/^\s+run\s/m);
    expect(io.out()).toMatch(/^\s+doctor\s/m);
    expect(io.out()).toMatch(/^\s+demo\s/m);
    expect(io.out()).toMatch(/^\s+serve\s/m);
  });

  it("prints its version", async () => {
    const io = fakeIo();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.out()).toBe(`${version}\n`);
  });

  it("suggests the command meant", async () => {
    const io = fakeIo();
    expect(await main(["check-confg"], io)).toBe(2);
    expect(io.err()).toContain("did you mean `check-config`?");
  });

  it("rejects unknown options plainly", async () => {
    const io = fakeIo();
    expect(await main(["check-config", "--frobnicate"], io)).toBe(2);
    expect(io.err()).toContain("--frobnicate");
  });
});

describe("photoferry check-config", () => {
  it("accepts the example configuration", async () => {
    const io = fakeIo(env());
    expect(await main(["check-config", "--config", exampleConfigPath], io)).toBe(0);
    expect(io.out()).toContain("is valid");
  });

  it("finds the file through PHOTOFERRY_CONFIG", async () => {
    const io = fakeIo({ ...env(), PHOTOFERRY_CONFIG: exampleConfigPath });
    expect(await main(["check-config"], io)).toBe(0);
  });

  it("names each mistake with its line and exits 1", async () => {
    const path = join(dir, "bad.yaml");
    writeFileSync(
      path,
      [
        "nextcloud:",
        "  dataDir: data", // line 2: not absolute
        "  afterMove: shred", // line 3
        "photoprism:",
        "  importDir: /photoprism/import",
        "schedule:",
        "  cron: every blue moon", // line 7
        "web:",
        "  port: 99999", // line 9
      ].join("\n"),
    );
    const io = fakeIo(env());
    expect(await main(["check-config", "--config", path], io)).toBe(1);
    const output = io.err();
    expect(output).toContain("4 errors");
    expect(output).toContain("`nextcloud.dataDir` (line 2): 'data' is not an absolute path");
    expect(output).toContain("`nextcloud.afterMove` (line 3)");
    expect(output).toContain(
      "`schedule.cron` (line 7): 'every blue moon' is not a cron expression — try `*/15 * * * *`",
    );
    expect(output).toContain("`web.port` (line 9)");
  });

  it("explains a missing file", async () => {
    const io = fakeIo(env());
    expect(await main(["check-config", "--config", join(dir, "nope.yaml")], io)).toBe(1);
    expect(io.err()).toContain("does not exist");
  });

  it("gives machine-readable output with --json", async () => {
    const path = join(dir, "c.yaml");
    writeFileSync(path, "web:\n  port: 0\n");
    const io = fakeIo(env());
    expect(await main(["check-config", "--config", path, "--json"], io)).toBe(1);
    const report = JSON.parse(io.out()) as {
      valid: boolean;
      issues: { line: number; path: string[] }[];
    };
    expect(report.valid).toBe(false);
    expect(report.issues).toContainEqual(
      expect.objectContaining({ line: 2, path: ["web", "port"] }),
    );
  });

  it("never prints a secret, from any source", async () => {
    const token = "s3cret-app-password";
    const hashFile = join(dir, "hash");
    writeFileSync(hashFile, "not-a-real-hash-value\n");
    const path = join(dir, "c.yaml");
    writeFileSync(
      path,
      `photoprism:\n  trigger: api\n  api:\n    token: ${token}\nweb:\n  port: 0\n`,
    );
    const io = fakeIo({ ...env(), PHOTOFERRY_PASSWORD_HASH_FILE: hashFile });
    expect(await main(["check-config", "--config", path], io)).toBe(1);
    expect(io.err()).toContain("web.auth.passwordHash");
    expect(io.out() + io.err()).not.toContain(token);
    expect(io.out() + io.err()).not.toContain("not-a-real-hash-value");
    const json = fakeIo({ ...env(), PHOTOFERRY_PASSWORD_HASH_FILE: hashFile });
    await main(["check-config", "--config", path, "--json"], json);
    expect(json.out()).not.toContain(token);
    expect(json.out()).not.toContain("not-a-real-hash-value");
  });

  it("says where each secret came from, without its value", async () => {
    writeFileSync(join(dir, "pp"), "abcdefgh\n");
    const io = fakeIo({ ...env(), PHOTOFERRY_PHOTOPRISM_TOKEN_FILE: join(dir, "pp") });
    expect(await main(["check-config", "--config", exampleConfigPath], io)).toBe(0);
    expect(io.out()).toContain(
      "PhotoPrism app password: set (from the file named by $PHOTOFERRY_PHOTOPRISM_TOKEN_FILE)",
    );
    expect(io.out()).not.toContain("abcdefgh");
  });
});
