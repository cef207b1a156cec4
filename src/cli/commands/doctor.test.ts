import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../../doctor/check-result.js";
import { nodeDoctorFs } from "../../doctor/folder-probe.js";
import type { DoctorDeps } from "../../doctor/run-doctor.js";
import {
  setMaintenanceMode,
  updateSimulatorSettings,
} from "../../simulators/nextcloud/simulated-nextcloud.js";
import {
  createAppPassword,
  startPhotoPrismSimServer,
  type RunningSimServer,
} from "../../simulators/photoprism/harness.js";
import { buildForChildProcess } from "../../test-support/child-build.js";
import { fakeIo } from "../../test-support/fake-io.js";
import type { FerryWorld } from "../../test-support/ferry-world.js";
import { simulatedWorld, type SimulatedSetup } from "../../test-support/simulated-world.js";
import { main } from "../main.js";
import { createDoctorCommand } from "./doctor.js";

// doctor against the occ and PhotoPrism simulators, run as real programs by local runners
// (the setup of run-chain.test.ts): what it reports is what a real install would show.
let built: string;
beforeAll(() => {
  built = buildForChildProcess();
}, 120_000);

let world: FerryWorld | undefined;
let server: RunningSimServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  world?.close();
  world = undefined;
});

const uid = String(process.getuid!());
const q = (value: string) => JSON.stringify(value);

function doctorWorld(setup: SimulatedSetup = {}): FerryWorld {
  const w = simulatedWorld(built, setup);
  world = w;
  return w;
}

async function doctor(
  w: FerryWorld,
  deps: DoctorDeps = {},
): Promise<{ code: number; checks: CheckResult[]; text: string }> {
  const command = createDoctorCommand(deps);
  const env = { PHOTOFERRY_SECRETS_DIR: join(w.root, "no-secrets") };
  const jsonIo = fakeIo(env);
  const code = await command.run(["--config", w.configPath, "--json"], jsonIo);
  const textIo = fakeIo(env);
  expect(await command.run(["--config", w.configPath], textIo)).toBe(code);
  const report = JSON.parse(jsonIo.out()) as { ok: boolean; checks: CheckResult[] };
  expect(report.ok).toBe(code === 0);
  return { code, checks: report.checks, text: textIo.out() };
}

const find = (checks: CheckResult[], name: string): CheckResult => {
  const found = checks.find((check) => check.name === name);
  if (!found) throw new Error(`no check named ${name}: ${checks.map((c) => c.name).join(", ")}`);
  return found;
};
const failed = (checks: CheckResult[]) => checks.filter((c) => c.status === "fail");

