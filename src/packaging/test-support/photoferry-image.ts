import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import picomatch from "picomatch";
import { TEST_CACHE_DIR, imageExists } from "../../test-support/docker/base-image.js";
import { buildImage } from "../../test-support/docker/build-image.js";
import type { TestDockerEngine } from "../../test-support/docker/docker-engine.js";

export const repoDir = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * The certificate authorities this machine added locally (`update-ca-certificates` input):
 * on a network with a TLS-intercepting proxy, that is the proxy's CA. Passed to the image
 * build as CA_CERTIFICATES; empty elsewhere.
 */
export function localCaCertificates(dir = "/usr/local/share/ca-certificates"): string {
  if (!existsSync(dir)) return "";
  return readdirSync(dir)
    .filter((name) => name.endsWith(".crt"))
    .sort()
    .map((name) => readFileSync(join(dir, name), "utf8").trim())
    .join("\n");
}

/** `.dockerignore` patterns (no `!` exceptions: photoferry's file has none). */
export function dockerignorePatterns(text: string): string[] {
  const patterns = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const negated = patterns.find((line) => line.startsWith("!"));
  if (negated) throw new Error(`.dockerignore exceptions (${negated}) are not supported here`);
  return patterns.map((line) => line.replace(/^\/+|\/+$/g, ""));
}

/**
 * The files `docker build` sends for a context with these .dockerignore patterns: a path is
 * left out when a pattern matches it or one of its parent folders (as Docker does).
 */
export function contextFiles(dir: string, patterns: readonly string[]): string[] {
  const ignored = picomatch([...patterns], { dot: true });
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      const rel = relative(dir, path);
      if (ignored(rel)) continue;
      if (entry.isDirectory()) walk(path);
      else found.push(rel);
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * photoferry's image built from the repository's Dockerfile on `baseImage` (`key` names
 * what is in it). The build
 * compiles better-sqlite3 (minutes), so the result is kept as a `docker save` tarball in the
 * test cache, named by a hash of everything the build reads; a changed source is a new build.
 */
export async function ensurePhotoferryImage(
  engine: TestDockerEngine,
  baseImage: { tag: string; key: string },
): Promise<string> {
  const dockerfile = readFileSync(join(repoDir, "Dockerfile"), "utf8");
  const files = contextFiles(
    repoDir,
    dockerignorePatterns(readFileSync(join(repoDir, ".dockerignore"), "utf8")),
  );
  const buildArgs = { BASE_IMAGE: baseImage.tag, CA_CERTIFICATES: localCaCertificates() };
  const hash = createHash("sha256");
  // Not the base image's id: a rebuilt base has a new one (timestamps) in every new engine.
  hash.update(dockerfile).update(JSON.stringify(buildArgs)).update(baseImage.key);
  for (const file of files)
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(join(repoDir, file)));
  const key = hash.digest("hex").slice(0, 16);
  const tag = `photoferry-test/photoferry:${key}`;
  if (await imageExists(engine, tag)) return tag;
  const docker = (...args: string[]) =>
    execFileSync("docker", args, { env: engine.cliEnv, stdio: ["ignore", "ignore", "pipe"] });
  const cached = join(TEST_CACHE_DIR, `photoferry-image-${key}.tar`);
  if (existsSync(cached)) {
    docker("load", "-i", cached);
    if (await imageExists(engine, tag)) return tag;
  }
  buildImage(engine, { tag, dockerfile, contextDir: repoDir, buildArgs });
  // Older builds are of no use any more; the tarball is written beside its name, then renamed.
  for (const name of readdirSync(TEST_CACHE_DIR)) {
    if (/^photoferry-image-.*\.tar(\.partial)?$/.test(name)) rmSync(join(TEST_CACHE_DIR, name));
  }
  docker("save", "-o", `${cached}.partial`, tag);
  renameSync(`${cached}.partial`, cached);
  return tag;
}
