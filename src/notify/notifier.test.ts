import { afterEach, describe, expect, it } from "vitest";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { RunDetail } from "../service/service-contract.js";
import { Notifier } from "./notifier.js";
import { ManualTimer } from "./test-support/manual-timer.js";
import {
  configWithNotify,
  FakeEvents,
  finishedRun,
  memoryLogger,
} from "./test-support/notify-fixtures.js";
import { startNtfyStandin, type NtfyStandin } from "./test-support/ntfy-standin.js";
import { startWebhookStandin } from "./test-support/webhook-standin.js";

const TOKEN = "tk_s3cretvalue123";
const WINDOW = 10_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function ntfyServer(options?: Parameters<typeof startNtfyStandin>[0]): Promise<NtfyStandin> {
  const server = await startNtfyStandin(options ?? { tokens: [TOKEN] });
  cleanups.push(() => server.close());
  return server;
}

function ntfyConfig(url: string, extra: Partial<PhotoferryConfig["notify"]["ntfy"]> = {}) {
  return configWithNotify({
    uiUrl: "https://photoferry.example.org/",
    ntfy: { url, topic: "photoferry", token: TOKEN, level: "warning", ...extra },
  });
}

function setup(config: () => PhotoferryConfig, detail?: (id: number) => RunDetail | undefined) {
  const timer = new ManualTimer();
  const log = memoryLogger();
  const notifier = new Notifier({
    config,
    logger: log.logger,
    now: timer.now,
    timer,
    windowMs: WINDOW,
  });
  const events = new FakeEvents();
  notifier.start(detail ? { subscribe: events.subscribe, run: detail } : events);
  cleanups.push(() => notifier.stop());
  /** Lets the merge window pass and waits for the send. */
  const flush = async (ms = WINDOW) => {
    timer.advance(ms);
    await notifier.idle();
  };
  return { timer, log, notifier, events, flush };
}

const failedRun = (id: number) =>
  finishedRun(id, {
    outcome: "failed",
    counts: { seen: 1, moved: 0, duplicates: 0, skipped: 0, failed: 1, bytes: 0 },
    errors: [`IMG_${id}.jpg: permission denied`],
  });

