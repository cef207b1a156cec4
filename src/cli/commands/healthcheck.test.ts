import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fakeIo } from "../../test-support/fake-io.js";
import { healthcheckCommand, healthzUrl } from "./healthcheck.js";

describe("healthzUrl", () => {
  it("uses web.port, and 127.0.0.1 for a wildcard or missing host", () => {
    expect(healthzUrl("web:\n  port: 9090\n  host: 0.0.0.0\n")).toBe(
      "http://127.0.0.1:9090/healthz",
    );
    expect(healthzUrl("web: { port: 81 }")).toBe("http://127.0.0.1:81/healthz");
    expect(healthzUrl("web: { host: '::', port: 81 }")).toBe("http://127.0.0.1:81/healthz");
  });

  it("asks a specific host, bracketing IPv6", () => {
    expect(healthzUrl("web: { host: 10.0.0.5 }")).toBe("http://10.0.0.5:8080/healthz");
    expect(healthzUrl("web: { host: '::1', port: 8081 }")).toBe("http://[::1]:8081/healthz");
  });

  it("falls back to port 8080 for a missing, broken or nonsensical config", () => {
    for (const text of [undefined, "", "web: [", "web: 3", "web: { port: 0 }", "web: { port: x }"])
      expect(healthzUrl(text)).toBe("http://127.0.0.1:8080/healthz");
  });
});

describe("photoferry healthcheck", () => {
  let server: Server | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A /healthz that answers `status`, or never answers when status is null. */
  async function serveHealth(status: number | null): Promise<number> {
    server = createServer((req, res) => {
      if (status === null) return; // hang
      res.writeHead(req.url === "/healthz" ? status : 404, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: status === 200, state: status === 200 ? "idle" : "error" }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  it("exits 0 on 200, reading the port from the config file", async () => {
    const port = await serveHealth(200);
    dir = mkdtempSync(join(tmpdir(), "pf-health-"));
    const config = join(dir, "photoferry.yaml");
    writeFileSync(config, `web:\n  port: ${port}\n`);
    const io = fakeIo({ PHOTOFERRY_CONFIG: config });
    expect(await healthcheckCommand.run([], io)).toBe(0);
    expect(io.out()).toContain('"state":"idle"');
  });

  it("exits 1 on 503 and says what answered", async () => {
    const port = await serveHealth(503);
    const io = fakeIo();
    const code = await healthcheckCommand.run(["--url", `http://127.0.0.1:${port}/healthz`], io);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/^unhealthy: .* answered 503 .*"state":"error"/);
  });

  it("exits 1 when nothing listens, and when the answer does not come in time", async () => {
    const port = await serveHealth(null);
    const slow = fakeIo();
    const args = ["--url", `http://127.0.0.1:${port}/healthz`, "--timeout", "0.2"];
    expect(await healthcheckCommand.run(args, slow)).toBe(1);
    expect(slow.err()).toContain("no answer within 0.2 s");
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const refused = fakeIo();
    expect(await healthcheckCommand.run(args, refused)).toBe(1);
    expect(refused.err()).toMatch(
      /did not answer \(.*ECONNREFUSED.*\); is photoferry serve running/,
    );
  });

  it("rejects a bad timeout", async () => {
    const io = fakeIo();
    expect(await healthcheckCommand.run(["--timeout", "0"], io)).toBe(2);
    expect(io.err()).toContain("--timeout");
  });
});
