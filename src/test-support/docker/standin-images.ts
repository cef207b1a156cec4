import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createSimulatedNextcloud } from "../../simulators/nextcloud/simulated-nextcloud.js";
import { setConfigValue } from "../../simulators/nextcloud/instance.js";
import { buildForChildProcess } from "../child-build.js";
import { imageExists } from "./base-image.js";
import { ensureNodeBaseImage } from "./build-image.js";
import type { TestDockerEngine } from "./docker-engine.js";

/** Where the simulators live inside both images. */
export const SIM_DIR = "/opt/photoferry-sim";
/** The stand-in Nextcloud's config.php `instanceid`: fixed, so tests can find the sim's state. */
export const STANDIN_INSTANCE_ID = "ocphotoferry0";
export const NEXTCLOUD_DATA_DIR = "/var/www/html/data";

export interface StandInImages {
  nextcloud: string;
  photoprism: string;
}

const ENTRIES = ["simulators/nextcloud/occ-sim.js", "simulators/photoprism/photoprism-sim.js"];
const repoDir = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * `photoferry-test/nextcloud` and `photoferry-test/photoprism`: the Node base image plus the
 * simulators, laid out like the official images (`php /var/www/html/occ` as uid 33, the
 * `photoprism` binary with PHOTOPRISM_* paths, its server as uid 1000). Tagged by a hash of
 * their content, so an engine builds them once and a changed simulator gets a new image.
 *
 * Made with `docker cp` + `docker commit` from one container rather than `docker build`: on
 * the vfs storage driver every build step copies the whole root filesystem (~2 minutes for
 * two Dockerfiles here), while this copies it three times.
 */
