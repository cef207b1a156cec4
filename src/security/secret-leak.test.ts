import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password-hash.js";
import { secretPaths } from "../config/json-schema.js";
import { startServe, type RunningServe } from "../service/serve.js";
import { buildForChildProcess } from "../test-support/child-build.js";
import type { FerryWorld } from "../test-support/ferry-world.js";
import { simulatedWorld } from "../test-support/simulated-world.js";
import { ApiClient } from "./test-support/api-client.js";
import { HostileServer } from "./test-support/hostile-server.js";
import { findLeaks } from "./test-support/leak-scan.js";
import { fillPath, routesOf } from "./test-support/openapi-routes.js";

// A whole serve with every secret set to a unique canary, talking to a server that echoes
// credentials back. Every route the OpenAPI document lists is called (writes included, and
// failing ones), the event stream read, a run made to fail; then no response and no log
// line may carry any canary in any common encoding.

const canary = (name: string) => `${name}-CANARY-${randomBytes(9).toString("hex")}`;
const SECRETS: Record<string, string> = {
  password: canary("password"),
  photoprismToken: canary("pp"),
  ntfyToken: canary("ntfy"),
  webhookSecret: `Bearer ${canary("hook")}`,
  webhookPath: canary("hookpath"),
  sshKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${canary("ssh")}\n-----END OPENSSH PRIVATE KEY-----`,
  /** Set through PUT /api/config while running. */
  editedToken: canary("edited"),
  /** Sent in an edit the server refuses. */
  refusedUrl: canary("refused"),
};

let built: string;
let world: FerryWorld;
let running: RunningServe | undefined;
const hostile = new HostileServer();
const logLines: string[] = [];
let client: ApiClient;

beforeAll(async () => {
  built = buildForChildProcess();
  const remote = await hostile.start();
  SECRETS.passwordHash = await hashPassword(SECRETS.password!, { ln: 4 });
  const q = JSON.stringify;
  world = simulatedWorld(built, {
    trigger: "api",
    api: { url: `${remote}/photoprism`, token: SECRETS.photoprismToken! },
    extraYaml: [
      // Continues the `web:` section the world starts.
      "  auth:",
      `    passwordHash: ${q(SECRETS.passwordHash)}`,
      "schedule:",
      "  watch: false",
      "  cron: null",
      "notify:",
      "  ntfy:",
      `    url: ${q(`${remote}/ntfy`)}`,
      "    topic: photoferry",
      `    token: ${q(SECRETS.ntfyToken)}`,
      "    level: info",
      "  webhook:",
      `    url: ${q(`${remote}/hook/${SECRETS.webhookPath}`)}`,
      `    secret: ${q(SECRETS.webhookSecret)}`,
      "    level: info",
    ].join("\n"),
  });
  running = await startServe({
    configPath: world.configPath,
    env: {
      PHOTOFERRY_SECRETS_DIR: join(world.root, "no-secrets"),
      PHOTOFERRY_SSH_KEY: SECRETS.sshKey,
      PHOTOFERRY_LOG_LEVEL: "debug",
    },
    port: 0,
    host: "127.0.0.1",
    logDestination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  });
  client = new ApiClient(running.url);
}, 180_000);

afterAll(async () => {
  await running?.stop();
  await hostile.stop();
  world?.close();
});

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("secrets never leave photoferry", { timeout: 180_000 }, () => {
  it("sets a canary for every secret the schema knows", () => {
    // A secret added to the schema must get a canary here too.
    expect(secretPaths().map((path) => path.join("."))).toEqual([
      "photoprism.api.token",
      "ssh.key",
      "notify.ntfy.token",
      "notify.webhook.url",
      "notify.webhook.secret",
      "web.auth.passwordHash",
    ]);
  });

  it("shows no secret in any response, stream or log line, even after failures", async () => {
    const loggedIn = await client.logIn(SECRETS.password!);
    const calls = new Set<string>();
    const call = async (method: string, template: string, path: string, body?: unknown) => {
      calls.add(`${method} ${template}`);
      return client.call(path, { method, body });
    };

    // Failed logins: the wrong password is not ours, but the body must not be logged.
    const wrong = await client.call("/api/login", {
      method: "POST",
      body: { password: `${SECRETS.password}-wrong` },
    });
    if (loggedIn) expect(wrong.status).toBe(401);

    const doc = JSON.parse(
      (await call("GET", "openapi", "/api/docs/openapi.json")).text,
    ) as unknown;
    const routes = routesOf(doc);
    expect(routes.length).toBeGreaterThan(15);

    // Writes that reach the outside: each test talks to the hostile server or fails.
    for (const target of ["nextcloud", "photoprism", "notify"]) {
      await call("POST", `/api/test/${target}`, `/api/test/${target}`, {});
    }
    await until(() => hostile.transcript().includes(SECRETS.ntfyToken!), "the ntfy test", 20_000);

    // Config: a refused edit quoting a new secret, a stale one, then a good secret change.
    const config = JSON.parse((await call("GET", "/api/config", "/api/config")).text) as {
      hash: string;
    };
    const refused = await call("PUT", "/api/config", "/api/config", {
      baseHash: config.hash,
      edits: [{ path: ["notify", "webhook", "url"], value: `not a url ${SECRETS.refusedUrl}` }],
    });
    expect(refused.status).toBe(422);
    const stale = await call("PUT", "/api/config", "/api/config", {
      baseHash: "0".repeat(64),
      edits: [{ path: ["notify", "ntfy", "token"], value: SECRETS.editedToken }],
    });
    expect(stale.status).toBe(409);
    const edited = await call("PUT", "/api/config", "/api/config", {
      baseHash: config.hash,
      edits: [
        { path: ["notify", "ntfy", "token"], value: SECRETS.editedToken },
        { path: ["history", "keepDays"], value: 60 },
      ],
    });
    expect(edited.status).toBe(200);

    // A whole run that fails at PhotoPrism's API (the hostile server refuses the token).
    world.add("bob", "Photos/leak-scan.jpg");
    const streamed = client.readStream("/api/events", 1500);
    await call("POST", "/api/sync/trigger", "/api/sync/trigger", { reason: "leak scan" });
    await streamed;
    await until(() => running!.service.status().lastRun?.outcome === "failed", "the failed run");
    await until(() => running!.service.status().state === "idle", "the run to end");
    await until(() => hostile.transcript().includes(SECRETS.photoprismToken!), "the API call");
    // The failed run is announced with the edited token: the edit took effect.
    await until(() => hostile.transcript().includes(SECRETS.editedToken!), "the run's alert");
    await call("POST", "/api/sync/pause", "/api/sync/pause", {});
    await call("POST", "/api/sync/resume", "/api/sync/resume", {});

    // Tokens (when access control is there): the new token is shown once, then must not be.
    const minted = await call("POST", "/api/tokens", "/api/tokens", {
      name: "leak",
      scope: "read",
    });
    let tokenId = "1";
    if (minted.status === 201) {
      const { id, token } = JSON.parse(minted.text) as { id: number | string; token: string };
      tokenId = String(id);
      client.exchanges.pop(); // the one answer allowed to carry it
      SECRETS.mintedToken = token;
      const byToken = await client.call("/api/status", {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(byToken.status).toBe(200);
    }

    // Everything else the server lists, with a real run id where one is needed.
    const runId = String(running!.service.runs({ limit: 1, offset: 0 }).items[0]!.id);
    for (const route of routes) {
      if (route.path === "/api/events" || route.path === "/api/logout") continue;
      if (route.method === "DELETE" && route.path === "/api/tokens/{id}") {
        await call("DELETE", route.path, fillPath(route.path, { id: tokenId }));
        continue;
      }
      if (calls.has(`${route.method} ${route.path}`)) continue;
      const path = fillPath(route.path, { id: runId });
      await call(route.method, route.path, path, route.method === "GET" ? undefined : {});
    }
    for (const path of ["/metrics", "/healthz", "/api/runs?limit=5", "/api/logs?name=leak"]) {
      await client.call(path);
    }
    // The audit trail names each admin action; the secret change only as a marker.
    const audit = JSON.parse((await client.call("/api/audit?limit=200")).text) as {
      items: { action: string; actor: string; ip: string; detail: unknown }[];
    };
    const actions = audit.items.map((item) => item.action);
    for (const action of ["config-change", "sync-trigger", "sync-pause", "sync-resume"]) {
      expect(actions, action).toContain(action);
    }
    expect(actions).toContain("notify-test");
    const change = audit.items.find((item) => item.action === "config-change")!;
    expect(change.ip).toBe("127.0.0.1");
    expect(change.detail).toMatchObject({
      changes: expect.arrayContaining([
        { path: "notify.ntfy.token", from: "(secret)", to: "(secret changed)" },
        { path: "history.keepDays", from: 90, to: 60 },
      ]) as unknown,
    });
    await client.call("/api/logout", { method: "POST" });

    // The secrets really went out where they belong: the scan below is not vacuous.
    const sent = hostile.transcript();
    for (const name of ["photoprismToken", "ntfyToken", "webhookPath", "webhookSecret"]) {
      expect(sent, name).toContain(SECRETS[name]);
    }

    const texts = [
      ...client.exchanges.map((exchange) => ({ where: exchange.what, text: exchange.text })),
      ...logLines.map((line, index) => ({ where: `log line ${index}`, text: line })),
    ];
    expect(findLeaks(texts, SECRETS)).toEqual([]);
    expect(logLines.length).toBeGreaterThan(10);
  });
});
