import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/**
 * A server that refuses every request with 401 and echoes it whole (URL, headers, body) in
 * its answer: the worst case of a remote that repeats photoferry's credentials back. Any
 * photoferry error that quotes a response body would carry the secret out.
 */
export class HostileServer {
  readonly seen: SeenRequest[] = [];
  #server: Server | undefined;
  url = "";

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const seen = {
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        this.seen.push(seen);
        const echo = JSON.stringify({ error: `you sent ${JSON.stringify(seen)}` });
        response.writeHead(401, {
          "content-type": "application/json",
          "www-authenticate": `Bearer realm="${request.headers.authorization ?? ""}"`,
        });
        response.end(echo);
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Everything the server was sent, for checking that the secrets really went out. */
  transcript(): string {
    return JSON.stringify(this.seen);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