describe("photoferry doctor", { timeout: 60_000 }, () => {
  it("passes a working setup, and says which users it found and which folders are missing", async () => {
    const w = doctorWorld();
    w.add("bob", "Photos/holiday.jpg");
    const { code, checks, text } = await doctor(w);
    expect(failed(checks)).toEqual([]);
    expect(code).toBe(0);
    expect(find(checks, "config file").status).toBe("ok");
    expect(find(checks, "data dir").status).toBe("ok");
    expect(find(checks, "users").detail).toContain("included: admin, bob, my user");
    // Auto-upload creates the folders later: a warning naming them, not a failure.
    const sources = find(checks, "source folders");
    expect(sources.status).toBe("warn");
    expect(sources.detail).toContain("1 of 6 present");
    expect(sources.detail).toContain("my user/files/InstantUpload");
    expect(sources.detail).not.toContain("bob/files/Photos");
    expect(find(checks, "user folders writable").status).toBe("ok");
    expect(find(checks, "import dir").detail).toContain("readable and writable");
    expect(find(checks, "import dir file system").status).toBe("ok");
    expect(find(checks, "originals dir").status).toBe("ok");
    expect(find(checks, "state dir").detail).toContain("will create it");
    expect(find(checks, "nextcloud.occ runner").detail).toMatch(/commands run in /);
    expect(find(checks, "occ status").detail).toMatch(/^Nextcloud 30\.0\.4, occ runs as user/);
    expect(find(checks, "Nextcloud users").status).toBe("ok");
    expect(find(checks, "Memories").detail).toContain("--path");
    expect(find(checks, "photoprism command").detail).toMatch(/version/i);
    expect(find(checks, "ntfy").status).toBe("skip");
    expect(text).toMatch(/^Configuration\n {2}✓ config file: /);
    expect(text).toContain("  ! source folders: ");
    expect(text).toMatch(
      /\n! Nothing blocks photoferry \(1 warning, \d+ passed, \d+ skipped\); read the ! lines\n$/,
    );
    // No probe file is left behind.
    expect(w.tree(w.importDir).size).toBe(0);
  });

  it("is registered as a command of the CLI", async () => {
    const w = doctorWorld();
    const io = fakeIo({ PHOTOFERRY_SECRETS_DIR: join(w.root, "no-secrets") });
    expect(await main(["doctor", "--config", w.configPath], io)).toBe(0);
    expect(io.out()).toContain("✓ occ status: Nextcloud 30.0.4");
  });

  it("names the user occ wants when config.php belongs to another", async () => {
    const w = doctorWorld();
    chownSync(join(w.root, "nextcloud", "config", "config.php"), 33, 33);
    const { code, checks, text } = await doctor(w);
    expect(code).toBe(1);
    const status = find(checks, "occ status");
    expect(status.status).toBe("fail");
    expect(status.detail).toContain("belongs to 33");
    expect(status.detail).toContain(`nextcloud.occ.user is "${uid}" (preset custom)`);
    expect(status.fix).toContain('Set nextcloud.occ.user to "33"');
    expect(status.fix).toContain("the official preset's user");
    expect(find(checks, "Nextcloud users").status).toBe("skip");
    expect(find(checks, "Memories").status).toBe("skip");
    expect(text).toMatch(/✗ occ status: .*\n {6}→ Set nextcloud\.occ\.user to "33"/);
    expect(text).toMatch(/\n✗ 1 check failed \(/);
  });

  it("reports maintenance mode and skips the commands it blocks", async () => {
    const w = doctorWorld();
    setMaintenanceMode(join(w.root, "nextcloud"), true);
    const { code, checks } = await doctor(w);
    expect(code).toBe(1);
    const status = find(checks, "occ status");
    expect(status).toMatchObject({ status: "fail", detail: "Nextcloud is in maintenance mode" });
    expect(status.fix).toContain("maintenance:mode --off");
    expect(find(checks, "Memories").status).toBe("skip");
  });

  it("says when Memories is not installed", async () => {
    const w = doctorWorld();
    updateSimulatorSettings(join(w.root, "nextcloud"), { memoriesVersion: null });
    const { code, checks } = await doctor(w);
    expect(code).toBe(1);
    expect(failed(checks).map((c) => c.name)).toEqual(["Memories"]);
    expect(find(checks, "Memories").fix).toContain("nextcloud.memories.enabled: false");
  });

  it("finds data dir users that Nextcloud does not know", async () => {
    const w = doctorWorld();
    w.addUserDir("ghost");
    const { checks } = await doctor(w);
    const users = find(checks, "Nextcloud users");
    expect(users.status).toBe("fail");
    expect(users.detail).toContain('"ghost" has a folder in the data dir but no Nextcloud account');
    expect(users.fix).toContain("nextcloud.users.exclude");
  });

  it("checks PhotoPrism's API: reachable, then the app password", async () => {
    const w = doctorWorld({
      trigger: "api",
      api: { url: "http://127.0.0.1:9", token: "placeholder" },
    });
    const storage = join(w.root, "photoprism", "storage");
    server = await startPhotoPrismSimServer({
      originalsPath: w.originalsDir,
      importPath: w.importDir,
      storagePath: storage,
    });
    const good = createAppPassword(storage, { name: "photoferry", scope: "*", user: "admin" });
    const config = readFileSync(w.configPath, "utf8").replace("http://127.0.0.1:9", server.url);
    writeFileSync(w.configPath, config.replace("placeholder", good));
    const fine = await doctor(w);
    expect(failed(fine.checks)).toEqual([]);
    expect(find(fine.checks, "PhotoPrism API").detail).toContain(server.url);
    expect(find(fine.checks, "PhotoPrism app password").status).toBe("ok");

    const wrong = "wrong-app-password-0123456789";
    writeFileSync(w.configPath, config.replace("placeholder", wrong));
    const refused = await doctor(w);
    expect(refused.code).toBe(1);
    const auth = find(refused.checks, "PhotoPrism app password");
    expect(auth).toMatchObject({ status: "fail" });
    expect(auth.detail).toContain("HTTP 401");
    expect(auth.fix).toContain("Apps and Devices");
    expect(refused.text).not.toContain(wrong);
    expect(JSON.stringify(refused.checks)).not.toContain(wrong);
  });

  it("says when PhotoPrism's API is not there", async () => {
    const w = doctorWorld({
      trigger: "api",
      api: { url: "http://127.0.0.1:9", token: "a-token-value" },
    });
    const { checks } = await doctor(w);
    const api = find(checks, "PhotoPrism API");
    expect(api.status).toBe("fail");
    expect(api.detail).toContain("ECONNREFUSED");
    expect(find(checks, "PhotoPrism app password").status).toBe("skip");
  });

  it("fails a missing import dir, and one photoferry may not write in", async () => {
    const w = doctorWorld();
    rmSync(w.importDir, { recursive: true });
    const missing = find((await doctor(w)).checks, "import dir");
    expect(missing).toMatchObject({ status: "fail", detail: `${w.importDir} does not exist` });
    expect(missing.fix).toContain("photoprism.importDir");

    mkdirSync(w.importDir);
    // Tests run as root, which may write anywhere: the refusal comes through the adapter.
    const refusing: DoctorDeps = {
      fs: {
        ...nodeDoctorFs,
        probeWrite: (dir) =>
          dir === w.importDir
            ? Promise.reject(Object.assign(new Error("EACCES"), { code: "EACCES" }))
            : nodeDoctorFs.probeWrite(dir),
      },
    };
    const { code, checks } = await doctor(w, refusing);
    expect(code).toBe(1);
    const importDir = find(checks, "import dir");
    expect(importDir.detail).toBe(`photoferry cannot create files in ${w.importDir} (EACCES)`);
    expect(importDir.fix).toContain("give it write access");
  });

  it("reports an unreachable Docker engine with its hint, quickly", async () => {
    const w = doctorWorld({
      occYaml: ["  occ:", "    runner: docker", "    container: nextcloud"].join("\n"),
      extraYaml: ["docker:", `  host: ${q("unix:///nonexistent/docker.sock")}`].join("\n"),
    });
    const started = Date.now();
    const { code, checks, text } = await doctor(w);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(code).toBe(1);
    const runner = find(checks, "nextcloud.occ runner");
    expect(runner).toMatchObject({ area: "docker", status: "fail" });
    expect(runner.fix).toBeTruthy();
    expect(find(checks, "occ status").status).toBe("skip");
    expect(text).toMatch(/^Docker\n {2}✗ nextcloud\.occ runner: /m);
  });

  it("explains a config it cannot use, and checks nothing else", async () => {
    const w = doctorWorld();
    writeFileSync(w.configPath, "nextcloud:\n  afterMove: sometimes\n");
    const { code, checks } = await doctor(w);
    expect(code).toBe(1);
    expect(checks.every((c) => c.area === "config")).toBe(true);
    expect(find(checks, "config file").status).toBe("fail");
    expect(checks.some((c) => c.name.startsWith("nextcloud.afterMove"))).toBe(true);
    rmSync(w.configPath);
    const gone = await doctor(w);
    expect(gone.code).toBe(1);
    expect(gone.checks).toHaveLength(1);
  });
});
