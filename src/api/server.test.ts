import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password-hash.js";
import { ConfigFile, hashText } from "../config/config-file.js";
import { ConfigService } from "../config/config-service.js";
import type { CheckResult } from "../doctor/check-result.js";
import { createLogger } from "../logging/logger.js";
import type {
  ActivityEntry,
  ActivityFilter,
  PhotoferryService,
  RunDetail,
  RunSummary,
  ServiceEvent,
  StatusSnapshot,
  Trigger,
} from "../service/service-contract.js";
import { exampleConfigText } from "../test-support/example-config.js";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import { AuditLog } from "../audit/audit-log.js";
import { StateStore } from "../state/state-store.js";
import { SessionStore } from "./access/session-store.js";
import { ApiTokenStore } from "./access/token-store.js";
import { buildApiServer, type ApiDeps } from "./server.js";

const SECRETS = {
  photoprism: "pp-SECRET-token-4f9a2c",
  ntfy: "ntfy-SECRET-token-81be",
  ssh: "-----BEGIN OPENSSH PRIVATE KEY-----\nSECRET-key-body-77\n-----END OPENSSH PRIVATE KEY-----",
  /** A password hash, set through PUT /api/config; filled in before the tests. */
  setThroughApi: "",
};
const secretFiles = {
  "/run/secrets/photoprism_token": SECRETS.photoprism,
  "/run/secrets/ntfy_token": SECRETS.ntfy,
  "/run/secrets/ssh_key": SECRETS.ssh,
};

function run(id: number, outcome: RunSummary["outcome"] = "ok"): RunSummary {
  return {
    id,
    trigger: "scheduled",
    reason: "schedule",
    startedAt: "2024-05-01T10:00:00.000Z",
    finishedAt: outcome === null ? null : "2024-05-01T10:01:30.000Z",
    outcome,
    counts: { seen: 3, moved: 2, duplicates: 1, skipped: 0, failed: 0, bytes: 2048 },
    steps: [],
    errors: [],
  };
}

function entry(id: number, source: string): ActivityEntry {
  return {
    id,
    runId: 1,
    at: "2024-05-01T10:00:05.000Z",
    userId: "anna",
    action: "transferred",
    source,
    destination: `/photoprism/import/b1/${id}.jpg`,
    sha256: "ab".repeat(32),
    sha1: null,
    size: 1024,
    reason: null,
  };
}

/** Records what the routes asked for; answers from plain arrays. */
class FakeService implements PhotoferryService {
  state: StatusSnapshot["state"] = "idle";
  version = "1.2.3";
  paused = false;
  runList: RunSummary[] = [run(3, "failed"), run(2, "nothing-to-do"), run(1, "ok")];
  entries: ActivityEntry[] = [entry(1, "/anna/files/InstantUpload/a.jpg")];
  triggers: { trigger: Trigger; reason: string }[] = [];
  filters: ActivityFilter[] = [];
  readonly listeners = new Set<(event: ServiceEvent) => void>();

