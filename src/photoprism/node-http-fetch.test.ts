import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { nodeHttpFetch } from "./node-http-fetch.js";

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return new URL(`http://127.0.0.1:${port}/x`);
}

describe("nodeHttpFetch", () => {
  it("sends method, headers and a string body, and returns status and text", async () => {
    let seen = "";
    const url = await serve((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        seen = `${request.method} ${String(request.headers["x-test"])} ${request.headers["content-length"]} ${body}`;
        response.writeHead(201);
        response.end("made");
      });
    });
    const response = await nodeHttpFetch(url, {
      method: "POST",
      headers: { "X-Test": "yes" },
      body: "é",
    });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe("made");
    expect(seen).toBe("POST yes 2 é");
  });

  it("answers 204 without a body", async () => {
    const url = await serve((_, response) => {
      response.writeHead(204);
      response.end();
    });
    const response = await nodeHttpFetch(url, {});
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("stops waiting when the signal aborts, before or during the call", async () => {
    const url = await serve(() => undefined);
    await expect(nodeHttpFetch(url, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(nodeHttpFetch(url, { signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });

  it("fails like fetch when nothing listens", async () => {
    const url = await serve(() => undefined);
    server?.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error: unknown = await nodeHttpFetch(url, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });

  it("refuses bodies other than strings", async () => {
    const url = await serve((_, response) => response.end());
    await expect(nodeHttpFetch(url, { body: new Uint8Array(1) })).rejects.toThrow(/string bodies/);
  });
});
