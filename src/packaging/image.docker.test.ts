import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password-hash.js";
import { dockerUnavailableReason, serviceStateArgs } from "../test-support/docker/docker-engine.js";
import { LIBRARY_IN_NEXTCLOUD, StandInSite } from "../test-support/docker/standin-site.js";
import { parseComposeFile } from "./test-support/compose-file.js";
import { startComposeService } from "./test-support/compose-container.js";
import { ferryThroughKill, waitUntil } from "./test-support/ferry-through-kill.js";
import { startPackagingWorld, type PackagingWorld } from "./test-support/packaging-world.js";
import { repoDir } from "./test-support/photoferry-image.js";

// The image build compiles better-sqlite3 (about 3 minutes on overlay2, once per source
// change: cached in the test cache). PHOTOFERRY_SKIP_IMAGE_E2E=1 skips these tests.
const unavailable =
  process.env.PHOTOFERRY_SKIP_IMAGE_E2E === "1"
    ? "PHOTOFERRY_SKIP_IMAGE_E2E=1"
    : dockerUnavailableReason();
if (unavailable)
  console.warn(`\n!!! SKIPPING the Docker image end-to-end tests: ${unavailable} !!!\n`);

/** Distinct users, as in a real install: Nextcloud's www-data (33), PhotoPrism's 1000. */
const PHOTOPRISM_GID = 1000;
const PASSWORD = "correct horse battery staple";

/** photoferry's config inside its container, on the folders the compose files mount. */
const config = (docker: string, nextcloud: string, photoprism: string) => `
nextcloud:
  dataDir: /nextcloud/data
  users: { include: ["alice", "bob"] }
  libraryPaths: ["/${LIBRARY_IN_NEXTCLOUD}"]
  occ: { preset: official, runner: docker, container: ${nextcloud} }
photoprism:
  importDir: /photoprism/import
  containerImportDir: /photoprism/import
  originalsDir: /photoprism/originals
  trigger: exec
  exec: { runner: docker, container: ${photoprism}, user: "1000", command: ["photoprism"] }
  files: { uid: 33, gid: ${PHOTOPRISM_GID}, mode: "0664" }
docker: { host: "tcp://socket-proxy:2375", ${docker} }
schedule: { watch: true, settleSeconds: 1, cron: "* * * * *" }
state: { dir: /config/state }
`;

/** A site for one deployment: the stand-ins' folders plus photoferry's config folder. */
function siteFor(world: PackagingWorld, configText: string) {
  const site = new StandInSite(world.engine, world.images.standIns);
  // As docs/deployment.md says: the import folder is PhotoPrism's, group-writable.
  chmodSync(site.importDir, 0o2775);
  const configDir = join(site.root, "photoferry");
  mkdirSync(configDir);
  writeFileSync(join(configDir, "photoferry.yaml"), configText);
  chownSync(configDir, 33, 33);
  const env = {
    PHOTOFERRY_IMAGE: world.images.photoferry,
    SOCKET_PROXY_IMAGE: world.images.socketProxy,
    DOCKER_SOCKET: world.engine.socketPath,
    PHOTOFERRY_CONFIG_DIR: configDir,
    NEXTCLOUD_DATA: site.dataDir,
    PHOTOPRISM_IMPORT: site.importDir,
    PHOTOPRISM_ORIGINALS: site.originalsDir,
    PHOTOPRISM_GID: String(PHOTOPRISM_GID),
  };
  return { site, env };
}

