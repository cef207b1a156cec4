import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Where `vite build` puts the web UI. The same relative path works from `src/api/` (tests)
 * and `dist/api/` (the package): both are two levels below the package root.
 */
export const DEFAULT_UI_DIR = fileURLToPath(new URL("../../dist/web/", import.meta.url));

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>photoferry</title>
<body><h1>photoferry</h1><p>The web UI is not built in this copy. Run <code>npm run build</code>,
then restart. The API works meanwhile: <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/**
 * Serves the single-page app: hashed assets with a long cache life, and `index.html` for any
 * other GET that a browser navigates to (`/runs/12`, linked from notifications), so deep
 * links work. API paths keep their JSON 404.
 */
export async function registerWebUi(app: FastifyInstance, uiDir = DEFAULT_UI_DIR): Promise<void> {
  const built = existsSync(`${uiDir}/index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root: uiDir,
      wildcard: false,
      index: false,
      setHeaders: (response, filePath) => {
        response.header(
          "cache-control",
          filePath.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
        );
      },
    });
  }
  app.get("/", { schema: { hide: true } }, (_request, reply) => sendIndex(reply, built));
}

/** True for a browser navigation the app handles itself (not the API, not a file). */
export function isAppNavigation(request: FastifyRequest): boolean {
  const path = request.url.split("?")[0] ?? "";
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (path.startsWith("/api/") || path === "/api" || path === "/metrics" || path === "/healthz")
    return false;
  if (/\.[a-z0-9]+$/i.test(path)) return false;
  return (request.headers.accept ?? "").includes("text/html");
}

export function sendIndex(reply: FastifyReply, built: boolean): FastifyReply {
  void reply.header("cache-control", "no-cache");
  if (!built) return reply.type("text/html; charset=utf-8").send(NOT_BUILT_PAGE);
  return reply.sendFile("index.html");
}
