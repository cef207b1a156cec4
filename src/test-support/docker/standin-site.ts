import { randomBytes } from "node:crypto";
import {
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type Docker from "dockerode";
import { main } from "../../cli/main.js";
import { loadConfigText } from "../../config/load-config.js";
import type { PhotoferryConfig } from "../../config/resolve-config.js";
import { loadFileCache, loadMemoriesIndex } from "../../simulators/nextcloud/sim-state.js";
import { fakeIo } from "../fake-io.js";
import { hash } from "../ferry-world.js";
import type { TestDockerEngine } from "./docker-engine.js";
import { NEXTCLOUD_DATA_DIR, STANDIN_INSTANCE_ID, type StandInImages } from "./standin-images.js";

const WWW_DATA = 33;
const PHOTOPRISM_UID = 1000;
/** Where PhotoPrism's originals show up in Nextcloud (a bind mount into admin's files). */
export const LIBRARY_IN_NEXTCLOUD = "admin/files/Photo Library";
const old = new Date("2024-06-01T12:00:00Z");

/** Host folders as a stand-in Nextcloud and PhotoPrism see them, by bind mounts. */
export interface SiteMounts {
  nextcloud: string[];
  photoprism: string[];
}

export interface FerryConfigOptions {
  /** `nextcloud.users.include`: tests share one data dir, each ferries only its own users. */
  users?: string[];
  occContainer?: string;
  occUser?: string;
  photoprismContainer?: string;
  /** `photoprism.exec.command`; default `["photoprism"]`. */
  photoprismCommand?: string[];
  dockerHost?: string;
  /** Another run's state dir, to carry on with its batches under a changed config. */
  stateDir?: string;
  swarm?: "auto" | "on" | "off";
}

/**
 * The host side of a Docker install: Nextcloud's data dir (uid 33, like the official image),
 * PhotoPrism's import and originals folders (uid 1000, PHOTOPRISM_UID), and the stand-in
 * containers bind-mounting them. photoferry runs in the test process, as root, on the host.
 */
export class StandInSite {
  readonly root = mkdtempSync(join(tmpdir(), "pf-site-"));
  readonly dataDir = join(this.root, "nextcloud-data");
  readonly importDir = join(this.root, "import");
  readonly originalsDir = join(this.root, "originals");
  private configs = 0;

  constructor(
    private readonly engine: TestDockerEngine,
    readonly images: StandInImages,
  ) {
    for (const dir of [this.importDir, this.originalsDir]) {
      mkdirSync(dir, { recursive: true });
      chownSync(dir, PHOTOPRISM_UID, PHOTOPRISM_UID);
    }
    this.mkdirOwned(this.dataDir, WWW_DATA);
    writeFileSync(join(this.dataDir, ".ocdata"), "");
    chownSync(join(this.dataDir, ".ocdata"), WWW_DATA, WWW_DATA);
    this.mkdirOwned(join(this.dataDir, LIBRARY_IN_NEXTCLOUD), WWW_DATA);
  }

  get mounts(): SiteMounts {
    return {
      nextcloud: [
        `${this.dataDir}:${NEXTCLOUD_DATA_DIR}`,
        `${this.originalsDir}:${NEXTCLOUD_DATA_DIR}/${LIBRARY_IN_NEXTCLOUD}`,
      ],
      photoprism: [
        `${this.importDir}:/photoprism/import`,
        `${this.originalsDir}:/photoprism/originals`,
      ],
    };
  }

  /** Starts a stand-in container on this site's folders (no network: nothing needs one). */
  async startContainer(
    name: string,
    app: keyof SiteMounts,
    extra: { image?: string; cmd?: string[]; restart?: boolean } = {},
  ): Promise<Docker.Container> {
    const container = await this.engine.docker.createContainer({
      name,
      Image: extra.image ?? this.images[app],
      ...(extra.cmd ? { Cmd: extra.cmd } : {}),
      HostConfig: {
        NetworkMode: "none",
        Init: true,
        Binds: this.mounts[app],
        ...(extra.restart ? { RestartPolicy: { Name: "always" } } : {}),
      },
    });
    await container.start();
    return container;
  }

  /** The stand-ins as services of a Swarm stack file, on this site's folders (bind mounts). */
  stackServices(): Record<keyof SiteMounts, Record<string, unknown>> {
    const service = (app: keyof SiteMounts) => ({
      image: this.images[app],
      init: true,
      volumes: this.mounts[app].map((mount) => {
        const [source, target] = mount.split(":");
        return { type: "bind", source, target };
      }),
    });
    return { nextcloud: service("nextcloud"), photoprism: service("photoprism") };
  }

  /** A Nextcloud user's `files/` folder, owned by www-data as Nextcloud makes it. */
  addUser(user: string): void {
    this.mkdirOwned(join(this.dataDir, user, "files"), WWW_DATA);
  }

  /** A user's photo below `files/`, settled (old mtime), owned by www-data; returns it. */
  add(user: string, below: string, content: Buffer = randomBytes(2048)): Buffer {
    this.addUser(user);
    const path = join(this.dataDir, user, "files", below);
    this.mkdirOwned(join(path, ".."), WWW_DATA);
    writeFileSync(path, content, { mode: 0o644 });
    chownSync(path, WWW_DATA, WWW_DATA);
    utimesSync(path, old, old);
    return content;
  }

  /** The simulated oc_filecache's virtual paths. */
  fileCache(): string[] {
    return Object.keys(loadFileCache(this.dataDir, STANDIN_INSTANCE_ID).entries);
  }

  /** Virtual paths Memories has indexed. */
  memoriesIndexed(): string[] {
    const index = loadMemoriesIndex(this.dataDir, STANDIN_INSTANCE_ID);
    return Object.values(index.entries).map((entry) => entry.path);
  }

  /** Every regular file below `dir` (relative path → sha256). */
  tree(dir: string): Map<string, string> {
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

  /** A photoferry config (and its own state dir) for this site, as a user would write it. */
  ferry(options: FerryConfigOptions = {}): FerryRun {
    const dir = join(this.root, `ferry-${++this.configs}`);
    mkdirSync(dir);
    const stateDir = options.stateDir ?? join(dir, "state");
    const q = JSON.stringify;
    const text = [
      "nextcloud:",
      `  dataDir: ${q(this.dataDir)}`,
      ...(options.users ? [`  users: { include: ${q(options.users)} }`] : []),
      `  libraryPaths: [${q(`/${LIBRARY_IN_NEXTCLOUD}`)}]`,
      "  occ:",
      "    preset: official",
      "    runner: docker",
      `    container: ${q(options.occContainer ?? "nextcloud")}`,
      ...(options.occUser ? [`    user: ${q(options.occUser)}`] : []),
      "photoprism:",
      `  importDir: ${q(this.importDir)}`,
      "  containerImportDir: /photoprism/import",
      `  originalsDir: ${q(this.originalsDir)}`,
      "  trigger: exec",
      "  exec:",
      "    runner: docker",
      `    container: ${q(options.photoprismContainer ?? "photoprism")}`,
      '    user: "1000"',
      `    command: ${q(options.photoprismCommand ?? ["photoprism"])}`,
      '  files: { uid: 1000, gid: 1000, mode: "0644" }',
      "docker:",
      `  host: ${q(options.dockerHost ?? this.engine.host)}`,
      `  swarm: ${options.swarm ?? "auto"}`,
      "state:",
      `  dir: ${q(stateDir)}`,
      "web:",
      "  allow: [127.0.0.1]",
      "",
    ].join("\n");
    return new FerryRun(join(dir, "photoferry.yaml"), text, stateDir);
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private mkdirOwned(dir: string, uid: number): void {
    const made = mkdirSync(dir, { recursive: true });
    if (made === undefined) return;
    // Every folder mkdir created, down from the first one.
    for (let current = dir; current.length >= made.length; current = join(current, "..")) {
      chownSync(current, uid, uid);
    }
  }
}

/** One photoferry config file and its state dir, run the way a user runs it. */
export class FerryRun {
  constructor(
    readonly configPath: string,
    readonly text: string,
    readonly stateDir: string,
  ) {
    writeFileSync(configPath, text);
  }

  async run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = fakeIo({ PHOTOFERRY_SECRETS_DIR: join(this.configPath, "..", "no-secrets") });
    const code = await main(["run", "--once", "--config", this.configPath, ...args], io);
    return { code, out: io.out(), err: io.err() };
  }

  /** The resolved config, for tests that drive the chain's classes directly. */
  config(): PhotoferryConfig {
    const result = loadConfigText(this.text, { env: {} });
    if (!result.config) throw new Error(`bad test config: ${JSON.stringify(result.issues)}`);
    return result.config;
  }
}
