/**
 * Helpers for tests and `photoferry demo`: lay out a simulated PhotoPrism (originals, import,
 * storage), run its REST server in-process, create app passwords, and read its index.
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { addSecret } from "./app-passwords.js";
import { parseLogLevel, streamLogger } from "./log-format.js";
import type { SimConfig } from "./sim-config.js";
import { nodeSimFs, type SimFs } from "./sim-fs.js";
import { SimStore, type SimAlbum, type SimFileEntity } from "./sim-store.js";
import { createSimServer } from "./server.js";

export interface SimulatedPhotoPrism {
  readonly root: string;
  readonly originalsPath: string;
  readonly importPath: string;
  readonly storagePath: string;
  /** `[node, photoprism-sim.js, --originals-path, …, --storage-path, …]`; append a command. */
  readonly argv: readonly string[];
}

/** The compiled program beside this module (dist/simulators/photoprism/photoprism-sim.js). */
export const SIM_PROGRAM = fileURLToPath(new URL("./photoprism-sim.js", import.meta.url));

/**
 * Creates `<root>/originals`, `<root>/import` and `<root>/storage`. `program` overrides the
 * simulator script (tests that run from sources pass the one from buildForChildProcess()).
 */
export function createSimulatedPhotoPrism(options: {
  root: string;
  program?: string;
}): SimulatedPhotoPrism {
  const originalsPath = join(options.root, "originals");
  const importPath = join(options.root, "import");
  const storagePath = join(options.root, "storage");
  for (const dir of [originalsPath, importPath, storagePath]) mkdirSync(dir, { recursive: true });
  return {
    root: options.root,
    originalsPath,
    importPath,
    storagePath,
    argv: [
      process.execPath,
      options.program ?? SIM_PROGRAM,
      "--originals-path",
      originalsPath,
      "--import-path",
      importPath,
      "--storage-path",
      storagePath,
    ],
  };
}

export interface SimServerOptions {
  readonly originalsPath: string;
  readonly importPath: string;
  readonly storagePath: string;
  readonly importDest?: string;
  readonly readOnly?: boolean;
  readonly disableRaw?: boolean;
  readonly delayPerFileMs?: number;
  readonly logLevel?: string;
  /** Receives each log line; the default keeps them in `logs`. */
  readonly onLog?: (line: string) => void;
  /** File-system adapter, for fault injection. */
  readonly fs?: SimFs;
}

export interface RunningSimServer {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  readonly logs: readonly string[];
  close(): Promise<void>;
  /** Like `photoprism auth add -n NAME -s SCOPE [USER]`; returns the secret. */
  createAppPassword(options?: { name?: string; scope?: string; user?: string | null }): string;
}

/** Starts the REST server on 127.0.0.1, a free port. */
export async function startPhotoPrismSimServer(
  options: SimServerOptions,
): Promise<RunningSimServer> {
  const logs: string[] = [];
  const config: SimConfig = {
    originalsPath: options.originalsPath,
    importPath: options.importPath,
    storagePath: options.storagePath,
    importDest: options.importDest ?? "",
    readOnly: options.readOnly ?? false,
    disableRaw: options.disableRaw ?? false,
    httpHost: "127.0.0.1",
    httpPort: 0,
    logLevel: parseLogLevel(options.logLevel),
    delayPerFileMs: options.delayPerFileMs ?? 0,
  };
  const server = createSimServer({
    config,
    fs: options.fs ?? nodeSimFs,
    logger: streamLogger((line) => (options.onLog ?? ((l) => logs.push(l)))(line), config.logLevel),
    now: () => new Date(),
    disableRaw: config.disableRaw,
    delayPerFileMs: config.delayPerFileMs,
    sleep: (ms) => sleep(ms),
  });
  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ready());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
    createAppPassword: (o = {}) => createAppPassword(options.storagePath, o),
  };
}

/** Same store as `auth add`; `user: null` makes a client access token (no user, role none). */
export function createAppPassword(
  storagePath: string,
  options: { name?: string; scope?: string; user?: string | null } = {},
): string {
  return addSecret(new SimStore(storagePath), {
    name: options.name ?? "photoferry",
    scope: options.scope ?? "*",
    userName: options.user === undefined ? "admin" : options.user,
    expiresSeconds: -1,
  }).secret;
}

/** Every File entity in the simulator's index. */
export function readSimFiles(storagePath: string): SimFileEntity[] {
  return new SimStore(storagePath).read().files;
}

export function readSimFileByHash(storagePath: string, sha1: string): SimFileEntity | undefined {
  return new SimStore(storagePath).fileByHash(sha1);
}

export function readSimAlbums(storagePath: string): SimAlbum[] {
  return new SimStore(storagePath).read().albums;
}

/** Titles of the albums a photo is in. */
export function albumsOfPhoto(storagePath: string, photoUid: string): string[] {
  return readSimAlbums(storagePath)
    .filter((a) => a.PhotoUIDs.includes(photoUid))
    .map((a) => a.Title);
}

export type { SimAlbum, SimFileEntity };