export async function ensureStandInImages(engine: TestDockerEngine): Promise<StandInImages> {
  const base = await ensureNodeBaseImage(engine);
  const context = mkdtempSync(join(tmpdir(), "pf-standins-"));
  try {
    const nextcloudRoot = join(context, "nextcloud");
    const photoprismRoot = join(context, "photoprism");
    copyModuleGraph(buildForChildProcess(), join(nextcloudRoot, SIM_DIR.slice(1)));
    writeFileSync(join(nextcloudRoot, SIM_DIR.slice(1), "package.json"), '{"type":"module"}');
    writeShim(nextcloudRoot, "php", "simulators/nextcloud/occ-sim.js");
    writeNextcloudRoot(join(nextcloudRoot, "var/www/html"));
    writeShim(photoprismRoot, "photoprism", "simulators/photoprism/photoprism-sim.js");
    for (const dir of ["originals", "import", "storage"])
      mkdirSync(join(photoprismRoot, "photoprism", dir), { recursive: true });
    const hash = contentHash(context, [base, JSON.stringify([NEXTCLOUD, PHOTOPRISM])]);
    const images = {
      nextcloud: `photoferry-test/nextcloud:${hash}`,
      photoprism: `photoferry-test/photoprism:${hash}`,
    };
    if (
      (await imageExists(engine, images.nextcloud)) &&
      (await imageExists(engine, images.photoprism))
    )
      return images;
    // Owners as the official images have them; `docker cp -a` keeps them.
    chownTree(join(nextcloudRoot, "var/www/html"), 33);
    chownTree(join(photoprismRoot, "photoprism"), 1000);
    const docker = (...args: string[]) =>
      execFileSync("docker", args, { env: engine.cliEnv, encoding: "utf8", stdio: "pipe" });
    const builder = `pf-standin-build-${hash}`;
    docker("rm", "-f", builder);
    docker(
      "run",
      "-d",
      "--name",
      builder,
      "--network",
      "none",
      "--init",
      base,
      "sleep",
      "infinity",
    );
    try {
      const layer = (root: string, setup: string, tag: string, changes: string[]) => {
        docker("exec", builder, "sh", "-c", setup);
        docker("cp", "-a", `${root}/.`, `${builder}:/`);
        docker("commit", "--pause=false", ...changes.flatMap((c) => ["--change", c]), builder, tag);
      };
      layer(nextcloudRoot, NEXTCLOUD.setup, images.nextcloud, NEXTCLOUD.changes);
      layer(photoprismRoot, PHOTOPRISM.setup, images.photoprism, PHOTOPRISM.changes);
    } finally {
      docker("rm", "-f", builder);
    }
    return images;
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

function writeShim(root: string, name: string, program: string): void {
  const path = join(root, "usr/local/bin", name);
  mkdirSync(dirname(path), { recursive: true });
  // `exec`, so the simulator is the process docker exec waits for and signals.
  writeFileSync(path, `#!/bin/sh\nexec node ${SIM_DIR}/${program} "$@"\n`, { mode: 0o755 });
}

// Debian's base-passwd already has www-data as uid/gid 33, as the official Nextcloud image.
const NEXTCLOUD = {
  setup: "grep -q '^www-data:x:33:33:' /etc/passwd",
  changes: ["WORKDIR /var/www/html", 'CMD ["sleep", "infinity"]'],
};

// Like PhotoPrism's entrypoint: the server drops to PHOTOPRISM_UID (1000) with setpriv, while
// `docker exec` without -u stays root — which is why photoferry passes the user explicitly.
const PHOTOPRISM = {
  setup:
    "rm -rf /usr/local/bin/php /var/www && " +
    "echo 'photoprism:x:1000:1000:PhotoPrism:/photoprism:/bin/sh' >> /etc/passwd && " +
    "echo 'photoprism:x:1000:' >> /etc/group",
  changes: [
    "WORKDIR /photoprism",
    "ENV PHOTOPRISM_ORIGINALS_PATH=/photoprism/originals",
    "ENV PHOTOPRISM_IMPORT_PATH=/photoprism/import",
    "ENV PHOTOPRISM_STORAGE_PATH=/photoprism/storage",
    "EXPOSE 2342",
    'CMD ["setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "photoprism", "start"]',
  ],
};

/** `/var/www/html/{occ,config/,data/}` as the simulated Nextcloud wants them. */
function writeNextcloudRoot(root: string): void {
  const scratch = join(root, "scratch-data");
  createSimulatedNextcloud({ root, dataDir: scratch });
  rmSync(scratch, { recursive: true, force: true });
  setConfigValue(root, "datadirectory", NEXTCLOUD_DATA_DIR);
  setConfigValue(root, "instanceid", STANDIN_INSTANCE_ID);
  mkdirSync(join(root, "data"));
  // As in the official image: config.php readable by www-data only.
  chmodSync(join(root, "config", "config.php"), 0o640);
}

function chownTree(path: string, id: number): void {
  chownSync(path, id, id);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, id);
    else chownSync(child, id, id);
  }
}

/**
 * Copies the entry programs and every module they import (relative imports, followed), plus
 * the npm packages they import with their dependencies — not the whole node_modules.
 */
function copyModuleGraph(builtSrc: string, target: string): void {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = ENTRIES.map((entry) => join(builtSrc, entry));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const out = join(target, relative(builtSrc, file));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, readFileSync(file));
    for (const specifier of importsOf(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) queue.push(join(dirname(file), specifier));
      else if (!specifier.startsWith("node:")) packages.add(packageName(specifier));
    }
  }
  const pending = [...packages];
  const copied = new Set<string>();
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (copied.has(name)) continue;
    copied.add(name);
    const source = join(repoDir, "node_modules", name);
    if (!existsSync(source)) throw new Error(`the simulators import ${name}, not installed`);
    cpSync(source, join(target, "node_modules", name), { recursive: true, dereference: true });
    const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    pending.push(...Object.keys(manifest.dependencies ?? {}));
  }
}

/** Static and dynamic import specifiers of a transpiled ES module. */
export function importsOf(js: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;
  for (const match of js.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** `zod/v4` → `zod`, `@scope/pkg/sub` → `@scope/pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function contentHash(dir: string, extra: readonly string[]): string {
  const hash = createHash("sha256");
  for (const text of extra) hash.update(text).update("\0");
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(posix.normalize(relative(dir, path))).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest("hex").slice(0, 12);
}
