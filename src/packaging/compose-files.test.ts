import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  environmentOf,
  interpolate,
  networksOf,
  parseComposeFile,
  volumesOf,
  type ComposeFile,
  type ComposeService,
} from "./test-support/compose-file.js";
import { dockerignorePatterns, repoDir } from "./test-support/photoferry-image.js";

const read = (name: string) => readFileSync(join(repoDir, name), "utf8");
const compose = parseComposeFile(read("docker-compose.yaml"));
const swarm = parseComposeFile(read("swarm-config.yaml"));

describe("interpolate", () => {
  it("substitutes like compose: set, unset, empty, defaults and $$", () => {
    const env = { A: "a", EMPTY: "" };
    expect(interpolate("${A} ${A:-x} ${B:-x} ${EMPTY:-x} ${EMPTY-x} ${B} $$A", env)).toBe(
      "a a x x   $A",
    );
  });
});

describe("parseComposeFile", () => {
  it("rejects text without services", () => {
    expect(() => parseComposeFile("version: '3.8'\n")).toThrow(/no `services`/);
  });
});

/** The rules both files must keep, whatever else changes in them. */
function commonRules(file: ComposeFile, name: string) {
  const photoferry = file.services.photoferry!;
  const proxy = file.services["socket-proxy"]!;

  it(`${name}: photoferry runs as Nextcloud's user with PhotoPrism's group, no capabilities`, () => {
    expect(photoferry.user).toBe("33:1000");
    expect(photoferry.group_add).toBeUndefined();
    expect(photoferry.cap_drop).toEqual(["ALL"]);
    expect(photoferry.cap_add).toBeUndefined();
    expect(photoferry.read_only).toBe(true);
    expect(photoferry.image).toBe("photoferry:latest");
  });

  it(`${name}: photoferry has no Docker socket; the proxy has it read-only`, () => {
    const socketMounts = (service: ComposeService) =>
      volumesOf(service).filter((v) => (v.source ?? "").endsWith("docker.sock"));
    expect(socketMounts(photoferry)).toEqual([]);
    expect(JSON.stringify(photoferry)).not.toContain("docker.sock");
    expect(socketMounts(proxy)).toEqual([
      expect.objectContaining({ target: "/var/run/docker.sock", read_only: true }),
    ]);
  });

  it(`${name}: the proxy allows containers, exec and POST, never images, volumes or builds`, () => {
    const env = environmentOf(proxy);
    for (const section of ["CONTAINERS", "EXEC", "POST", "INFO"]) expect(env[section]).toBe("1");
    for (const section of ["IMAGES", "VOLUMES", "BUILD", "SECRETS", "SWARM", "AUTH", "SYSTEM"])
      expect(env[section] ?? "0").toBe("0");
    expect(proxy.ports).toBeUndefined();
  });

  it(`${name}: photoferry and the proxy share a network with no way out`, () => {
    expect(networksOf(photoferry)).toContain("socket-proxy");
    expect(networksOf(proxy)).toEqual(["socket-proxy"]);
    expect(file.networks?.["socket-proxy"]?.internal).toBe(true);
  });

  it(`${name}: photoferry mounts the shared folders where the example config expects them`, () => {
    const targets = Object.fromEntries(volumesOf(photoferry).map((v) => [v.target, v]));
    for (const target of ["/config", "/nextcloud/data", "/photoprism/import"])
      expect(targets[target]?.read_only).toBeFalsy();
    expect(targets["/photoprism/originals"]?.read_only).toBe(true);
  });

  it(`${name}: image names and folders can be overridden from the environment`, () => {
    const env = {
      PHOTOFERRY_IMAGE: "local/pf:1",
      SOCKET_PROXY_IMAGE: "local/proxy:1",
      NEXTCLOUD_DATA: "/x/data",
      PHOTOPRISM_GID: "1234",
    };
    const text = read(name === "swarm" ? "swarm-config.yaml" : "docker-compose.yaml");
    const custom = parseComposeFile(text, env);
    expect(custom.services.photoferry!.image).toBe("local/pf:1");
    expect(custom.services["socket-proxy"]!.image).toBe("local/proxy:1");
    expect(custom.services.photoferry!.user).toBe("33:1234");
    expect(volumesOf(custom.services.photoferry!)).toContainEqual(
      expect.objectContaining({ source: "/x/data", target: "/nextcloud/data" }),
    );
  });
}

// `docker stack config` is the CLI's own compose schema for stacks (it needs no engine; the
// command came with Docker 24's CLI: Debian's docker.io 20.10 does not have it).
const noDockerCli = /^\s+config\s/m.test(
  spawnSync("docker", ["stack", "--help"], { encoding: "utf8" }).stdout ?? "",
)
  ? null
  : "no docker CLI with `docker stack config` (Docker 24 or newer) on PATH";