describe("Notifier with ntfy", () => {
  it("publishes a success summary as JSON to the root, with priority, tags, click link and Bearer", async () => {
    const server = await ntfyServer();
    const detail = (id: number): RunDetail => ({
      ...finishedRun(id),
      commands: [],
      files: ["anna", "bob", "anna"].map((userId, i) => ({
        id: i,
        runId: id,
        at: "",
        userId,
        action: "transferred",
        source: "",
        destination: null,
        sha256: null,
        sha1: null,
        size: null,
        reason: null,
      })),
    });
    const { events, flush } = setup(() => ntfyConfig(server.url, { level: "success" }), detail);
    events.emit({
      type: "run-finished",
      run: finishedRun(42, {
        counts: { seen: 12, moved: 12, duplicates: 0, skipped: 0, failed: 0, bytes: 1e6 },
      }),
    });
    expect(server.messages).toHaveLength(0); // still inside the merge window
    await flush();
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /"]);
    expect(server.messages).toEqual([
      {
        form: "json",
        topic: "photoferry",
        title: "Ferried 12 photos for anna, bob",
        message: "Run #42 (schedule): 1.0 MB.",
        priority: 3,
        tags: ["white_check_mark", "photoferry"],
        click: "https://photoferry.example.org/runs/42",
        markdown: true,
        auth: { kind: "bearer", token: TOKEN },
      },
    ]);
  });

  it("sends only what meets the threshold, read live from the config", async () => {
    const server = await ntfyServer();
    let config = ntfyConfig(server.url, { level: "warning" });
    const { events, flush } = setup(() => config);
    const moved = { seen: 1, moved: 1, duplicates: 0, skipped: 0, failed: 0, bytes: 10 };
    events.emit({ type: "run-finished", run: finishedRun(1, { counts: moved }) });
    events.emit({ type: "run-finished", run: finishedRun(2, { outcome: "nothing-to-do" }) });
    await flush();
    expect(server.messages).toHaveLength(0);
    config = ntfyConfig(server.url, { level: "debug" });
    events.emit({ type: "run-finished", run: finishedRun(3, { outcome: "nothing-to-do" }) });
    await flush();
    expect(server.messages.map((m) => [m.title, m.priority])).toEqual([["Nothing to do", 1]]);
  });

  it("merges many failures arriving together into one message", async () => {
    const server = await ntfyServer();
    const { events, flush, log } = setup(() => ntfyConfig(server.url));
    for (let id = 1; id <= 30; id++) events.emit({ type: "run-finished", run: failedRun(id) });
    await flush();
    expect(server.messages).toHaveLength(1);
    const [message] = server.messages;
    expect(message?.priority).toBe(5);
    expect(message?.title).toMatch(/^Run #\d+ failed \(\+29 more\)$/);
    expect(message?.message).toContain("IMG_1.jpg: permission denied");
    expect(log.text()).toContain("sent 30 notifications merged into one");
  });

  it("on 429 waits for Retry-After, keeps everything and merges what arrives meanwhile", async () => {
    const server = await ntfyServer();
    const { events, flush, timer, log } = setup(() => ntfyConfig(server.url));
    server.rateLimit(1, "120");
    events.emit({ type: "run-finished", run: failedRun(1) });
    await flush();
    expect(server.messages).toHaveLength(0);
    expect(timer.waiting).toEqual([120_000]);
    expect(log.text()).toContain(
      "is rate-limiting photoferry (HTTP 429); keeping 1 notification(s)",
    );
    events.emit({ type: "run-finished", run: failedRun(2) });
    await flush(60_000); // the window passes but Retry-After has not
    expect(server.messages).toHaveLength(0);
    await flush(60_000);
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]?.message).toContain("IMG_1.jpg");
    expect(server.messages[0]?.message).toContain("IMG_2.jpg");
  });

  it("honours Retry-After given as an HTTP date, and backs off without one", async () => {
    const server = await ntfyServer();
    const { events, flush, timer } = setup(() => ntfyConfig(server.url));
    server.rateLimit(1, new Date(timer.now() + WINDOW + 45_000).toUTCString());
    events.emit({ type: "run-finished", run: failedRun(1) });
    await flush();
    expect(timer.waiting).toEqual([45_000]);
    server.rateLimit(1);
    await flush(45_000);
    expect(timer.waiting).toEqual([10_000]); // second 429 in a row, no header: 5 s, 10 s, …
    await flush(10_000);
    expect(server.messages).toHaveLength(1);
  });

  it("uses basic auth when a user is set", async () => {
    const server = await ntfyServer({ users: { photoferry: "pw-Secret-77" } });
    const { events, flush } = setup(() =>
      ntfyConfig(server.url, { user: "photoferry", token: "pw-Secret-77" }),
    );
    events.emit({ type: "run-finished", run: failedRun(1) });
    await flush();
    expect(server.messages[0]?.auth).toEqual({ kind: "basic", user: "photoferry" });
  });

  it("says plainly when credentials are refused, without ever logging them", async () => {
    const server = await ntfyServer({ tokens: ["tk_other"], users: { anna: "x" } });
    const { events, flush, log, notifier } = setup(() => ntfyConfig(server.url));
    events.emit({ type: "run-finished", run: failedRun(1) });
    await flush();
    expect(log.text()).toContain("refused 1 notification(s) (HTTP 401: unauthorized)");
    expect(log.text()).toContain("check notify.ntfy.token");
    const result = await notifier.test();
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      /^ntfy: topic photoferry on 127\.0\.0\.1:\d+ refused the message \(HTTP 401: unauthorized\); ntfy did not accept/,
    );
    expect(log.text()).not.toContain(TOKEN);
    expect(result.detail).not.toContain(TOKEN);
    expect(log.text()).not.toContain(Buffer.from(TOKEN).toString("base64").slice(0, 12));
  });

  it("explains a 403 as missing write access", async () => {
    const server = await ntfyServer({ tokens: ["tk_other"] });
    const { notifier } = setup(() => ntfyConfig(server.url, { token: null }));
    const result = await notifier.test();
    expect(result.detail).toContain(
      "(HTTP 403: forbidden); ntfy does not let these credentials publish",
    );
  });

  it("reports a service entering the error state", async () => {
    const server = await ntfyServer();
    const { events, flush } = setup(() => ntfyConfig(server.url, { level: "error" }));
    const status = {
      state: "error" as const,
      version: "0",
      startedAt: "",
      paused: false,
      current: null,
      queueLength: 0,
      nextRuns: [],
      lastRun: null,
      totals: { runs: 0, moved: 0, duplicates: 0, failed: 0, bytes: 0 },
      recentErrors: [{ at: "2025-06-01T12:00:00Z", message: "disk full" }],
    };
    events.emit({ type: "state", status: { ...status, state: "idle", recentErrors: [] } });
    events.emit({ type: "state", status });
    events.emit({ type: "state", status });
    await flush();
    expect(server.messages.map((m) => [m.title, m.message, m.click])).toEqual([
      ["photoferry stopped working", "disk full", "https://photoferry.example.org/"],
    ]);
  });

  it("sends what is still waiting when stopped", async () => {
    const server = await ntfyServer();
    const { events, notifier } = setup(() => ntfyConfig(server.url));
    events.emit({ type: "run-finished", run: failedRun(1) });
    await notifier.stop();
    expect(server.messages).toHaveLength(1);
    events.emit({ type: "run-finished", run: failedRun(2) }); // no longer listening
    await notifier.stop();
    expect(server.messages).toHaveLength(1);
  });

  it("retries an unreachable server, then gives up with a log line", async () => {
    const server = await ntfyServer();
    const url = server.url;
    await server.close();
    cleanups.pop();
    const { events, flush, log, timer } = setup(() => ntfyConfig(url));
    events.emit({ type: "run-finished", run: failedRun(1) });
    await flush();
    for (let i = 0; i < 4; i++) await flush(timer.waiting[0] ?? 0);
    expect(log.text()).toContain("not reachable (ECONNREFUSED)");
    expect(log.text()).toContain("ntfy: gave up on 1 notification(s) after 5 tries");
    expect(timer.waiting).toEqual([]);
  });
});

