import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dockerUnavailableReason,
  startDockerEngine,
  type TestDockerEngine,
} from "../test-support/docker/docker-engine.js";
import { ensureStandInImages } from "../test-support/docker/standin-images.js";
import { LIBRARY_IN_NEXTCLOUD, StandInSite } from "../test-support/docker/standin-site.js";
import { jpegWithExif } from "../test-support/exif-jpeg.js";
import { hash } from "../test-support/ferry-world.js";
import {
  environmentOf,
  parseComposeFile,
  volumesOf,
  type ComposeService,
} from "./test-support/compose-file.js";
import { ensureOfficialNodeStandIn } from "./test-support/node-official-standin.js";
import { ensurePhotoferryImage, repoDir } from "./test-support/photoferry-image.js";
import { ensureSocketProxyStandIn } from "./test-support/proxy-image.js";

// The image build compiles better-sqlite3 (minutes, once per source change: cached in the
// test cache). PHOTOFERRY_SKIP_IMAGE_E2E=1 skips it, e.g. in CI's second (Node 24) pass.
const unavailable =
  process.env.PHOTOFERRY_SKIP_IMAGE_E2E === "1"
    ? "PHOTOFERRY_SKIP_IMAGE_E2E=1"
    : dockerUnavailableReason();
if (unavailable)
  console.warn(`\n!!! SKIPPING the Docker image end-to-end tests: ${unavailable} !!!\n`);

const PHOTOPRISM_GID = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** photoferry's config inside its container, on the folders docker-compose.yaml mounts. */
const CONFIG = `
nextcloud:
  dataDir: /nextcloud/data
  users: { include: ["alice", "bob"] }
  libraryPaths: ["/${LIBRARY_IN_NEXTCLOUD}"]
  occ: { preset: official, runner: docker, container: nextcloud }
photoprism:
  importDir: /photoprism/import
  containerImportDir: /photoprism/import
  originalsDir: /photoprism/originals
  trigger: exec
  exec: { runner: docker, container: photoprism, user: "1000", command: ["photoprism"] }
  files: { uid: 33, gid: ${PHOTOPRISM_GID}, mode: "0664" }
docker: { host: "tcp://socket-proxy:2375", swarm: auto }
schedule: { watch: true, settleSeconds: 1, cron: "* * * * *" }
state: { dir: /config/state }
`;