if (noDockerCli) console.warn(`\n!!! SKIPPING docker stack config checks: ${noDockerCli} !!!\n`);

describe.skipIf(noDockerCli !== null)("docker stack config", () => {
  for (const name of ["docker-compose.yaml", "swarm-config.yaml"]) {
    it(`accepts ${name} as a stack file`, () => {
      const result = spawnSync("docker", ["stack", "config", "-c", join(repoDir, name)], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const parsed = parseComposeFile(result.stdout);
      expect(parsed.services.photoferry!.user).toBe("33:1000");
      expect(parsed.services.photoferry!.cap_drop).toEqual(["ALL"]);
    });
  }
});

describe("docker-compose.yaml", () => {
  commonRules(compose, "compose");

  it("has no new privileges and only the services it ships (the apps are comments)", () => {
    expect(compose.services.photoferry!.security_opt).toEqual(["no-new-privileges:true"]);
    expect(Object.keys(compose.services).sort()).toEqual(["photoferry", "socket-proxy"]);
    const text = read("docker-compose.yaml");
    expect(text).toMatch(/^ {2}# nextcloud:$/m);
    expect(text).toMatch(/^ {2}# photoprism:$/m);
  });
});

describe("swarm-config.yaml", () => {
  commonRules(swarm, "swarm");
  const photoferry = swarm.services.photoferry!;

  it("passes the tokens and the password hash as Docker secrets readable by uid 33 only", () => {
    const names = (photoferry.secrets ?? []).map((s) => (typeof s === "string" ? s : s.source));
    expect(names).toEqual(["photoferry_photoprism_token", "photoferry_password_hash"]);
    for (const secret of photoferry.secrets ?? [])
      expect(secret).toMatchObject({ uid: "33", mode: 0o400 });
    expect(swarm.secrets).toEqual({
      photoferry_photoprism_token: { external: true },
      photoferry_password_hash: { external: true },
    });
    expect(JSON.stringify(environmentOf(photoferry))).not.toMatch(/TOKEN|PASSWORD/);
  });

  it("places photoferry on the data node, one task, stopped before a new one starts", () => {
    expect(photoferry.deploy?.placement?.constraints).toEqual([
      "node.labels.photoferry.data == true",
    ]);
    expect(photoferry.deploy?.replicas).toBe(1);
    expect(photoferry.deploy?.update_config).toMatchObject({ order: "stop-first" });
  });

  it("runs the proxy on every node, on an overlay network, allowing the Swarm look-ups", () => {
    const proxy = swarm.services["socket-proxy"]!;
    expect(proxy.deploy?.mode).toBe("global");
    expect(swarm.networks?.["socket-proxy"]?.driver).toBe("overlay");
    const env = environmentOf(proxy);
    expect([env.TASKS, env.SERVICES, env.INFO]).toEqual(["1", "1", "1"]);
  });

  it("uses only settings docker stack deploy honours (tmpfs as a volume, no security_opt)", () => {
    expect(photoferry.tmpfs).toBeUndefined();
    expect(photoferry.security_opt).toBeUndefined();
    expect(volumesOf(photoferry)).toContainEqual({ type: "tmpfs", target: "/tmp" });
  });
});

describe(".dockerignore", () => {
  it("keeps local state, dependencies and tests out of the build context", () => {
    const patterns = dockerignorePatterns(read(".dockerignore"));
    for (const pattern of [".git", "**/node_modules", "**/dist", "**/*.test.ts", ".tmp"])
      expect(patterns).toContain(pattern);
    expect(patterns).not.toContain("src");
  });

  it("refuses exceptions it cannot follow", () => {
    expect(() => dockerignorePatterns("*\n!src\n")).toThrow(/not supported/);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const instructions = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => /^[A-Z]+\s/.test(line));

  it("is Debian-based with an overridable base, multi-stage", () => {
    expect(instructions[0]).toBe("ARG BASE_IMAGE=node:24-bookworm-slim");
    expect(instructions.filter((line) => line.startsWith("FROM ${BASE_IMAGE}"))).toHaveLength(2);
  });

  it("ends as a non-root user with tini, a HEALTHCHECK, /config and serve", () => {
    const lastStage = instructions.slice(instructions.lastIndexOf("FROM ${BASE_IMAGE}"));
    expect(lastStage.filter((line) => line.startsWith("USER "))).toEqual(["USER 33:33"]);
    expect(lastStage).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "photoferry"]');
    expect(lastStage).toContain('CMD ["serve"]');
    expect(lastStage).toContain("VOLUME /config");
    expect(lastStage).toContain("EXPOSE 8080");
    expect(lastStage.find((line) => line.startsWith("HEALTHCHECK"))).toMatch(
      /CMD \["photoferry", "healthcheck"\]$/,
    );
  });
});
