import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  albumsOfPhoto,
  createSimulatedPhotoPrism,
  readSimFileByHash,
  startPhotoPrismSimServer,
  type RunningSimServer,
} from "./harness.js";
import { nodeSimFs } from "./sim-fs.js";

const servers: RunningSimServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setUp(
  extra: { readOnly?: boolean; delayPerFileMs?: number; fs?: typeof nodeSimFs } = {},
) {
  const pp = createSimulatedPhotoPrism({ root: mkdtempSync(join(tmpdir(), "pp-srv-")) });
  const server = await startPhotoPrismSimServer({ ...pp, ...extra });
  servers.push(server);
  const token = server.createAppPassword({ scope: "*" });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  return { pp, server, token, post };
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

describe("PhotoPrism simulator REST API", () => {
  it("reports status without auth", async () => {
    const { server } = await setUp();
    const res = await fetch(`${server.url}/api/v1/status`);
    expect(await res.json()).toEqual({ status: "operational" });
  });

  it("imports a sub-folder synchronously, records albums, removes the emptied folder", async () => {
    const { pp, server, post } = await setUp();
    mkdirSync(join(pp.importPath, "batch-1"));
    writeFileSync(join(pp.importPath, "batch-1", "a.jpg"), "alpha");
    const res = await post("/api/v1/import/batch-1", { move: true, albums: ["Holiday"] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 200, message: "Import completed in 0 s" });
    expect(existsSync(join(pp.importPath, "batch-1"))).toBe(false);
    expect(server.logs.join("")).toContain("import: deleted empty folder");
    const file = readSimFileByHash(pp.storagePath, sha1("alpha"));
    expect(file?.OriginalName).toBe("a.jpg");
    expect(albumsOfPhoto(pp.storagePath, file?.PhotoUID ?? "")).toEqual(["Holiday"]);
    const lookup = await fetch(`${server.url}/api/v1/files/${sha1("alpha")}`, {
      headers: { "X-Auth-Token": server.createAppPassword() },
    });
    expect(await lookup.json()).toMatchObject({ Name: file?.Name, Root: "/", Hash: sha1("alpha") });
    const missing = await fetch(`${server.url}/api/v1/files/${sha1("nope")}`, {
      headers: { Authorization: `Bearer ${server.createAppPassword()}` },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "Entity not found" });
  });

  it("takes the folder from the body path too, and copies without move", async () => {
    const { pp, post } = await setUp();
    mkdirSync(join(pp.importPath, "b"));
    writeFileSync(join(pp.importPath, "b", "x.png"), "png");
    expect((await post("/api/v1/import/", { path: "b" })).status).toBe(200);
    expect(readdirSync(join(pp.importPath, "b"))).toEqual(["x.png"]);
    expect(readSimFileByHash(pp.storagePath, sha1("png"))).toBeDefined();
  });

  it("refuses bad auth, a token without files scope or without a user, and bad bodies", async () => {
    const { server, post } = await setUp();
    const url = `${server.url}/api/v1/import/`;
    const json = { "Content-Type": "application/json" };
    expect((await fetch(url, { method: "POST", headers: json, body: "{}" })).status).toBe(401);
    const wrong = { ...json, Authorization: "Bearer nope" };
    expect((await fetch(url, { method: "POST", headers: wrong, body: "{}" })).status).toBe(401);
    const metrics = server.createAppPassword({ scope: "metrics" });
    const scoped = await fetch(url, {
      method: "POST",
      headers: { ...json, Authorization: `Bearer ${metrics}` },
      body: "{}",
    });
    expect(scoped.status).toBe(403);
    const clientOnly = server.createAppPassword({ user: null });
    const noUser = await fetch(url, {
      method: "POST",
      headers: { ...json, Authorization: `Bearer ${clientOnly}` },
      body: "{}",
    });
    expect(noUser.status).toBe(403);
    expect((await post("/api/v1/import/", {}, { "Content-Type": "text/plain" })).status).toBe(400);
    expect((await post("/api/v1/import/", { move: "yes" })).status).toBe(400);
    expect((await post("/api/v1/import/", [])).status).toBe(400);
  });

  it("answers 403 Feature disabled in read-only mode", async () => {
    const { post } = await setUp({ readOnly: true });
    const res = await post("/api/v1/import/", {});
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "Feature disabled" });
  });

  it("answers 200 with nothing imported while another import runs, and cancels", async () => {
    const { pp, server, token, post } = await setUp({ delayPerFileMs: 150 });
    mkdirSync(join(pp.importPath, "slow"));
    for (let i = 0; i < 8; i++) writeFileSync(join(pp.importPath, "slow", `p${i}.jpg`), `p${i}`);
    mkdirSync(join(pp.importPath, "other"));
    writeFileSync(join(pp.importPath, "other", "o.jpg"), "other");
    const slow = post("/api/v1/import/slow", { move: true });
    await new Promise((r) => setTimeout(r, 200));
    const busy = await post("/api/v1/import/other", { move: true });
    expect(await busy.json()).toEqual({ code: 200, message: "Import completed in 0 s" });
    expect(readdirSync(join(pp.importPath, "other"))).toEqual(["o.jpg"]);
    expect(server.logs.join("")).toContain('level=error msg="import: already running"');
    const cancel = await fetch(`${server.url}/api/v1/import`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await cancel.json()).toEqual({ code: 200, message: "Import canceled" });
    expect((await slow).status).toBe(200);
    const left = readdirSync(join(pp.importPath, "slow"));
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(8);
    expect(server.logs.join("")).toContain("level=error msg=canceled");
  });

  it("falls back to copy and delete when rename crosses file systems", async () => {
    const exdev = {
      ...nodeSimFs,
      rename: () =>
        Promise.reject(Object.assign(new Error("EXDEV: cross-device link"), { code: "EXDEV" })),
    };
    const { pp, post } = await setUp({ fs: exdev });
    writeFileSync(join(pp.importPath, "x.jpg"), "cross");
    expect((await post("/api/v1/import/", { move: true })).status).toBe(200);
    expect(readdirSync(pp.importPath)).toEqual([]);
    const file = readSimFileByHash(pp.storagePath, sha1("cross"));
    expect(existsSync(join(pp.originalsPath, file?.Name ?? "missing"))).toBe(true);
  });
});