describe.skipIf(unavailable !== null)("the photoferry image on a real Docker engine", () => {
  let engine: TestDockerEngine;
  let site: StandInSite;
  let compose: Record<string, ComposeService>;
  let photoferry: Docker.Container;
  const docker = (...args: string[]) =>
    execFileSync("docker", args, { env: engine.cliEnv, encoding: "utf8", stdio: "pipe" });

  beforeAll(async () => {
    const started = Date.now();
    engine = await startDockerEngine();
    // One after the other: they share base images, and a failure names its step.
    const step = async <T>(what: string, make: () => Promise<T>): Promise<T> => {
      const at = Date.now();
      try {
        return await make();
      } catch (error) {
        const log = engine.log().slice(-3000);
        throw new Error(`${what} failed: ${String(error)}\n--- dockerd log ---\n${log}`, {
          cause: error,
        });
      } finally {
        console.log(`${what}: ${Date.now() - at} ms`);
      }
    };
    const base = await step("node 24 base image", () => ensureOfficialNodeStandIn(engine));
    const standIns = await step("stand-in images", () => ensureStandInImages(engine));
    const proxyImage = await step("socket proxy image", () => ensureSocketProxyStandIn(engine));
    const image = await step("photoferry image", () => ensurePhotoferryImage(engine, base));
    console.log(`images ready in ${Date.now() - started} ms`);
    // The builds block the event loop for minutes; the daemon closes idle keep-alive
    // connections meanwhile, and Node's agent hands out such a dead socket (EPIPE) before it
    // has seen it close. A client without keep-alive, once the loop has caught up:
    await sleep(1000);
    // (docker-modem takes `agent`; @types/dockerode does not list it.)
    const options = { socketPath: engine.socketPath, agent: new Agent({ keepAlive: false }) };
    engine = { ...engine, docker: new Docker(options) };
    site = new StandInSite(engine, standIns);
    // As docs/deployment.md says: the import folder is PhotoPrism's, group-writable.
    chmodSync(site.importDir, 0o2775);
    const configDir = join(site.root, "photoferry");
    mkdirSync(configDir);
    writeFileSync(join(configDir, "photoferry.yaml"), CONFIG);
    chownSync(configDir, 33, 33);
    compose = parseComposeFile(readFileSync(join(repoDir, "docker-compose.yaml"), "utf8"), {
      PHOTOFERRY_IMAGE: image,
      SOCKET_PROXY_IMAGE: proxyImage,
      PHOTOFERRY_CONFIG_DIR: configDir,
      NEXTCLOUD_DATA: site.dataDir,
      PHOTOPRISM_IMPORT: site.importDir,
      PHOTOPRISM_ORIGINALS: site.originalsDir,
      PHOTOPRISM_GID: String(PHOTOPRISM_GID),
    }).services;
    await step("stand-in containers", () =>
      Promise.all([
        site.startContainer("nextcloud", "nextcloud"),
        site.startContainer("photoprism", "photoprism"),
      ]),
    );
    await step("network", () =>
      Promise.resolve(docker("network", "create", "--internal", "pf-socket-proxy")),
    );
    // The proxy gets the test engine's socket where the compose file mounts the host's.
    const proxy = await step("socket proxy container", () =>
      startService(engine, "socket-proxy", compose["socket-proxy"]!, {
        [engine.socketPath]: "/var/run/docker.sock",
      }),
    );
    // The test engine runs without iptables, which Docker's embedded DNS needs: the proxy's
    // name is given as a hosts entry instead.
    const proxyIp = (await proxy.inspect()).NetworkSettings.Networks["pf-socket-proxy"]!.IPAddress;
    photoferry = await step("photoferry container", () =>
      startService(engine, "photoferry", compose.photoferry!, {}, [`socket-proxy:${proxyIp}`]),
    );
    console.log(`containers running after ${Date.now() - started} ms`);
  }, 2_400_000);

  afterAll(async () => {
    if (photoferry) {
      // photoferry logs to stderr; both streams, for a failure's story.
      const logs = spawnSync("docker", ["logs", "--tail", "60", "photoferry"], {
        env: engine.cliEnv,
        encoding: "utf8",
      });
      console.log(`--- photoferry's log ---\n${logs.stdout}${logs.stderr}`);
      console.log(
        spawnSync("find", [site.importDir, "-printf", "%u:%g %m %p\\n"], { encoding: "utf8" })
          .stdout,
      );
    }
    await engine?.stop();
    site?.close();
  }, 90_000);

  const health = async () => (await photoferry.inspect()).State.Health?.Status;

  it("runs as uid 33 with PhotoPrism's group, no capabilities, tini as PID 1", () => {
    expect(docker("exec", "photoferry", "id", "-u").trim()).toBe("33");
    expect(docker("exec", "photoferry", "id", "-G").trim().split(" ")).toEqual(["33", "1000"]);
    const status = docker("exec", "photoferry", "cat", "/proc/1/status");
    expect(status).toMatch(/^Name:\s+tini$/m);
    expect(status).toMatch(/^Uid:\s+33\s+33\s+33\s+33$/m);
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect(status).toMatch(/^CapBnd:\s+0+$/m);
  });

  it("turns healthy through its HEALTHCHECK", { timeout: 120_000 }, async () => {
    for (let i = 0; (await health()) !== "healthy"; i++) {
      if (i > 100)
        throw new Error(
          `not healthy: ${JSON.stringify((await photoferry.inspect()).State.Health)}`,
        );
      await sleep(1000);
    }
  });

  it(
    "ferries photos through the whole chain and loses none when killed mid-transfer",
    { timeout: 300_000 },
    async () => {
      const photos: Buffer[] = [];
      for (let i = 0; i < 60; i++) {
        const taken = `2023:0${1 + (i % 9)}:1${i % 10} 10:00:00`;
        const content = jpegWithExif(
          { make: "Apple", model: "iPhone 15", taken, width: 4032, height: 3024 },
          randomBytes(512 * 1024),
        );
        photos.push(site.add(i % 2 ? "alice" : "bob", `Photos/IMG_${i}.jpg`, content));
      }
      // Kill it as soon as the first files reach the import folder.
      for (let i = 0; site.tree(site.importDir).size === 0; i++) {
        if (i > 600) throw new Error("nothing reached the import folder");
        await sleep(100);
      }
      docker("kill", "photoferry");
      const atKill = site.tree(site.originalsDir).size;
      docker("start", "photoferry");
      const expected = photos.map(hash).sort();
      for (let i = 0; ; i++) {
        const imported = [...site.tree(site.originalsDir).values()].sort();
        if (imported.length >= expected.length) {
          expect(imported).toEqual(expected);
          break;
        }
        if (i > 1200) throw new Error(`only ${imported.length} of ${expected.length} imported`);
        await sleep(200);
      }
      console.log(`${atKill} of ${expected.length} were imported when photoferry was killed`);
      // Nothing left half-way: the users' folders are empty, the import folder too.
      for (const user of ["alice", "bob"])
        expect(readdirSync(join(site.dataDir, user, "files", "Photos"))).toEqual([]);
      expect(
        [...site.tree(site.importDir).keys()].filter((p) => !p.startsWith(".photoferry/")),
      ).toEqual([]);
      // Nextcloud's scans of the archive folders come after the import: wait for them.
      const archived = () =>
        site.fileCache().filter((p) => p.includes("/Archived Photos/Photos/")).length;
      for (let i = 0; archived() < expected.length; i++) {
        if (i > 600) throw new Error(`only ${archived()} archived photos known to Nextcloud`);
        await sleep(200);
      }
      expect(archived()).toBe(expected.length);
      for (let i = 0; (await health()) !== "healthy"; i++) {
        if (i > 60) throw new Error("not healthy again after the restart");
        await sleep(1000);
      }
    },
  );
});