  status(): StatusSnapshot {
    return {
      state: this.state,
      version: this.version,
      startedAt: "2024-05-01T09:00:00.000Z",
      paused: this.paused,
      current: null,
      queueLength: this.triggers.length,
      nextRuns: ["2024-05-01T10:15:00.000Z"],
      lastRun: this.runList[0] ?? null,
      totals: { runs: this.runList.length, moved: 42, duplicates: 7, failed: 1, bytes: 123456 },
      recentErrors: [{ at: "2024-05-01T10:01:00.000Z", message: "occ files:scan failed" }],
    };
  }
  trigger(trigger: Trigger, reason: string) {
    this.triggers.push({ trigger, reason });
    return { queued: true, queueLength: this.triggers.length };
  }
  pause() {
    this.paused = true;
    this.state = "paused";
  }
  resume() {
    this.paused = false;
    this.state = "idle";
  }
  queue() {
    return {
      pending: [
        {
          trigger: "watch" as const,
          reason: "3 files changed",
          requestedAt: "2024-05-01T10:02:00Z",
        },
      ],
      files: [
        { userId: "anna", path: "InstantUpload/b.jpg", state: "settling" as const, reason: null },
      ],
    };
  }
  runs({ limit, offset }: { limit: number; offset: number }) {
    return { items: this.runList.slice(offset, offset + limit), total: this.runList.length };
  }
  run(id: number): RunDetail | undefined {
    const summary = this.runList.find((candidate) => candidate.id === id);
    return summary && { ...summary, files: this.entries, commands: [] };
  }
  activity(filter: ActivityFilter) {
    this.filters.push(filter);
    const { limit = 50, offset = 0 } = filter;
    return { items: this.entries.slice(offset, offset + limit), total: this.entries.length };
  }
  users() {
    return [
      {
        id: "anna",
        included: true,
        isNew: false,
        reason: null,
        counts: { moved: 40, duplicates: 7, failed: 1, bytes: 120000 },
      },
    ];
  }
  subscribe(listener: (event: ServiceEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: ServiceEvent) {
    for (const listener of this.listeners) listener(event);
  }
}

let dir: string;
let configPath: string;
let service: FakeService;
let config: ConfigService;
let app: FastifyInstance;
let store: StateStore;
let logLines: string[];
let checkResults: CheckResult[];
const allBodies: string[] = [];

async function makeApp(options: { sseHeartbeatMs?: number; version?: string } = {}) {
  logLines = [];
  const logger = createLogger({
    level: "debug",
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  });
  config = new ConfigService({
    file: new ConfigFile(configPath),
    logger,
    env: {},
    secretEnvironment: fakeSecretEnvironment(secretFiles),
    watchFile: () => ({ ready: Promise.resolve(), close: () => Promise.resolve() }),
  });
  await config.start();
  const deps: ApiDeps = {
    service,
    config,
    logger,
    version: options.version ?? "1.2.3",
    notifier: {
      test: () => Promise.resolve({ ok: true, detail: "sent to ntfy topic photoferry" }),
    },
    checks: {
      nextcloud: () => Promise.resolve(checkResults),
      photoprism: () => Promise.reject(new Error(`token ${SECRETS.photoprism} at /internal/path`)),
    },
    audit: new AuditLog(store, { logger }),
    sessions: new SessionStore(store),
    tokens: new ApiTokenStore(store.connection),
  };
  return buildApiServer(deps, { sseHeartbeatMs: options.sseHeartbeatMs ?? 15_000 });
}

/** Every response body goes through here, so the secret scan at the end sees all of them. */
async function call(options: InjectOptions | string) {
  const response = await app.inject(options);
  allBodies.push(JSON.stringify(response.headers), response.body);
  return response;
}

beforeAll(async () => {
  SECRETS.setThroughApi = await hashPassword("correct horse battery", { ln: 4 });
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-api-"));
  configPath = join(dir, "photoferry.yaml");
  writeFileSync(configPath, exampleConfigText());
  service = new FakeService();
  store = StateStore.open(join(dir, "state"));
  checkResults = [
    {
      area: "nextcloud",
      name: "occ status",
      status: "ok",
      detail: "Nextcloud 29, not in maintenance",
    },
  ];
  app = await makeApp();
});
afterEach(async () => {
  await app.close();
  await config.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
afterAll(() => {
  const everything = allBodies.join("\n");
  for (const secret of Object.values(SECRETS)) {
    expect(secret.length).toBeGreaterThan(10);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(JSON.stringify(secret).slice(1, -1));
  }
});

const json = (body: unknown) => ({
  payload: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});

describe("sync routes", () => {
  it("reports the status, and triggers, pauses and resumes runs", async () => {
    const status = await call("/api/status");
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual(service.status());

    const bare = await call({ method: "POST", url: "/api/sync/trigger" });
    expect(bare.statusCode).toBe(202);
    expect(bare.json()).toEqual({ queued: true, queueLength: 1 });
    await call({ method: "POST", url: "/api/sync/trigger", ...json({ reason: "new SD card" }) });
    expect(service.triggers).toEqual([
      { trigger: "manual", reason: "asked for through the API" },
      { trigger: "manual", reason: "new SD card" },
    ]);

    const paused = await call({ method: "POST", url: "/api/sync/pause" });
    expect(paused.json()).toEqual({ state: "paused", paused: true });
    const resumed = await call({ method: "POST", url: "/api/sync/resume", ...json({}) });
    expect(resumed.json()).toEqual({ state: "idle", paused: false });

    expect((await call("/api/queue")).json()).toEqual(service.queue());
    expect((await call("/api/users")).json()).toEqual(service.users());
  });

  it("refuses bad bodies in plain words and calls nothing", async () => {
    const cases: [InjectOptions, number, RegExp][] = [
      [json({ reasn: "typo" }), 400, /`reasn` in the body is not a known field/],
      [json({ reason: "" }), 400, /`reason` in the body must not be empty/],
      [json({ reason: "x".repeat(201) }), 400, /at most 200 characters/],
      [json([1, 2]), 400, /the body must be an object/],
      [
        { payload: "{not json", headers: { "content-type": "application/json" } },
        400,
        /not valid JSON/,
      ],
      [{ payload: "", headers: { "content-type": "application/json" } }, 400, /body is empty/],
      [{ payload: "<reason/>", headers: { "content-type": "application/xml" } }, 415, /as JSON/],
      [json({ reason: "y".repeat(300 * 1024) }), 413, /larger than 262144 bytes/],
    ];
    for (const [options, status, message] of cases) {
      const response = await call({ method: "POST", url: "/api/sync/trigger", ...options });
      expect(response.statusCode, JSON.stringify(options).slice(0, 80)).toBe(status);
      expect(response.json<{ message: string }>().message).toMatch(message);
    }
    const pause = await call({ method: "POST", url: "/api/sync/pause", ...json({ now: true }) });
    expect(pause.statusCode).toBe(400);
    expect(service.triggers).toEqual([]);
    expect(service.paused).toBe(false);
  });

  it("rate-limits manual triggers", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await call({ method: "POST", url: "/api/sync/trigger" })).statusCode);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(202), 429, 429]);
    const limited = await call({ method: "POST", url: "/api/sync/trigger" });
    expect(limited.json()).toMatchObject({
      error: "too-many-requests",
      message: expect.stringMatching(/try again in \d+ seconds/) as unknown,
    });
    expect(service.triggers).toHaveLength(10);
  });

  it("says so for an unknown route", async () => {
    const response = await call("/api/nope?x=1");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: "not-found",
      message: "there is no GET /api/nope; see /api/docs",
    });
  });
});

