/**
 * The REST endpoints photoferry uses (reference/photoprism.md §3): status, the synchronous
 * folder import, cancel, and file lookup by SHA-1, with PhotoPrism's auth, read-only and
 * busy-lock behaviour. One Activity per server, as one PhotoPrism process has one lock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { basename, join } from "node:path";
import { Activity } from "./activity.js";
import { authorize, type AuthDecision } from "./app-passwords.js";
import { runImport, type ImportRunContext } from "./import-run.js";
import { plural } from "./index-run.js";
import { cleanLog } from "./log-format.js";
import type { SimConfig } from "./sim-config.js";
import { SimStore } from "./sim-store.js";
import { cleanUserPath } from "./user-path.js";

export type ServerContext = Omit<ImportRunContext, "activity" | "store" | "originalsPath"> & {
  readonly config: SimConfig;
};

const MAX_BODY_BYTES = 1 << 20;

export function createSimServer(ctx: ServerContext): Server {
  const activity = new Activity();
  const store = new SimStore(ctx.config.storagePath);
  const importCtx: ImportRunContext = {
    ...ctx,
    activity,
    store,
    originalsPath: ctx.config.originalsPath,
  };
  return createServer((req, res) => {
    handle(ctx, importCtx, req, res).catch((error: unknown) => {
      ctx.logger.log("error", `server: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, { code: 500, error: "Something went wrong, try again" });
      else res.end();
    });
  });
}

async function handle(
  ctx: ServerContext,
  importCtx: ImportRunContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname;
  const method = req.method ?? "GET";
  const store = importCtx.store;
  const token = presentedToken(req);
  const denied = (decision: AuthDecision): boolean => {
    if (decision === "ok") return false;
    if (decision === "unauthorized") send(res, 401, { code: 401, error: "Unauthorized" });
    else send(res, 403, { code: 403, error: "Permission denied" });
    return true;
  };

  if (path === "/api/v1/status" && method === "GET") {
    return send(res, 200, { status: "operational" });
  }
  if (path === "/api/v1/import" && method === "POST") {
    res.writeHead(307, { Location: "/api/v1/import/" }).end();
    return;
  }
  if (path === "/api/v1/import" && method === "DELETE") {
    if (denied(authorize(store, token, "files", false))) return;
    if (ctx.config.readOnly) return send(res, 403, { code: 403, error: "Feature disabled" });
    importCtx.activity.cancel();
    return send(res, 200, { code: 200, message: "Import canceled" });
  }
  if (path.startsWith("/api/v1/import/") && method === "POST") {
    if (denied(authorize(store, token, "files", false))) return;
    if (ctx.config.readOnly) return send(res, 403, { code: 403, error: "Feature disabled" });
    const form = await readImportForm(req);
    if (form === null) return send(res, 400, { code: 400, error: "Unable to do that" });
    if (denied(authorize(store, token, "files", true))) return;
    const tail = decodeURIComponent(path.slice("/api/v1/import/".length));
    return send(res, 200, await importFolder(ctx, importCtx, tail, form));
  }
  const file = /^\/api\/v1\/files\/([^/]+)$/.exec(path);
  if (file !== null && method === "GET") {
    if (denied(authorize(store, token, "files", false))) return;
    const hash = decodeURIComponent(file[1] ?? "").toLowerCase();
    const entity = store.fileByHash(hash);
    if (entity === undefined) return send(res, 404, { code: 404, error: "Entity not found" });
    return send(res, 200, entity);
  }
  send(res, 404, { code: 404, error: "Not found" });
}

interface ImportForm {
  path: string;
  move: boolean;
  albums: string[];
}

async function importFolder(
  ctx: ServerContext,
  importCtx: ImportRunContext,
  tail: string,
  form: ImportForm,
): Promise<{ code: 200; message: string }> {
  const started = Date.now();
  const { config, logger } = ctx;
  const srcFolder = cleanUserPath(tail !== "" ? tail : form.path);
  const importPath = join(config.importPath, srcFolder);
  const base = cleanLog(basename(importPath));
  logger.log("info", `${form.move ? "Moving" : "Copying"} files from ${base}`);
  if (form.albums.length > 0) {
    logger.log("debug", `import: adding files to album ${cleanLog(form.albums.join(" and "))}`);
  }
  const walked = await runImport(importCtx, {
    importPath,
    configImportPath: config.importPath,
    destFolder: config.importDest,
    move: form.move,
    albums: form.albums,
  });
  if (srcFolder !== "" && importPath !== config.importPath) {
    const info = await ctx.fs.info(importPath);
    if (info?.isDirectory === true && (await ctx.fs.list(importPath)).length === 0) {
      try {
        await ctx.fs.removeEmptyDir(importPath);
        logger.log("info", `import: deleted empty folder ${cleanLog(importPath)}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.log(
          "error",
          `import: failed to delete empty folder ${cleanLog(importPath)}: ${reason}`,
        );
      }
    }
  }
  if (walked === 0)
    logger.log("info", `import: found no new files to import from ${cleanLog(importPath)}`);
  else logger.log("info", `import: imported ${plural(walked, "file")}`);
  const elapsed = Math.floor((Date.now() - started) / 1000);
  return { code: 200, message: `Import completed in ${elapsed} s` };
}

function presentedToken(req: IncomingMessage): string | null {
  const authorization = req.headers.authorization;
  if (typeof authorization === "string") {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (m !== null) return m[1] ?? null;
  }
  for (const name of ["x-auth-token", "x-session-id"]) {
    const value = req.headers[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return null;
}

/** gin's BindJSON of form.ImportOptions: a JSON object (`{}` allowed) or 400. */
async function readImportForm(req: IncomingMessage): Promise<ImportForm | null> {
  const type = req.headers["content-type"] ?? "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  if (!/^application\/json\s*(;|$)/i.test(type)) return null;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const { path = "", move = false, albums = [] } = body as Record<string, unknown>;
  if (typeof path !== "string" || typeof move !== "boolean") return null;
  if (albums !== null && !(Array.isArray(albums) && albums.every((a) => typeof a === "string"))) {
    return null;
  }
  return { path, move, albums: albums ?? [] };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
