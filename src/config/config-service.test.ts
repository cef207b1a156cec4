import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { SecretRegistry } from "../logging/secret-registry.js";
import { exampleConfigText } from "../test-support/example-config.js";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import { ConfigConflictError, ConfigFile } from "./config-file.js";
import { ConfigInvalidError, ConfigService, type ConfigChange } from "./config-service.js";

let dir: string;
let path: string;
let lines: string[];
let service: ConfigService | undefined;
const secrets = new SecretRegistry();

function makeService(files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) {
  lines = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  service = new ConfigService({
    file: new ConfigFile(path),
    logger: createLogger({ level: "info", destination, secrets }),
    env,
    secretEnvironment: fakeSecretEnvironment(files, env),
    onSecret: (value) => secrets.add(value),
  });
  return service;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 8000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-service-"));
  path = join(dir, "photoferry.yaml");
});
afterEach(async () => {
  await service?.stop();
  service = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe("ConfigService", () => {
  it("refuses to start without a good config, listing every problem", async () => {
    writeFileSync(path, "web:\n  port: 0\nschedule:\n  cron: nope\n");
    const start = () => makeService().start();
    await expect(start).rejects.toThrow(ConfigInvalidError);
    await expect(start).rejects.toThrow(/`web.port` \(line 2\)[\s\S]*`schedule.cron` \(line 4\)/);
  });

  it("picks up a hand edit live, and keeps the last good config on a broken one", async () => {
    writeFileSync(path, "web:\n  port: 8080\n");
    const svc = makeService();
    await svc.start();
    const changes: ConfigChange[] = [];
    svc.onChange((change) => changes.push(change));

    writeFileSync(path, "web:\n  port: 9090\n");
    await until(() => svc.current.config.web.port === 9090, "the edit to be picked up");
    expect(changes).toMatchObject([{ origin: "file", previous: { web: { port: 8080 } } }]);

    writeFileSync(path, "web:\n  port: [broken\n");
    await until(() => svc.lastError !== undefined, "the broken edit to be reported");
    expect(svc.current.config.web.port).toBe(9090);
    expect(lines.join("")).toContain("keeping the last good config");

    // An editor's save: write a new file and rename it over the old one.
    writeFileSync(join(dir, "tmp.yaml"), "web:\n  port: 7070\n");
    renameSync(join(dir, "tmp.yaml"), path);
    await until(() => svc.current.config.web.port === 7070, "the renamed file to be picked up");
    expect(svc.lastError).toBeUndefined();
  });

  it("updates like the UI: comments kept, backup written, restart hints given", async () => {
    writeFileSync(path, exampleConfigText());
    const svc = makeService({ "/run/secrets/photoprism_token": "t0ken-value" });
    const { snapshot } = await svc.start();
    const result = svc.update(
      [
        { path: ["schedule", "cron"], value: "0 * * * *" },
        { path: ["web", "port"], value: 8181 },
      ],
      snapshot.hash,
    );
    expect(result.layoutKept).toBe(true);
    expect(result.restartRequired).toEqual(["web.port"]);
    expect(svc.current.config.schedule.cron).toBe("0 * * * *");
    const written = readFileSync(path, "utf8");
    expect(written).toBe(
      exampleConfigText()
        .replace('"*/15 * * * *"', '"0 * * * *"')
        .replace("port: 8080", "port: 8181"),
    );
    expect(readFileSync(`${path}.bak`, "utf8")).toBe(exampleConfigText());
  });

  it("refuses an update when the file changed on disk meanwhile", async () => {
    writeFileSync(path, "web:\n  port: 8080\n");
    const svc = makeService();
    const { snapshot } = await svc.start();
    writeFileSync(path, "web:\n  port: 8080 # someone's note\n");
    expect(() => svc.update([{ path: ["web", "port"], value: 1 }], snapshot.hash)).toThrow(
      ConfigConflictError,
    );
    expect(readFileSync(path, "utf8")).toBe("web:\n  port: 8080 # someone's note\n");
  });

  it("refuses an invalid update without writing anything", async () => {
    writeFileSync(path, "web:\n  port: 8080\n");
    const svc = makeService();
    const { snapshot } = await svc.start();
    expect(() => svc.update([{ path: ["web", "port"], value: 99999 }], snapshot.hash)).toThrow(
      /`web.port` \(line 2\): 99999 is too large/,
    );
    expect(readFileSync(path, "utf8")).toBe("web:\n  port: 8080\n");
    expect(svc.current.config.web.port).toBe(8080);
  });

  it("never logs a secret, even inside an error about it", async () => {
    const token = "pp-app-password-123456";
    writeFileSync(path, `photoprism:\n  trigger: api\n  api:\n    token: ${token}\n`);
    const svc = makeService();
    await svc.start();
    writeFileSync(
      path,
      `photoprism:\n  trigger: api\n  api:\n    token: ${token}\n  bogus: [${token}\n`,
    );
    await until(() => svc.lastError !== undefined, "the broken edit");
    expect(svc.current.config.photoprism.api.token).toBe(token);
    const log = lines.join("");
    expect(log).toContain("keeping the last good config");
    expect(log).not.toContain(token);
  });
});