/**
 * Starts a compose service as `docker compose` would: its user, groups, capabilities,
 * read-only root, tmpfs, environment and volumes (with `socketMounts` replacing host paths
 * that the test engine keeps elsewhere), on the compose file's networks.
 */
async function startService(
  engine: TestDockerEngine,
  name: string,
  service: ComposeService,
  replacedSources: Record<string, string>,
  extraHosts: string[] = [],
): Promise<Docker.Container> {
  const replaced = new Map(Object.entries(replacedSources).map(([from, to]) => [to, from]));
  const binds = volumesOf(service).map((volume) => {
    const source = replaced.get(volume.target) ?? volume.source!;
    return `${source}:${volume.target}${volume.read_only ? ":ro" : ""}`;
  });
  const tmpfs = [service.tmpfs ?? []].flat();
  const container = await engine.docker.createContainer({
    name,
    Image: service.image!,
    ...(service.user ? { User: service.user } : {}),
    Env: Object.entries(environmentOf(service)).map(([key, value]) => `${key}=${value}`),
    HostConfig: {
      Binds: binds,
      NetworkMode: "pf-socket-proxy",
      GroupAdd: (service.group_add ?? []).map(String),
      CapDrop: service.cap_drop ?? [],
      CapAdd: service.cap_add ?? [],
      SecurityOpt: service.security_opt ?? [],
      ReadonlyRootfs: service.read_only ?? false,
      Tmpfs: Object.fromEntries(tmpfs.map((path) => [path, ""])),
      ExtraHosts: extraHosts,
    },
    // The image's HEALTHCHECK command, probed every second instead of every 30.
    Healthcheck: { Interval: 1e9, StartPeriod: 60e9, Timeout: 10e9, Retries: 3 },
    NetworkingConfig: { EndpointsConfig: { "pf-socket-proxy": { Aliases: [name] } } },
  });
  await container.start();
  return container;
}