describe("runs and logs", () => {
  it("pages runs and shows one run, 404 for an unknown one", async () => {
    const first = await call("/api/runs?limit=2");
    expect(first.json()).toEqual({
      items: service.runList.slice(0, 2),
      total: 3,
      limit: 2,
      offset: 0,
    });
    const rest = await call("/api/runs?limit=2&offset=2");
    expect(rest.json<{ items: RunSummary[] }>().items.map((r) => r.id)).toEqual([1]);

    expect((await call("/api/runs/2")).json()).toMatchObject({ id: 2, files: service.entries });
    const missing = await call("/api/runs/999");
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: "not-found", message: "there is no run 999" });
  });

  it("refuses bad paging in plain words", async () => {
    const cases: [string, RegExp][] = [
      ["/api/runs?limit=0", /`limit` in the query must be at least 1/],
      ["/api/runs?limit=501", /`limit` in the query must be at most 500/],
      ["/api/runs?limit=ten", /`limit` in the query must be a whole number/],
      ["/api/runs?offset=-1", /`offset` in the query must be at least 0/],
      ["/api/runs?page=2", /`page` in the query is not a known field/],
      ["/api/runs/abc", /`id` in the path must be a whole number/],
      ["/api/runs/0", /`id` in the path must be at least 1/],
    ];
    for (const [url, message] of cases) {
      const response = await call(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toEqual({
        error: "bad-request",
        message: expect.stringMatching(message) as unknown,
      });
    }
  });

  it("passes the activity filter on, and refuses dates and hashes that are not", async () => {
    const response = await call(
      "/api/logs?user=anna&name=IMG_&hash=ABCDEF12&from=2024-05-01&to=2024-05-31T23:59:59Z&limit=10&offset=20",
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ total: 1, limit: 10, offset: 20 });
    expect(service.filters).toEqual([
      {
        userId: "anna",
        name: "IMG_",
        hash: "abcdef12",
        from: "2024-05-01",
        to: "2024-05-31T23:59:59Z",
        limit: 10,
        offset: 20,
      },
    ]);
    const cases: [string, RegExp][] = [
      ["from=2024-02-31", /`from` in the query is not a real date/],
      ["to=yesterday", /`to` in the query must be a date like 2024-05-31/],
      ["from=2024-06-01&to=2024-05-01", /`from` is after `to`/],
      ["hash=xyz", /`hash` in the query must be hex digits/],
      ["user=", /`user` in the query must not be empty/],
    ];
    for (const [query, message] of cases) {
      const bad = await call(`/api/logs?${query}`);
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json<{ message: string }>().message).toMatch(message);
      expect((await call(`/api/logs.csv?${query}`)).statusCode).toBe(400);
    }
    expect(service.filters).toHaveLength(1);
  });

  it("exports the whole filtered log as safe CSV, page by page", async () => {
    service.entries = Array.from({ length: 2500 }, (_, i) =>
      entry(i + 1, `/anna/files/p${i + 1}.jpg`),
    );
    service.entries[0] = entry(1, '=HYPERLINK("http://evil"),"x"');
    const response = await call("/api/logs.csv?user=anna");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/attachment; filename=/);
    const lines = response.body.split("\r\n");
    expect(lines[0]).toBe("id,runId,at,userId,action,source,destination,sha256,sha1,size,reason");
    expect(lines[1]).toMatch(
      /^1,1,2024-05-01T10:00:05.000Z,anna,transferred,"'=HYPERLINK\(""http:\/\/evil""\),""x""",/,
    );
    expect(lines).toHaveLength(2500 + 2); // header, rows, and the empty string after the last CRLF
    expect(service.filters.map(({ offset, userId }) => ({ offset, userId }))).toEqual([
      { offset: 0, userId: "anna" },
      { offset: 1000, userId: "anna" },
      { offset: 2000, userId: "anna" },
    ]);
  });
});

