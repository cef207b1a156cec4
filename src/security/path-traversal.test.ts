import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_UI_DIR } from "../api/ui-static.js";
import { buildForChildProcess } from "../test-support/child-build.js";
import { ApiClient } from "./test-support/api-client.js";
import { rawRequest } from "./test-support/raw-request.js";
import { serveWorld, type ServedWorld } from "./test-support/serve-world.js";

// Every parameter that names a file, or could be read as one, stays inside its root.
// Requests go out byte for byte (`rawRequest`): fetch would resolve the `..` itself.

let served: ServedWorld;
let client: ApiClient;
const packageJson = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
/** Text only the files a traversal would reach contain. */
const outsideMarkers = ["root:x:0:0", '"devDependencies"', packageJson.slice(0, 60)];

beforeAll(async () => {
  served = await serveWorld(buildForChildProcess());
  client = new ApiClient(served.running.url);
}, 180_000);
afterAll(async () => {
  await served?.close();
});

function expectContained(reply: { status: number; body: string }, what: string): void {
  for (const marker of outsideMarkers) expect(reply.body, what).not.toContain(marker);
  expect(reply.status, what).not.toBe(500);
}

describe("paths from requests stay under their roots", { timeout: 60_000 }, () => {
  it("serves no file outside the web UI's folder, however the path is spelled", async () => {
    // Without a built UI there is no static handler to attack; the build is part of CI.
    expect(existsSync(`${DEFAULT_UI_DIR}/index.html`)).toBe(true);
    // The static handler is live: a real file of the UI comes back.
    const favicon = await rawRequest(served.running.url, "/favicon.svg");
    expect(favicon.status).toBe(200);
    expect(favicon.body).toContain("<svg");
    const attempts = [
      "/..%2f..%2fetc/passwd",
      "/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
      "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
      "/assets/../../package.json",
      "/assets/..%2f..%2fpackage.json",
      "/assets/%2e%2e%2f%2e%2e%2fpackage.json",
      "/assets/..%5c..%5cpackage.json",
      "/..;/..;/package.json",
      "/index.html/../../package.json",
      "/%252e%252e/%252e%252e/package.json",
      "/assets/%00../../package.json",
      "//etc/passwd",
      "/api/../../package.json",
    ];
    for (const path of attempts) {
      for (const accept of ["*/*", "text/html"]) {
        const reply = await rawRequest(served.running.url, path, { headers: { accept } });
        expectContained(reply, `${path} (${accept})`);
      }
    }
  });

  it("takes run ids only as numbers", async () => {
    for (const id of ["..%2f..%2fetc%2fpasswd", "../1", "1%2f..%2f..", "1.5", "-1", "0x10"]) {
      const reply = await rawRequest(served.running.url, `/api/runs/${id}`);
      expectContained(reply, id);
      expect([400, 404], id).toContain(reply.status);
    }
  });

  it("treats log filters as text to look for, never as paths", async () => {
    for (const name of ["../../../../etc/passwd", "/etc/passwd", "..\\..\\package.json"]) {
      const query = `name=${encodeURIComponent(name)}&user=${encodeURIComponent("../..")}`;
      for (const route of ["/api/logs", "/api/logs.csv"]) {
        const reply = await rawRequest(served.running.url, `${route}?${query}`);
        expectContained(reply, `${route} ${name}`);
        expect(reply.status, `${route} ${name}`).toBeLessThan(500);
      }
    }
  });

  it("refuses config edits whose paths climb out of their roots", async () => {
    await client.logIn("");
    const edits: [string[], unknown][] = [
      [["nextcloud", "archiveDir"], "../../"],
      [["nextcloud", "archiveDir"], "Archive/../../../etc"],
      [["nextcloud", "dataDir"], "relative/../data"],
      [["state", "dir"], "../state"],
      [["photoprism", "importDir"], "import"],
      [["nextcloud", "sourceFolders"], ["../other-user/files"]],
    ];
    for (const [path, value] of edits) {
      const { hash } = JSON.parse((await client.call("/api/config")).text) as { hash: string };
      const reply = await client.call("/api/config", {
        method: "PUT",
        body: { baseHash: hash, edits: [{ path, value }] },
      });
      expect(reply.status, `${path.join(".")} = ${JSON.stringify(value)}`).toBe(422);
    }
  });
});