/** The checks both deployments share, inside photoferry's running container. */
function expectLeastPrivilege(exec: (...args: string[]) => string) {
  expect(exec("id", "-u").trim()).toBe("33");
  expect(exec("id", "-G").trim()).toBe(String(PHOTOPRISM_GID));
  const status = exec("cat", "/proc/1/status");
  expect(status).toMatch(/^Name:\s+tini$/m);
  expect(status).toMatch(/^Uid:\s+33\s+33\s+33\s+33$/m);
  expect(status).toMatch(new RegExp(`^Gid:\\s+${PHOTOPRISM_GID}(\\s+${PHOTOPRISM_GID}){3}$`, "m"));
  expect(status).toMatch(/^CapEff:\s+0+$/m);
  expect(status).toMatch(/^CapBnd:\s+0+$/m);
  expect(exec("sh", "-c", "touch /app/x 2>&1 || true")).toMatch(/Read-only file system/);
  expect(exec("sh", "-c", "touch /tmp/x && echo writable")).toContain("writable");
}

describe.skipIf(unavailable !== null)("the photoferry image on a real Docker engine", () => {
  let world: PackagingWorld;
  beforeAll(async () => {
    world = await startPackagingWorld();
  }, 2_400_000);
  afterAll(async () => {
    await world?.engine.stop();
  }, 90_000);

  const logsOf = (container: string, tail = "60") => {
    const logs = spawnSync("docker", ["logs", "--tail", tail, container], {
      env: world.engine.cliEnv,
      encoding: "utf8",
    });
    return `--- photoferry's log (${container}) ---\n${logs.stdout}${logs.stderr}`;
  };
  /** Warnings and errors photoferry logged: a clean run has none about files. */
  const fileProblems = (container: string) =>
    logsOf(container, "all")
      .split("\n")
      .filter((line) => /"level":"(warn|error)"/.test(line) && /"path":/.test(line));

  describe("docker-compose.yaml (plain Docker)", () => {
    let site: StandInSite;
    let photoferry: Docker.Container;
    const exec = (...args: string[]) => world.docker(["exec", "photoferry", ...args]);
    const health = async () => (await photoferry.inspect()).State.Health?.Status;

    beforeAll(async () => {
      const deployment = siteFor(world, config("swarm: auto", "nextcloud", "photoprism"));
      site = deployment.site;
      const compose = parseComposeFile(
        readFileSync(join(repoDir, "docker-compose.yaml"), "utf8"),
        deployment.env,
      ).services;
      const { step, docker, engine } = world;
      await step("stand-in containers", () =>
        Promise.all([
          site.startContainer("nextcloud", "nextcloud"),
          site.startContainer("photoprism", "photoprism"),
        ]),
      );
      const network = "pf-socket-proxy";
      docker(["network", "create", "--internal", network]);
      const proxy = await step("socket proxy container", () =>
        startComposeService(engine, "socket-proxy", compose["socket-proxy"]!, { network }),
      );
      // The test engine runs without iptables, which Docker's embedded DNS needs on a plain
      // network: the proxy's name is given as a hosts entry instead.
      const proxyIp = (await proxy.inspect()).NetworkSettings.Networks[network]!.IPAddress;
      photoferry = await step("photoferry container", () =>
        startComposeService(engine, "photoferry", compose.photoferry!, {
          network,
          extraHosts: [`socket-proxy:${proxyIp}`],
        }),
      );
    }, 120_000);

    afterAll(() => {
      if (photoferry) console.log(logsOf("photoferry"));
      world.docker(["rm", "-f", "photoferry", "socket-proxy", "nextcloud", "photoprism"]);
      site?.close();
    }, 60_000);

    it("runs as uid 33 with PhotoPrism's group, no capabilities, read-only, tini as PID 1", () => {
      expectLeastPrivilege(exec);
    });

    it("turns healthy through its HEALTHCHECK", { timeout: 120_000 }, async () => {
      await waitUntil("photoferry healthy", async () => (await health()) === "healthy", 100_000);
    });

    it(
      "ferries photos through the chain and loses none when killed mid-transfer",
      {
        timeout: 600_000,
      },
      async () => {
        const atKill = await ferryThroughKill(site, 60, () => {
          world.docker(["kill", "photoferry"]);
          world.docker(["start", "photoferry"]);
        });
        console.log(`${atKill} of 60 were imported when photoferry was killed`);
        expect(fileProblems("photoferry")).toEqual([]);
        await waitUntil("healthy again", async () => (await health()) === "healthy", 60_000);
      },
    );
  });

  describe("swarm-config.yaml (docker stack deploy)", () => {
    const stack = "pf";
    let site: StandInSite;
    let env: Record<string, string>;
    /** The container of a service's running task (a new one after each restart). */
    const containerOf = (service: string) =>
      world
        .docker(["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${stack}_${service}`])
        .trim();
    const task = () => containerOf("photoferry");
    const exec = (...args: string[]) => world.docker(["exec", task(), ...args]);
    const taskIp = (service: string, network: string) => {
      const format = `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`;
      return world.docker(["inspect", "-f", format, containerOf(service)]).trim();
    };
    const state = (service: string) => world.docker(serviceStateArgs(`${stack}_${service}`));

    beforeAll(async () => {
      const deployment = siteFor(
        world,
        config(
          `swarm: auto, socketProxyService: ${stack}_socket-proxy`,
          "pf_nextcloud",
          "pf_photoprism",
        ),
      );
      site = deployment.site;
      env = deployment.env;
      const { docker, step } = world;
      docker(["swarm", "init", "--advertise-addr", "127.0.0.1"]);
      const standIns = join(site.root, "stand-ins.yaml");
      writeFileSync(standIns, JSON.stringify({ version: "3.8", services: site.stackServices() }));
      // The apps first, like a user who adds photoferry to the stack they already run.
      await step("the stand-ins as a stack", async () => {
        // No --detach: Debian's docker 20.10 CLI does not know it; newer ones detach by default.
        docker(["stack", "deploy", "-c", standIns, stack]);
        await waitUntil(
          "nextcloud and photoprism running",
          () => ["nextcloud", "photoprism"].every((s) => state(s).startsWith("Running")),
          120_000,
        );
      });
      // As docs/deployment.md says: a PhotoPrism app password and the password hash as
      // secrets (the stack names them as external).
      const added = docker(
        ["exec", "-u", "1000", containerOf("photoprism")].concat([
          "photoprism",
          "auth",
          "add",
          "-n",
          "photoferry",
          "-s",
          "*",
          "admin",
        ]),
      );
      const appPassword = /[A-Za-z0-9]{6}(?:-[A-Za-z0-9]{6}){3}/.exec(added)?.[0];
      if (!appPassword) throw new Error(`no app password in:\n${added}`);
      docker(["secret", "create", "photoferry_photoprism_token", "-"], {}, appPassword);
      docker(
        ["secret", "create", "photoferry_password_hash", "-"],
        {},
        await hashPassword(PASSWORD),
      );
      // The shipped file as it is, plus the stand-ins; images and folders by environment.
      const files = ["-c", join(repoDir, "swarm-config.yaml"), "-c", standIns];
      await step("docker stack deploy", () => docker(["stack", "deploy", ...files, stack], env));
      await waitUntil(
        "socket-proxy running",
        () => state("socket-proxy").startsWith("Running"),
        120_000,
      );
    }, 180_000);

    afterAll(() => {
      const container = task();
      if (container) console.log(logsOf(container));
      else console.log(world.docker(["service", "ps", "--no-trunc", `${stack}_photoferry`]));
      site?.close();
    }, 60_000);

    it("waits for the data node's label, then runs there", { timeout: 120_000 }, async () => {
      // Placement: no node carries photoferry.data=true yet, so the task stays pending.
      await waitUntil(
        "photoferry pending",
        () => state("photoferry").startsWith("Pending"),
        30_000,
      );
      expect(state("photoferry")).toMatch(/no suitable node/);
      // The test engine runs without iptables, so a service's virtual IP (IPVS) routes
      // nowhere: photoferry gets the tasks' own addresses for `socket-proxy` and `photoprism`
      // (what the virtual IPs lead to on one node). Task addresses work as usual.
      const proxyIp = taskIp("socket-proxy", `${stack}_socket-proxy`);
      const photoprismIp = taskIp("photoprism", `${stack}_default`);
      world.docker(
        ["service", "update", "--detach", "--host-add", `socket-proxy:${proxyIp}`].concat([
          "--host-add",
          `photoprism:${photoprismIp}`,
          `${stack}_photoferry`,
        ]),
      );
      const node = world.docker(["info", "--format", "{{.Swarm.NodeID}}"]).trim();
      world.docker(["node", "update", "--label-add", "photoferry.data=true", node]);
      await waitUntil(
        "photoferry running",
        () => state("photoferry").startsWith("Running"),
        60_000,
      );
      // The proxy is global: one task per node.
      expect(
        world
          .docker([
            "service",
            "ls",
            "--filter",
            `name=${stack}_socket-proxy`,
            "--format",
            "{{.Mode}} {{.Replicas}}",
          ])
          .trim(),
      ).toBe("global 1/1");
    });

    it("runs as uid 33 with PhotoPrism's group, no capabilities, read-only, tini as PID 1", () => {
      expectLeastPrivilege(exec);
      // The secrets belong to photoferry's user alone.
      for (const secret of ["photoferry_password_hash", "photoferry_photoprism_token"])
        expect(exec("stat", "-c", "%u:%g %a", `/run/secrets/${secret}`).trim()).toBe("33:33 400");
    });

    it("takes its password from the Docker secret", { timeout: 60_000 }, async () => {
      await waitUntil("the API listening", () => api().status !== 0, 30_000, 500);
      const { status, loggedIn, runs } = api();
      expect(status).toBe(401);
      expect(loggedIn).toBe(200);
      expect(runs).toBe(200);
    });

    it(
      "turns healthy through its HEALTHCHECK (every 30 s, as shipped)",
      { timeout: 120_000 },
      async () => {
        const health = () =>
          world.docker(["inspect", "-f", "{{.State.Health.Status}}", task()]).trim();
        await waitUntil("photoferry healthy", () => health() === "healthy", 100_000, 1000);
      },
    );

    it(
      "ferries photos through the Swarm services and loses none when its task is killed",
      {
        timeout: 600_000,
      },
      async () => {
        const killed = task();
        const atKill = await ferryThroughKill(site, 30, () => {
          world.docker(["kill", killed]);
        });
        console.log(`${atKill} of 30 were imported when photoferry's task was killed`);
        expect([...fileProblems(killed), ...fileProblems(task())]).toEqual([]);
        // Swarm replaced the task (restart_policy: any) with a new container, which waited
        // for the killed one's lock instead of exiting into a restart loop.
        const replacement = task();
        expect(replacement).not.toBe(killed);
        const replacementLog = logsOf(replacement, "all");
        expect(replacementLog).toContain("waiting until its heartbeat stops");
        expect(replacementLog).not.toContain("is already working");
      },
    );

    /** photoferry's REST API from inside its own task: without and with the password. */
    function api(): { status: number; loggedIn: number; runs: number } {
      const script = `
        const http = require("node:http");
        const call = (method, path, body, cookie) => new Promise((resolve) => {
          const req = http.request({ host: "127.0.0.1", port: 8080, method, path,
            headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) } },
            (res) => { res.resume(); res.on("end", () => resolve(res)); });
          req.on("error", () => resolve({ statusCode: 0, headers: {} }));
          req.end(body);
        });
        (async () => {
          const status = (await call("GET", "/api/status")).statusCode;
          const login = await call("POST", "/api/login", JSON.stringify({ password: ${JSON.stringify(PASSWORD)} }));
          const cookie = (login.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
          const runs = (await call("GET", "/api/runs", undefined, cookie)).statusCode;
          console.log(JSON.stringify({ status, loggedIn: login.statusCode, runs }));
        })();`;
      return JSON.parse(exec("node", "-e", script)) as {
        status: number;
        loggedIn: number;
        runs: number;
      };
    }
  });
});
