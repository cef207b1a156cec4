import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServiceEvent } from "../../service/service-contract.js";
import type { ApiDeps } from "../server.js";
import { errors, textBody } from "../schemas.js";

/** One Server-Sent Event; JSON has no raw newlines, so `data` is always a single line. */
export const sseMessage = (event: ServiceEvent): string =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

/**
 * A client that reads slower than progress arrives would make the server buffer without end;
 * past this it is dropped, and EventSource reconnects and starts from a fresh `state`.
 */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * `stillAuthorized` is asked at every heartbeat: a stream opened before a logout, a token's
 * revocation or a password change ends then instead of streaming on.
 */
export function registerEventRoutes(
  app: FastifyInstance,
  { service }: ApiDeps,
  heartbeatMs: number,
  stillAuthorized: (request: FastifyRequest) => boolean,
): void {
  const open = new Set<() => void>();
  // Streams never end by themselves, and the server's close waits for open connections.
  app.addHook("preClose", (done) => {
    for (const close of open) close();
    done();
  });

  app.get(
    "/api/events",
    {
      schema: {
        summary: "Live updates (Server-Sent Events): `state` first, then progress, runs and logs",
        tags: ["events"],
        response: {
          200: textBody("text/event-stream", "`event: <type>` and `data: <ServiceEvent JSON>`"),
          ...errors(),
        },
      },
    },
    (request, reply) => {
      reply.hijack();
      const response = reply.raw;
      // Hijacked: headers set by hooks (helmet) would not be sent unless written here.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) response.setHeader(name, value);
      }
      response.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        // nginx would otherwise hold events back until its buffer fills.
        "x-accel-buffering": "no",
      });
      let unsubscribe = (): void => {};
      // A comment line keeps proxies from closing an idle stream and lets clients see it alive.
      const heartbeat = setInterval(() => {
        if (stillAuthorized(request)) write(": heartbeat\n\n");
        else close();
      }, heartbeatMs);
      const close = (): void => {
        if (!open.delete(close)) return;
        clearInterval(heartbeat);
        unsubscribe();
        response.end();
      };
      const write = (text: string): void => {
        if (response.destroyed || response.writableEnded) return;
        if (response.writableLength > MAX_BUFFERED_BYTES) {
          request.log.warn("an event stream client reads too slowly; dropping it");
          close();
          return;
        }
        response.write(text);
      };
      open.add(close);
      response.on("close", close);
      write("retry: 5000\n\n");
      write(sseMessage({ type: "state", status: service.status() }));
      unsubscribe = service.subscribe((event) => write(sseMessage(event)));
      // The client may have gone while this ran; its "close" event is then already past.
      if (response.destroyed) close();
    },
  );
}
