import { describe, expect, it } from "vitest";
import { loadConfigText } from "../config/load-config.js";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { FetchLike } from "../photoprism/node-http-fetch.js";
import {
  RunnerError,
  type CommandResult,
  type CommandRunner,
  type CommandSpec,
} from "../runners/runner.js";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import type { CheckResult } from "./check-result.js";
import { checkNtfy, judgeNtfyHealth } from "./ntfy-doctor.js";
import { checkOcc } from "./occ-doctor.js";
import { checkPhotoPrism } from "./photoprism-doctor.js";
import { byArea } from "./run-doctor.js";

// The orchestration of occ, PhotoPrism and ntfy checks, with fake runners and a fake fetch.

function configFrom(yaml: string): PhotoferryConfig {
  const loaded = loadConfigText(yaml, { env: {}, secretEnvironment: fakeSecretEnvironment() });
  if (!loaded.config) throw new Error(loaded.issues.map((i) => i.message).join("; "));
  return loaded.config;
}

const answer = (stdout: string, exitCode = 0): CommandResult => ({
  exitCode,
  stdout,
  stderr: "",
  durationMs: 1,
  timedOut: false,
});

/** Answers by occ sub-command (argv after the program); records what ran. */
class ScriptedRunner implements CommandRunner {
  readonly description = "a test runner";
  readonly ran: CommandSpec[] = [];
  readonly runOptions: number[] = [];
  closed = 0;
  constructor(private readonly reply: (spec: CommandSpec) => CommandResult) {}
  run(spec: CommandSpec, options: { timeoutMs: number }): Promise<CommandResult> {
    this.ran.push(spec);
    this.runOptions.push(options.timeoutMs);
    // A throw in the executor becomes the rejection, as a runner's error would.
    return new Promise((resolve) => resolve(this.reply(spec)));
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

const healthyStatus = JSON.stringify({
  installed: true,
  version: "31.0.2.1",
  versionstring: "31.0.2",
  maintenance: false,
  needsDbUpgrade: false,
});
const occReplies =
  (over: Record<string, CommandResult> = {}) =>
  (spec: CommandSpec): CommandResult => {
    const sub = spec.argv[2] ?? "";
    if (over[sub]) return over[sub];
    if (sub === "status") return answer(healthyStatus);
    if (sub === "user:list") return answer(JSON.stringify({ admin: "Admin", bob: "Bob" }));
    if (sub === "memories:index") return answer("      --path=PATH  Index only this\n");
    throw new Error(`unexpected ${sub}`);
  };

const names = (results: CheckResult[]) => results.map((r) => `${r.status} ${r.name}`);

describe("checkOcc", () => {
  const config = configFrom(
    "nextcloud:\n  libraryPaths: [/admin/files/Library]\n  occ: { runner: docker }\n",
  );

  it("runs status, user:list and memories:index --help once each, with the time limit", async () => {
    const runner = new ScriptedRunner(occReplies());
    const results = await checkOcc(config, ["bob"], { makeRunner: () => runner, timeoutMs: 1234 });
    expect(names(results)).toEqual([
      "ok nextcloud.occ runner",
      "ok occ status",
      "ok Nextcloud users",
      "ok Memories",
    ]);
    expect(results[0]!.area).toBe("docker");
    expect(runner.ran.map((spec) => spec.argv.slice(2, 4))).toEqual([
      ["status", "--output=json"],
      ["user:list", "--output=json"],
      ["memories:index", "--help"],
    ]);
    expect(runner.ran.every((spec) => spec.user === "33")).toBe(true);
    expect(runner.runOptions).toEqual([1234, 1234, 1234]);
    expect(runner.closed).toBe(1);
  });

  it("skips what cannot be asked when occ cannot be run, and closes the runner", async () => {
    const down = new RunnerError("daemon-unreachable", "Cannot reach Docker", "start Docker");
    const runner = new ScriptedRunner(() => {
      throw down;
    });
    const results = await checkOcc(config, [], { makeRunner: () => runner, timeoutMs: 10 });
    expect(results).toEqual([
      {
        area: "docker",
        name: "nextcloud.occ runner",
        status: "fail",
        detail: "Cannot reach Docker",
        fix: "start Docker",
      },
      { area: "nextcloud", name: "occ status", status: "skip", detail: "occ could not be run" },
    ]);
    expect(runner.ran).toHaveLength(1);
    expect(runner.closed).toBe(1);
  });

  it("reports a runner the config cannot make", async () => {
    const results = await checkOcc(config, [], {
      makeRunner: () => {
        throw new RunnerError("target-missing", "no container is set", "set the container");
      },
      timeoutMs: 10,
    });
    expect(names(results)).toEqual(["fail nextcloud.occ runner", "skip occ status"]);
  });

  it("reports a runner failing on a later command", async () => {
    let calls = 0;
    const runner = new ScriptedRunner((spec) => {
      if (++calls === 3) throw new RunnerError("target-restarting", "restarting", "wait");
      return occReplies()(spec);
    });
    const results = await checkOcc(config, [], { makeRunner: () => runner, timeoutMs: 10 });
    expect(names(results).at(-1)).toBe("fail nextcloud.occ runner");
  });

  it("stops after a failed status", async () => {
    const runner = new ScriptedRunner(
      occReplies({ status: answer("Nextcloud is in maintenance mode", 1) }),
    );
    const results = await checkOcc(config, [], { makeRunner: () => runner, timeoutMs: 10 });
    expect(names(results)).toEqual([
      "ok nextcloud.occ runner",
      "fail occ status",
      "skip Nextcloud users",
      "skip Memories",
    ]);
    expect(runner.ran).toHaveLength(1);
  });

  it("skips what is turned off", async () => {
    const off = configFrom("nextcloud:\n  occ: { enabled: false }\n");
    const never = () => {
      throw new Error("no runner should be made");
    };
    expect(names(await checkOcc(off, [], { makeRunner: never, timeoutMs: 10 }))).toEqual([
      "skip occ",
    ]);
    const noMemories = configFrom("nextcloud:\n  memories: { enabled: false }\n");
    const runner = new ScriptedRunner(occReplies());
    const results = await checkOcc(noMemories, [], { makeRunner: () => runner, timeoutMs: 10 });
    expect(names(results).at(-1)).toBe("skip Memories");
    expect(runner.ran.map((spec) => spec.argv[2])).toEqual(["status", "user:list"]);
  });

  it("fails a library path occ cannot take, without crashing", async () => {
    // The config check rejects such a path; doctor must still not throw on one.
    const bad = {
      ...config,
      nextcloud: { ...config.nextcloud, libraryPaths: ["admin/Library"] },
    };
    const runner = new ScriptedRunner(occReplies());
    const results = await checkOcc(bad, [], { makeRunner: () => runner, timeoutMs: 10 });
    const users = results.find((r) => r.name === "Nextcloud users")!;
    expect(users).toMatchObject({ status: "fail", fix: "correct nextcloud.libraryPaths" });
    expect(users.detail).toContain("is not a Nextcloud path");
  });
});

const fakeFetch =
  (routes: Record<string, { status: number; body: string } | Error>, seen: Request[] = []) =>
  (url: URL, init: RequestInit): Promise<Response> => {
    seen.push(new Request(url, init));
    const route = routes[url.pathname];
    if (route === undefined) return Promise.reject(new Error(`no route ${url.pathname}`));
    if (route instanceof Error) return Promise.reject(route);
    return Promise.resolve(new Response(route.body, { status: route.status }));
  };

describe("checkPhotoPrism", () => {
  const never = () => {
    throw new Error("no runner should be made");
  };

  it("only notes trigger: none", async () => {
    const config = configFrom("photoprism:\n  trigger: none\n");
    const results = await checkPhotoPrism(config, { makeRunner: never, timeoutMs: 10 });
    expect(names(results)).toEqual(["skip import trigger"]);
    expect(results[0]!.detail).toContain("PhotoPrism must import on its own");
  });

  it("runs `photoprism --version` as exec.user", async () => {
    const config = configFrom(
      "photoprism:\n  trigger: exec\n  exec: { user: '1000:1000', command: [/opt/photoprism/bin/photoprism] }\n",
    );
    const runner = new ScriptedRunner(() => answer("photoprism version 250101\n"));
    const results = await checkPhotoPrism(config, { makeRunner: () => runner, timeoutMs: 10 });
    expect(names(results)).toEqual(["ok photoprism.exec runner", "ok photoprism command"]);
    expect(runner.ran).toEqual([
      { argv: ["/opt/photoprism/bin/photoprism", "--version"], user: "1000:1000" },
    ]);
    expect(runner.closed).toBe(1);
  });

  it("checks the API for duplicate look-ups even when imports run through exec", async () => {
    const config = configFrom(
      "photoprism:\n  trigger: exec\n  api: { url: 'http://pp:2342/photos', token: secret-token }\n",
    );
    const seen: Request[] = [];
    const fetch = fakeFetch(
      {
        "/photos/api/v1/status": { status: 200, body: '{"status":"operational"}' },
        [`/photos/api/v1/files/${"0".repeat(40)}`]: { status: 404, body: "{}" },
      },
      seen,
    );
    const runner = new ScriptedRunner(() => answer("photoprism version 1\n"));
    const results = await checkPhotoPrism(config, {
      makeRunner: () => runner,
      fetch: fetch,
      timeoutMs: 1000,
    });
    expect(names(results)).toEqual([
      "ok photoprism.exec runner",
      "ok photoprism command",
      "ok PhotoPrism API",
      "ok PhotoPrism app password",
    ]);
    expect(seen.map((r) => r.headers.get("authorization"))).toEqual([
      "Bearer secret-token",
      "Bearer secret-token",
    ]);
  });

  it("fails trigger: api without a token, and a token that cannot be sent", async () => {
    // The config check reports both too; doctor must still say what they mean, not throw.
    const base = configFrom("photoprism:\n  trigger: api\n  api: { token: some-token }\n");
    const withToken = (token: string | null): PhotoferryConfig => ({
      ...base,
      photoprism: { ...base.photoprism, api: { ...base.photoprism.api, token } },
    });
    const missing = await checkPhotoPrism(withToken(null), { makeRunner: never, timeoutMs: 10 });
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ status: "fail", name: "PhotoPrism API" });
    expect(missing[0]!.detail).toBe(
      "photoprism.api.token is not set, but trigger: api starts imports through it",
    );
    const broken = await checkPhotoPrism(withToken("two words"), {
      makeRunner: never,
      timeoutMs: 10,
    });
    expect(broken[0]).toMatchObject({ status: "fail", fix: "correct photoprism.api" });
    expect(broken[0]!.detail).toContain("an HTTP header cannot carry");
  });

  it("skips the password check when PhotoPrism does not answer", async () => {
    const config = configFrom("photoprism:\n  trigger: api\n  api: { token: some-token }\n");
    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
    });
    const results = await checkPhotoPrism(config, {
      makeRunner: never,
      fetch: fakeFetch({ "/api/v1/status": refused }),
      timeoutMs: 1000,
    });
    expect(names(results)).toEqual(["fail PhotoPrism API", "skip PhotoPrism app password"]);
    expect(results[0]!.detail).toContain("ECONNREFUSED");
  });
});

