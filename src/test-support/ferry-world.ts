import { createHash, randomBytes } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { main } from "../cli/main.js";
import { fakeIo } from "./fake-io.js";

const old = new Date("2024-06-01T12:00:00Z");

export interface WorldOptions {
  afterMove?: string;
  nextcloudYaml?: string;
  /** The `nextcloud.occ` block; by default occ is off (these worlds have no Nextcloud). */
  occYaml?: string;
  /** Replaces `trigger: none` and the rest of the `photoprism` block's extra lines. */
  photoprismYaml?: string;
  /** Puts PhotoPrism's originals at this path below the data dir, as a library Nextcloud shows. */
  originalsBelowDataDir?: string;
}

/** A Nextcloud data dir, PhotoPrism folders and a config file, for end-to-end passes. */
export class FerryWorld {
  readonly root = mkdtempSync(join(tmpdir(), "photoferry-world-"));
  readonly dataDir = join(this.root, "nextcloud", "data");
  readonly importDir = join(this.root, "photoprism", "import");
  readonly originalsDir: string;
  readonly stateDir = join(this.root, "state");
  readonly configPath = join(this.root, "photoferry.yaml");

  /** `options` may be a function of the world, for YAML that needs the world's paths. */
  constructor(extraYaml = "", options: WorldOptions | ((world: FerryWorld) => WorldOptions) = {}) {
    const peek = typeof options === "function" ? undefined : options;
    this.originalsDir = peek?.originalsBelowDataDir
      ? join(this.dataDir, peek.originalsBelowDataDir)
      : join(this.root, "photoprism", "originals");
    const settings = typeof options === "function" ? options(this) : options;
    if (settings.originalsBelowDataDir && !peek)
      this.originalsDir = join(this.dataDir, settings.originalsBelowDataDir);
    mkdirSync(this.importDir, { recursive: true });
    mkdirSync(this.originalsDir, { recursive: true });
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(join(this.dataDir, ".ocdata"), "");
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    writeFileSync(
      this.configPath,
      [
        "nextcloud:",
        `  dataDir: ${JSON.stringify(this.dataDir)}`,
        `  afterMove: ${settings.afterMove ?? "archive"}`,
        settings.nextcloudYaml ?? "",
        settings.occYaml ?? "  occ:\n    enabled: false",
        "photoprism:",
        `  importDir: ${JSON.stringify(this.importDir)}`,
        `  originalsDir: ${JSON.stringify(this.originalsDir)}`,
        settings.photoprismYaml ?? "  trigger: none",
        `  files: { uid: ${uid}, gid: ${gid}, mode: "0644" }`,
        "state:",
        `  dir: ${JSON.stringify(this.stateDir)}`,
        "web:",
        "  allow: [127.0.0.1]",
        extraYaml,
      ].join("\n"),
    );
  }

  /** A user's file below `files/`, settled (an old mtime); returns its content. */
  add(
    user: string,
    below: string,
    content: Buffer | string = randomBytes(2048),
    mtime = old,
  ): Buffer {
    const path = join(this.dataDir, user, "files", below);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, content);
    utimesSync(path, mtime, mtime);
    return Buffer.from(content);
  }

  addUserDir(user: string): void {
    mkdirSync(join(this.dataDir, user, "files"), { recursive: true });
  }

  async run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = fakeIo({ PHOTOFERRY_SECRETS_DIR: join(this.root, "no-secrets") });
    const code = await main(["run", "--once", "--config", this.configPath, ...args], io);
    return { code, out: io.out(), err: io.err() };
  }

  /** Every regular file under `dir` (relative path → sha256), skipping nothing. */
  tree(dir = this.root): Map<string, string> {
    const found = new Map<string, string>();
    const walk = (current: string): void => {
      for (const entry of readdirSync(current, { withFileTypes: true })) {
        const path = join(current, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) found.set(relative(dir, path), hash(readFileSync(path)));
      }
    };
    walk(dir);
    return found;
  }

  /** Every file and its mtime, to prove a dry run changed nothing. */
  snapshot(): string {
    const lines: string[] = [];
    const walk = (current: string): void => {
      for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        const path = join(current, entry.name);
        lines.push(`${relative(this.root, path)} ${statSync(path).mtimeMs}`);
        if (entry.isDirectory()) walk(path);
      }
    };
    walk(this.root);
    return lines.join("\n");
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const hash = (data: Buffer): string => createHash("sha256").update(data).digest("hex");