describe("Notifier with the webhook", () => {
  it("posts the JSON payload with the secret header; the secret and URL path stay out of logs", async () => {
    const hook = await startWebhookStandin();
    cleanups.push(() => hook.close());
    const secret = "Bearer hook-s3cret-9";
    const url = `${hook.url}/hooks/T0KEN-in-path`;
    const { events, flush, log, notifier } = setup(() =>
      configWithNotify({
        uiUrl: "https://ui.example.org",
        webhook: {
          url,
          headers: { "X-Source": "photoferry" },
          secretHeader: "Authorization",
          secret,
          level: "error",
        },
      }),
    );
    events.emit({ type: "run-finished", run: finishedRun(5, { outcome: "nothing-to-do" }) });
    events.emit({ type: "run-finished", run: failedRun(6) });
    await flush();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.path).toBe("/hooks/T0KEN-in-path");
    expect(hook.received[0]?.headers.authorization).toBe(secret);
    expect(hook.received[0]?.headers["x-source"]).toBe("photoferry");
    expect(hook.received[0]?.body).toEqual({
      event: "run-failed",
      level: "error",
      title: "Run #6 failed",
      message: "1 file failed.\n- IMG_6.jpg: permission denied",
      runId: 6,
      url: "https://ui.example.org/runs/6",
      at: "2025-06-01T12:01:00.000Z",
    });
    const result = await notifier.test();
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(
      /^ntfy: not configured; webhook: sent to 127\.0\.0\.1:\d+ \(HTTP 204\)$/,
    );
    expect(log.text()).not.toContain("hook-s3cret");
    expect(log.text()).not.toContain("T0KEN");
  });
});

describe("Notifier.test", () => {
  it("says what is not configured", async () => {
    const { notifier } = setup(() => configWithNotify({}));
    expect(await notifier.test()).toEqual({
      ok: false,
      detail:
        "ntfy: not configured; webhook: not configured (set notify.ntfy.url and notify.ntfy.topic, or notify.webhook.url)",
    });
  });

  it("sends to every configured channel and names the topic and status", async () => {
    const server = await ntfyServer();
    const { notifier } = setup(() => ntfyConfig(server.url));
    const result = await notifier.test();
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(
      /^ntfy: sent to topic photoferry on 127\.0\.0\.1:\d+ \(HTTP 200\); webhook: not configured$/,
    );
    expect(server.messages[0]).toMatchObject({
      title: "photoferry test notification",
      priority: 2,
    });
  });
});