describe("ntfy", () => {
  it("judges the health answer", () => {
    const ok = { answered: true as const, status: 200, text: '{"healthy":true}' };
    expect(judgeNtfyHealth("https://ntfy.sh", ok).status).toBe("ok");
    for (const outcome of [
      { answered: true as const, status: 200, text: '{"healthy":false}' },
      { answered: true as const, status: 200, text: "<html>" },
      { answered: true as const, status: 502, text: "" },
      { answered: true as const, status: 401, text: "" },
      { answered: false as const, reason: "ENOTFOUND" },
    ]) {
      const result = judgeNtfyHealth("https://ntfy.sh", outcome);
      expect(result.status).toBe("warn");
      expect(result.fix).toBeTruthy();
    }
    expect(judgeNtfyHealth("https://n", { answered: true, status: 403, text: "" }).fix).toContain(
      "ntfy token",
    );
  });

  it("asks <url>/v1/health with the token, and skips without a url", async () => {
    const seen: Request[] = [];
    const config = configFrom(
      "notify:\n  ntfy: { url: 'https://push.example/ntfy/', topic: t, token: tk_abcdef }\n",
    );
    const fetch = fakeFetch({ "/ntfy/v1/health": { status: 200, body: '{"healthy":true}' } }, seen);
    expect(names(await checkNtfy(config, { fetch, timeoutMs: 1000 }))).toEqual(["ok ntfy"]);
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer tk_abcdef");
    expect(names(await checkNtfy(configFrom(""), { fetch, timeoutMs: 10 }))).toEqual(["skip ntfy"]);
  });

  it("gives up after the time limit", async () => {
    const config = configFrom("notify:\n  ntfy: { url: 'http://ntfy', topic: t }\n");
    const hang: FetchLike = (_url, init) =>
      new Promise((_, reject) =>
        init.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
      );
    const [result] = await checkNtfy(config, { fetch: hang, timeoutMs: 20 });
    expect(result).toMatchObject({ status: "warn" });
    expect(result!.detail).toContain("no answer within");
  });
});

it("orders results by area, keeping their order within an area", () => {
  const r = (area: CheckResult["area"], name: string): CheckResult => ({
    area,
    name,
    status: "ok",
    detail: "",
  });
  expect(
    byArea([r("state", "s"), r("nextcloud", "b"), r("config", "c"), r("nextcloud", "a")]).map(
      (x) => x.name,
    ),
  ).toEqual(["c", "b", "a", "s"]);
});
