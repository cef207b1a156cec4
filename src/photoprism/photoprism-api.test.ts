import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { PhotoPrismApiError } from "./photoprism-api-error.js";
import { nodeHttpFetch, type FetchLike } from "./node-http-fetch.js";
import {
  PhotoPrismApi,
  PhotoPrismSha1Lookup,
  whereOf,
  type PhotoPrismApiOptions,
} from "./photoprism-api.js";

const token = "AbCdEf-123456-GhIjKl-789012";
const sha1 = "a0ae7738ef8268d56844a50045674e033b6e1fc0";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (request: Seen, response: ServerResponse) => void;

/** A stand-in for PhotoPrism on a local port that records every request. */
async function standIn(handler: Handler): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body,
      };
      seen.push(entry);
      handler(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const json = (response: ServerResponse, status: number, value: unknown): void => {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(value));
};

async function failure(promise: Promise<unknown>): Promise<PhotoPrismApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PhotoPrismApiError);
  const apiError = error as PhotoPrismApiError;
  const everything = `${apiError.message} ${apiError.hint} ${apiError.stack ?? ""} ${JSON.stringify(apiError)}`;
  expect(everything).not.toContain(token);
  return apiError;
}

const transports: [string, FetchLike][] = [
  ["node:http", nodeHttpFetch],
  ["global fetch", (input, init) => fetch(input, init)],
];

describe.each(transports)("over %s", (_, transport) => {
  const client = (options: Omit<PhotoPrismApiOptions, "fetch">) =>
    new PhotoPrismApi({ ...options, fetch: transport });

  describe("PhotoPrismApi.importFolder", () => {
    it("posts the batch folder as JSON with the app password as a Bearer token", async () => {
      const { url, seen } = await standIn((_, response) =>
        json(response, 200, { code: 200, message: "Import completed in 3 s" }),
      );
      const api = client({ url, token });
      const result = await api.importFolder(
        "photoferry-20240501-101010-abcd",
        {
          move: true,
          albums: ["anna"],
        },
        5_000,
      );
      expect(result.message).toBe("Import completed in 3 s");
      expect(seen).toHaveLength(1);
      const [request] = seen;
      expect(request?.method).toBe("POST");
      expect(request?.url).toBe("/api/v1/import/");
      expect(request?.headers.authorization).toBe(`Bearer ${token}`);
      expect(request?.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(request?.body ?? "")).toEqual({
        path: "photoferry-20240501-101010-abcd",
        move: true,
        albums: ["anna"],
      });
    });

    it("keeps PhotoPrism's site path in front of /api/v1", async () => {
      const { url, seen } = await standIn((_, response) => json(response, 200, {}));
      await client({ url: `${url}/photos/`, token }).importFolder(
        "b1",
        { move: true, albums: [] },
        5_000,
      );
      expect(seen[0]?.url).toBe("/photos/api/v1/import/");
    });

    it.each([
      [401, "unauthorized", /Apps and Devices/],
      [403, "forbidden", /admin user.*files/],
      [400, "bad-request", /did not accept/],
      [404, "not-found", /import folder/],
      [500, "transient", /busy/],
      [502, "transient", /busy/],
      [429, "transient", /busy/],
      [418, "protocol", /photoprism\.api\.url/],
    ] as const)("HTTP %i is a %s error with a hint", async (status, kind, hint) => {
      const { url } = await standIn((_, response) => json(response, status, { error: "Nope" }));
      const api = client({ url, token });
      const error = await failure(api.importFolder("b1", { move: true, albums: [] }, 5_000));
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.hint).toMatch(hint);
      expect(error.message).toContain('("Nope")');
      expect(error.transient).toBe(kind === "transient");
    });

    it("never repeats the token, even when PhotoPrism's error text contains it", async () => {
      const { url } = await standIn((_, response) =>
        json(response, 401, { error: `token ${token} is invalid` }),
      );
      const error = await failure(
        client({ url, token }).importFolder("b1", { move: true, albums: [] }, 5_000),
      );
      expect(error.message).toContain("[app password]");
    });

    it("cancels the import with DELETE /api/v1/import when it runs out of time", async () => {
      const { url, seen } = await standIn((request, response) => {
        if (request.method === "DELETE") json(response, 200, { message: "Import canceled" });
        // The POST is never answered: PhotoPrism is still importing.
      });
      const api = client({ url, token });
      const started = Date.now();
      const error = await failure(api.importFolder("b1", { move: true, albums: [] }, 300));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.kind).toBe("timeout");
      expect(error.message).toMatch(/asked PhotoPrism to cancel it/);
      const cancel = seen.find((request) => request.method === "DELETE");
      expect(cancel?.url).toBe("/api/v1/import");
      expect(cancel?.headers.authorization).toBe(`Bearer ${token}`);
    });

    it("says so when the cancel after a timeout failed too", async () => {
      const { url } = await standIn((request, response) => {
        if (request.method === "DELETE") json(response, 403, { error: "Permission denied" });
      });
      const error = await failure(
        client({ url, token }).importFolder("b1", { move: true, albums: [] }, 200),
      );
      expect(error.kind).toBe("timeout");
      expect(error.message).toMatch(/could not cancel it/);
    });

    it("refuses a path outside the import folder before sending anything", async () => {
      const { url, seen } = await standIn((_, response) => json(response, 200, {}));
      const api = client({ url, token });
      for (const path of ["", "/etc", "../originals", "a/../../b"]) {
        await expect(api.importFolder(path, { move: true, albums: [] }, 1_000)).rejects.toThrow(
          /not a folder inside/,
        );
      }
      expect(seen).toHaveLength(0);
    });
  });

  describe("PhotoPrismApi.fileBySha1", () => {
    const file = {
      UID: "fs6sg6bw45bnlqdw",
      PhotoUID: "ps6sg6be2lvl0yh7",
      Name: "2018/09/20180905_184959_E7DA90C6.png",
      Root: "/",
      Hash: sha1,
      Size: 1234,
    };

    it("returns where PhotoPrism keeps the content", async () => {
      const { url, seen } = await standIn((_, response) => json(response, 200, file));
      const found = await client({ url, token }).fileBySha1(sha1);
      expect(found).toEqual({
        name: file.Name,
        root: "/",
        photoUid: file.PhotoUID,
        size: 1234,
        hash: sha1,
      });
      expect(seen[0]?.url).toBe(`/api/v1/files/${sha1}`);
      expect(seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
    });

    it("returns null for unknown content (404)", async () => {
      const { url } = await standIn((_, response) =>
        json(response, 404, { error: "Entity not found" }),
      );
      expect(await client({ url, token }).fileBySha1(sha1)).toBeNull();
    });

    it("refuses an answer that is not PhotoPrism's file, or for another hash", async () => {
      const answers = [
        (response: ServerResponse) => {
          response.writeHead(200, { "Content-Type": "text/html" });
          response.end("<html>Welcome to nginx</html>");
        },
        (response: ServerResponse) => json(response, 200, { ...file, Hash: "0".repeat(40) }),
        (response: ServerResponse) => json(response, 200, { Hash: sha1 }),
      ];
      for (const answer of answers) {
        const { url } = await standIn((_, response) => answer(response));
        const error = await failure(client({ url, token }).fileBySha1(sha1));
        expect(error.kind).toBe("protocol");
      }
    });

    it("refuses something that is not a SHA-1 without asking", async () => {
      const { url, seen } = await standIn((_, response) => json(response, 200, file));
      const api = client({ url, token });
      await expect(api.fileBySha1("../status")).rejects.toThrow(/not a SHA-1/);
      await expect(api.fileBySha1(sha1.slice(1))).rejects.toThrow(/not a SHA-1/);
      expect(seen).toHaveLength(0);
    });

    it("reports 401 and 5xx with their kinds", async () => {
      for (const [status, kind] of [
        [401, "unauthorized"],
        [503, "transient"],
      ] as const) {
        const { url } = await standIn((_, response) => json(response, status, {}));
        expect((await failure(client({ url, token }).fileBySha1(sha1))).kind).toBe(kind);
      }
    });

    it("gives up after its time limit", async () => {
      const { url } = await standIn(() => undefined);
      const api = client({ url, token, requestTimeoutMs: 200 });
      const error = await failure(api.fileBySha1(sha1));
      expect(error.kind).toBe("timeout");
    });

    it("is the planner's PhotoPrism look-up, answering with an originals path", async () => {
      const { url } = await standIn((_, response) => json(response, 200, file));
      const lookup = new PhotoPrismSha1Lookup(client({ url, token }));
      expect(await lookup.findBySha1(sha1)).toEqual({
        where: "originals/2018/09/20180905_184959_E7DA90C6.png",
      });
    });
  });

  describe("PhotoPrismApi, other calls and faults", () => {
    it("reads the status", async () => {
      const { url, seen } = await standIn((_, response) =>
        json(response, 200, { status: "operational" }),
      );
      expect(await client({ url, token }).status()).toEqual({ status: "operational" });
      expect(seen[0]?.url).toBe("/api/v1/status");
    });

    it("reports an unreachable PhotoPrism as transient, without the token", async () => {
      const { url, server } = await standIn(() => undefined);
      server.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const error = await failure(client({ url, token }).status());
      expect(error.kind).toBe("transient");
      expect(error.message).toMatch(/could not reach PhotoPrism at http:\/\/127\.0\.0\.1:\d+/);
      expect(error.message).toContain("ECONNREFUSED");
    });
  });
});