interface ConfigReply {
  config: Record<string, Record<string, Record<string, unknown>>>;
  hash: string;
  schema: { properties: Record<string, unknown> };
  restartRequired?: string[];
  issues?: { path: string; line?: number; message: string }[];
  currentHash?: string;
}

describe("config", () => {
  it("shows the config with secrets as {set}, its hash and the schema", async () => {
    const response = await call("/api/config");
    expect(response.statusCode).toBe(200);
    const body = response.json<ConfigReply>();
    expect(body.hash).toBe(hashText(exampleConfigText()));
    expect(body.config.photoprism!.api!.token).toEqual({ set: true });
    expect(body.config.notify!.ntfy!.token).toEqual({ set: true });
    expect(body.config.web!.auth!.passwordHash).toEqual({ set: false });
    expect(body.config.ssh!.key).toEqual({ set: true });
    expect(body.config.photoprism!.api!.tokenFile).toBe("/run/secrets/photoprism_token");
    expect(Object.keys(body.schema.properties)).toEqual(
      expect.arrayContaining(["nextcloud", "web"]),
    );
  });

  it("applies edits, says which need a restart, and never sends a secret back", async () => {
    const { hash } = (await call("/api/config")).json<ConfigReply>();
    const response = await call({
      method: "PUT",
      url: "/api/config",
      ...json({
        baseHash: hash,
        edits: [
          { path: ["schedule", "cron"], value: "0 * * * *" },
          { path: ["web", "port"], value: 8181 },
          { path: ["web", "auth", "passwordHash"], value: SECRETS.setThroughApi },
        ],
      }),
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<ConfigReply>();
    expect(body.restartRequired).toEqual(expect.arrayContaining(["web.port"]));
    expect(body.config.web!.auth!.passwordHash).toEqual({ set: true });
    expect(body.hash).toBe(hashText(readFileSync(configPath, "utf8")));
    expect(readFileSync(configPath, "utf8")).toContain('cron: "0 * * * *"');
    expect(config.current.config.web.auth.passwordHash).toBe(SECRETS.setThroughApi);
  });

  it("refuses a stale edit with 409 and an invalid one with 422 and line numbers", async () => {
    const { hash } = (await call("/api/config")).json<ConfigReply>();
    const invalid = await call({
      method: "PUT",
      url: "/api/config",
      ...json({ baseHash: hash, edits: [{ path: ["web", "port"], value: 0 }] }),
    });
    expect(invalid.statusCode).toBe(422);
    const issues = invalid.json<ConfigReply>().issues!;
    const portLine =
      exampleConfigText()
        .split("\n")
        .findIndex((line) => /^ {2}port: 8080/.test(line)) + 1;
    expect(issues).toContainEqual(expect.objectContaining({ path: "web.port", line: portLine }));
    expect(readFileSync(configPath, "utf8")).toBe(exampleConfigText());

    writeFileSync(configPath, `${exampleConfigText()}# a hand edit\n`);
    const stale = await call({
      method: "PUT",
      url: "/api/config",
      ...json({ baseHash: hash, edits: [{ path: ["web", "port"], value: 9000 }] }),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ConfigReply>().currentHash).toBe(hashText(readFileSync(configPath, "utf8")));
  });

  it("refuses malformed edits in plain words", async () => {
    const hash = "0".repeat(64);
    const cases: [unknown, RegExp][] = [
      [{ edits: [] }, /`baseHash` is missing in the body/],
      [
        { baseHash: "abc", edits: [{ path: ["a"], value: 1 }] },
        /`baseHash` in the body must be in the form/,
      ],
      [{ baseHash: hash, edits: [] }, /`edits` in the body must have at least 1 item/],
      [
        { baseHash: hash, edits: [{ path: [], value: 1 }] },
        /`edits\[0\].path` in the body must have at least 1/,
      ],
      [{ baseHash: hash, edits: [{ path: ["web"] }] }, /`edits\[0\].value` is missing in the body/],
    ];
    for (const [body, message] of cases) {
      const response = await call({ method: "PUT", url: "/api/config", ...json(body) });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json<{ message: string }>().message).toMatch(message);
    }
  });
});

describe("checks", () => {
  it("runs the doctor checks and the notifier test", async () => {
    const nextcloud = await call({ method: "POST", url: "/api/test/nextcloud" });
    expect(nextcloud.json()).toEqual({ ok: true, results: checkResults });
    checkResults = [
      {
        area: "nextcloud",
        name: "occ status",
        status: "fail",
        detail: "in maintenance",
        fix: "run occ maintenance:mode --off",
      },
    ];
    expect((await call({ method: "POST", url: "/api/test/nextcloud" })).json()).toEqual({
      ok: false,
      results: checkResults,
    });
    expect((await call({ method: "POST", url: "/api/test/notify" })).json()).toEqual({
      ok: true,
      detail: "sent to ntfy topic photoferry",
    });
  });

  it("limits the test endpoints to six calls a minute", async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(() => call({ method: "POST", url: "/api/test/nextcloud" })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call({ method: "POST", url: "/api/test/nextcloud" })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("turns an unexpected failure into a 500 that shows nothing of the inside", async () => {
    const response = await call({ method: "POST", url: "/api/test/photoprism" });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: "internal",
      message: "something went wrong inside photoferry; the details are in its log",
    });
    expect(logLines.join("")).toContain("/internal/path");
  });
});

/** Checks the Prometheus text format line by line; returns the samples by name and labels. */
function parsePrometheus(text: string): Map<string, number> {
  expect(text.endsWith("\n")).toBe(true);
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples = new Map<string, number>();
  const name = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const label = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
  const sample = new RegExp(`^(${name})(\\{${label}(?:,${label})*\\})? (-?[0-9.e+]+|NaN|[+-]Inf)$`);
  for (const line of text.slice(0, -1).split("\n")) {
    const help = new RegExp(`^# HELP (${name}) .+$`).exec(line);
    const type = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram|summary|untyped)$`).exec(
      line,
    );
    if (help) {
      expect(helps.has(help[1]!), `second HELP for ${help[1]}`).toBe(false);
      helps.add(help[1]!);
    } else if (type) {
      expect(types.has(type[1]!), `second TYPE for ${type[1]}`).toBe(false);
      types.set(type[1]!, type[2]!);
    } else {
      const match = sample.exec(line);
      expect(match, `not a sample line: ${line}`).not.toBeNull();
      expect(types.has(match![1]!), `sample before its TYPE: ${line}`).toBe(true);
      samples.set(`${match![1]}${match![2] ?? ""}`, Number(match![3]));
    }
  }
  return samples;
}

describe("health and metrics", () => {
  it("is healthy unless the service is in its error state", async () => {
    expect((await call("/healthz")).json()).toEqual({ ok: true, state: "idle" });
    service.state = "error";
    const sick = await call("/healthz");
    expect(sick.statusCode).toBe(503);
    expect(sick.json()).toEqual({ ok: false, state: "error" });
  });

  it("serves Prometheus text with run outcomes from history and events", async () => {
    await app.close();
    service.runList = [
      run(4, null),
      run(3, "failed"),
      ...Array.from({ length: 1200 }, (_, i) => run(i + 5)),
    ];
    service.version = 'v1 "quoted" \\ path';
    app = await makeApp();
    service.emit({ type: "run-finished", run: run(9999, "failed") });
    service.emit({ type: "progress", run: run(10000, "failed") });
    const response = await call("/metrics");
    expect(response.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    const samples = parsePrometheus(response.body);
    expect(samples.get('photoferry_runs_total{outcome="ok"}')).toBe(1200);
    expect(samples.get('photoferry_runs_total{outcome="failed"}')).toBe(2);
    expect(samples.get('photoferry_runs_total{outcome="interrupted"}')).toBe(0);
    expect(samples.get('photoferry_info{version="v1 \\"quoted\\" \\\\ path"}')).toBe(1);
    expect(samples.get("photoferry_up")).toBe(1);
    // The history's totals when the server started, plus each run finished since (one here:
    // 2 moved, 1 duplicate, 2048 bytes), never lower even when old history is pruned.
    expect(samples.get("photoferry_files_moved_total")).toBe(42 + 2);
    expect(samples.get("photoferry_duplicates_total")).toBe(7 + 1);
    expect(samples.get("photoferry_failed_total")).toBe(1);
    expect(samples.get("photoferry_bytes_moved_total")).toBe(123456 + 2048);
    expect(samples.get("photoferry_paused")).toBe(0);
    // The newest run is still going: its start and end are not the last *finished* run's.
    expect(samples.has("photoferry_run_duration_seconds")).toBe(false);
    service.runList.shift();
    const later = parsePrometheus((await call("/metrics")).body);
    expect(later.get("photoferry_run_duration_seconds")).toBe(90);
    expect(later.get("photoferry_last_run_timestamp_seconds")).toBe(
      Date.parse("2024-05-01T10:01:30Z") / 1000,
    );
  });
});

describe("documentation and headers", () => {
  const routes = [
    "get /api/status",
    "post /api/sync/trigger",
    "post /api/sync/pause",
    "post /api/sync/resume",
    "get /api/queue",
    "get /api/runs",
    "get /api/runs/{id}",
    "get /api/logs",
    "get /api/logs.csv",
    "get /api/events",
    "get /api/config",
    "put /api/config",
    "get /api/users",
    "post /api/test/nextcloud",
    "post /api/test/photoprism",
    "post /api/test/notify",
    "get /healthz",
    "get /metrics",
    "get /api/session",
    "post /api/login",
    "post /api/logout",
    "get /api/tokens",
    "post /api/tokens",
    "delete /api/tokens/{id}",
    "get /api/audit",
  ];

  it("lists every route in the OpenAPI document, with its responses", async () => {
    const spec = (await call("/api/docs/openapi.json")).json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    expect(spec.openapi).toMatch(/^3\./);
    const listed = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(listed.sort()).toEqual([...routes].sort());
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(Object.keys(operation.responses), `${method} ${path}`).toContain("500");
      }
    }
  });

  it("serves the docs UI from local files under a narrow CSP; the API under a strict one", async () => {
    const page = await call("/api/docs/");
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(page.headers["content-security-policy"]).toContain("style-src 'self' 'unsafe-inline'");
    expect(page.headers["content-security-policy"]).not.toMatch(/script-src[^;]*unsafe/);
    const bundle = await call("/api/docs/static/swagger-ui-bundle.js");
    expect(bundle.statusCode).toBe(200);
    const initializer = await call("/api/docs/static/swagger-initializer.js");
    expect(initializer.body).toContain("validatorUrl: null");

    const api = await call("/api/status");
    const csp = String(api.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(api.headers["x-content-type-options"]).toBe("nosniff");
  });
});

/** Reads an event stream, resolving each wait once the text so far matches. */
function openStream(url: string) {
  let text = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    const request = httpRequest(url, (incoming) => {
      incoming.setEncoding("utf8");
      incoming.on("data", (chunk: string) => {
        text += chunk;
        check();
      });
      resolve(incoming);
    });
    request.on("error", reject);
    request.end();
  });
  return {
    response,
    text: () => text,
    until: (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        waiters.push({ pattern, resolve });
        check();
      }),
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("event stream", () => {
  it("sends state first, then pushed events and heartbeats; unsubscribes on close", async () => {
    await app.close();
    app = await makeApp({ sseHeartbeatMs: 50 });
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    const listenersBefore = service.listeners.size;
    const stream = openStream(`${address}/api/events`);
    const response = await stream.response;
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(response.headers["content-security-policy"]).toContain("default-src 'self'");

    await stream.until(/event: state\ndata: .*\n\n/);
    const first = /event: (\w+)\ndata: (.*)\n\n/.exec(stream.text())!;
    expect(first[1]).toBe("state");
    expect(JSON.parse(first[2]!)).toEqual({ type: "state", status: service.status() });
    await until(() => service.listeners.size === listenersBefore + 1, "the subscription");

    service.emit({ type: "progress", run: run(5, null) });
    await stream.until(/event: progress\ndata: .*"id":5.*\n\n/);
    await stream.until(/: heartbeat\n\n/);
    allBodies.push(stream.text());

    response.destroy();
    await until(() => service.listeners.size === listenersBefore, "the unsubscribe on close");
  });

  it("drops a client that cannot keep up instead of buffering without end", async () => {
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    const metricsListener = service.listeners.size;
    const stream = openStream(`${address}/api/events`);
    const response = await stream.response;
    await stream.until(/event: state/);
    await until(() => service.listeners.size === metricsListener + 1, "the subscription");
    response.pause();
    const big = { ...run(6, null), reason: "x".repeat(64 * 1024) };
    // The kernel's socket buffers take the first few MiB; then photoferry's own buffer grows.
    for (let i = 0; i < 1000 && service.listeners.size > metricsListener; i++) {
      service.emit({ type: "progress", run: big });
    }
    expect(service.listeners.size).toBe(metricsListener);
    expect(logLines.join("")).toContain("reads too slowly");
    response.destroy();
  });

  it("ends open streams when the server closes", async () => {
    await app.close();
    app = await makeApp();
    const address = await app.listen({ host: "127.0.0.1", port: 0 });
    const stream = openStream(`${address}/api/events`);
    const response = await stream.response;
    await stream.until(/event: state/);
    const ended = new Promise<void>((resolve) => response.on("end", resolve));
    const started = Date.now();
    await app.close();
    await ended;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(service.listeners.size).toBe(0);
  });
});
