import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
} from "node:fs";
import { join } from "node:path";
import type { TestDockerEngine } from "./docker-engine.js";

/** Where the debootstrap result is kept between runs, so it is made once per machine. */
export const TEST_CACHE_DIR = process.env.PHOTOFERRY_TEST_CACHE ?? "/var/cache/photoferry-test";
export const BASE_IMAGE = "photoferry-test/bookworm:minbase";
const ROOTFS_TARBALL = "bookworm-minbase-slim.tar";
/**
 * Left out of the image: the .debs debootstrap downloaded and the docs (~125 of ~200 MB).
 * The vfs storage driver copies the whole image for every container, so size is time.
 */
const TRIMMED = [
  "./var/cache/apt/archives/*.deb",
  "./var/lib/apt/lists/*",
  "./usr/share/doc/*",
  "./usr/share/man/*",
  "./usr/share/info/*",
  "./usr/share/locale/*",
];

/**
 * A Debian bookworm `minbase` image in the engine, made without pulling anything: the
 * rootfs comes from debootstrap (cached as a tarball under TEST_CACHE_DIR) and is loaded
 * with `docker import`. Returns the image name.
 */
export async function ensureBaseImage(engine: TestDockerEngine): Promise<string> {
  if (await imageExists(engine, BASE_IMAGE)) return BASE_IMAGE;
  const tarball = ensureRootfsTarball();
  execFileSync("docker", ["import", tarball, BASE_IMAGE], {
    env: engine.cliEnv,
    stdio: ["ignore", "ignore", "pipe"],
  });
  return BASE_IMAGE;
}

export async function imageExists(engine: TestDockerEngine, name: string): Promise<boolean> {
  try {
    await engine.docker.getImage(name).inspect();
    return true;
  } catch {
    return false;
  }
}

function ensureRootfsTarball(): string {
  const tarball = join(TEST_CACHE_DIR, ROOTFS_TARBALL);
  if (existsSync(tarball)) return tarball;
  mkdirSync(TEST_CACHE_DIR, { recursive: true });
  const work = mkdtempSync(join(TEST_CACHE_DIR, "debootstrap-"));
  try {
    const rootfs = join(work, "rootfs");
    try {
      execFileSync("debootstrap", ["--variant=minbase", "bookworm", rootfs, debianMirror()], {
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      throw new Error(`debootstrap failed; is the Debian mirror reachable? (${String(error)})`, {
        cause: error,
      });
    }
    // Build the tarball beside the final name and rename it, so a concurrent or
    // interrupted run never sees half a file.
    const partial = join(work, ROOTFS_TARBALL);
    execFileSync(
      "tar",
      ["-C", rootfs, ...TRIMMED.map((pattern) => `--exclude=${pattern}`), "-cf", partial, "."],
      { stdio: "ignore" },
    );
    renameSync(partial, tarball);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return tarball;
}

/**
 * The Debian mirror this machine's apt uses (deb822 `.sources` files or the one-line
 * `sources.list` form), so no host name is written into the tests.
 */
export function debianMirror(): string {
  const texts: string[] = [];
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith(".sources") || name.endsWith(".list")) {
        texts.push(readFileSync(join(dir, name), "utf8"));
      }
    }
  }
  if (existsSync("/etc/apt/sources.list"))
    texts.push(readFileSync("/etc/apt/sources.list", "utf8"));
  const mirror = findDebianMirror(texts.join("\n"));
  if (!mirror) throw new Error("no Debian mirror found in /etc/apt/sources.list{,.d}");
  return mirror;
}

/** The first mirror URL that serves the main archive (not the security archive). */
export function findDebianMirror(sourcesText: string): string | undefined {
  const candidates: string[] = [];
  for (const raw of sourcesText.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#")) continue;
    const deb822 = /^URIs:\s*(\S+)/i.exec(line);
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/.exec(line);
    const uri = deb822?.[1] ?? oneLine?.[1];
    if (uri) candidates.push(uri);
  }
  return candidates.find((uri) => !/security/.test(uri) && /^https?:\/\//.test(uri));
}