describe("PhotoPrismApi, without a server", () => {
  it("works with an injected fetch", async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = (input) => {
      calls.push(input instanceof URL ? input.href : JSON.stringify(input));
      return Promise.resolve(new Response('{"status":"operational"}', { status: 200 }));
    };
    await new PhotoPrismApi({ url: "http://photoprism:2342", token, fetch: fakeFetch }).status();
    expect(calls).toEqual(["http://photoprism:2342/api/v1/status"]);
  });

  it("refuses a bad URL or an empty app password", () => {
    expect(() => new PhotoPrismApi({ url: "ftp://x", token })).toThrow(/http\(s\)/);
    expect(() => new PhotoPrismApi({ url: "not a url", token })).toThrow(/http\(s\)/);
    expect(() => new PhotoPrismApi({ url: "http://admin:pw@photoprism", token })).toThrow(
      /user name or password/,
    );
    expect(() => new PhotoPrismApi({ url: "http://photoprism", token: " " })).toThrow(/empty/);
    for (const bad of [`${token}\n`, `a ${token}`, `${token}é`]) {
      let message = "";
      try {
        new PhotoPrismApi({ url: "http://photoprism", token: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/line breaks/);
      expect(message).not.toContain(token);
    }
  });

  it("names other roots than originals", () => {
    expect(whereOf({ name: "2024/05/a.jpg", root: "/" })).toBe("originals/2024/05/a.jpg");
    expect(whereOf({ name: "2024/05/a.jpg", root: "" })).toBe("originals/2024/05/a.jpg");
    expect(whereOf({ name: "x/a.jpg", root: "sidecar" })).toBe("sidecar/x/a.jpg");
  });
});
