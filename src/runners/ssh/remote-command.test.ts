import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { remoteCommandLine, remoteStartFailure, type SshTarget } from "./remote-command.js";

const docker: SshTarget = { kind: "docker-exec", container: "nextcloud" };
const host: SshTarget = { kind: "host" };
const argv = ["php", "/var/www/html/occ", "files:scan", "--path=/Zoë O'Neil/files/Photos"];

/** Runs the line through /bin/sh with `exec`/`timeout` replaced by a printer of the argv. */
function wordsOf(line: string): string[] {
  const printer = `printf '%s\\0' "$@"`;
  const out = execFileSync(
    "/bin/sh",
    ["-c", `p() { ${printer}; }; ${line.replaceAll("exec ", "p ")}`],
    {
      encoding: "utf8",
    },
  );
  return out.split("\0").slice(0, -1);
}

describe("remoteCommandLine", () => {
  it("wraps docker exec with user, working dir and env, every word quoted", () => {
    const line = remoteCommandLine(
      { argv, user: "33", workingDir: "/var/www/html", env: { A: "x y", "B.C": "$z" } },
      docker,
      undefined,
    );
    expect(wordsOf(line)).toEqual([
      "docker",
      "exec",
      "-u",
      "33",
      "-w",
      "/var/www/html",
      "-e",
      "A=x y",
      "-e",
      "B.C=$z",
      "nextcloud",
      ...argv,
    ]);
  });

  it("stops the command inside the container when it has timeout, the client a little later", () => {
    const line = remoteCommandLine(
      { argv: ["php", "occ"], user: "33" },
      { kind: "docker-exec", container: "nextcloud" },
      60,
      true,
    );
    expect(line).toMatch(
      /; exec timeout -k 5 70 'docker' 'exec' '-u' '33' 'nextcloud' 'timeout' '-k' '5' '60' 'php' 'occ'$/,
    );
  });

  it("puts timeout in front of the docker client and rounds the seconds up", () => {
    const line = remoteCommandLine(
      { argv: ["true"] },
      { ...docker, docker: ["sudo", "-n", "docker"] },
      2.1,
    );
    expect(line).toMatch(/; exec timeout -k 5 3 'sudo' '-n' 'docker' 'exec' 'nextcloud' 'true'$/);
    expect(remoteCommandLine({ argv: ["true"] }, docker, 0.2)).toContain("timeout -k 5 1 ");
  });

  it("runs a plain command with cd and exported env on the host", () => {
    const line = remoteCommandLine(
      { argv, workingDir: "/srv/my dir", env: { NAME: "it's" } },
      host,
      30,
    );
    expect(line).toBe(
      `printf 'photoferry-pgid %s\\n' "$$" >&2; cd '/srv/my dir' && export NAME='it'\\''s' && exec timeout -k 5 30 'php' '/var/www/html/occ' 'files:scan' '--path=/Zoë O'\\''Neil/files/Photos'`,
    );
  });

  it("refuses an env name a shell cannot export", () => {
    expect(() => remoteCommandLine({ argv, env: { "A-B": "1" } }, host, undefined)).toThrow(/A-B/);
    expect(() => remoteCommandLine({ argv, env: { "1A": "1" } }, host, undefined)).toThrow();
  });
});

describe("remoteStartFailure", () => {
  it.each([
    ["Error response from daemon: No such container: nextcloud", 1, "target-missing"],
    [
      "Error response from daemon: Container abc is restarting, wait until the container is running",
      1,
      "target-restarting",
    ],
    ["Error response from daemon: container abc is not running", 1, "target-not-running"],
    [
      "Error response from daemon: Container abc is paused, unpause the container before exec",
      1,
      "target-not-running",
    ],
    [
      "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
      1,
      "daemon-unreachable",
    ],
    [
      "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock",
      1,
      "exec-failed",
    ],
    [
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "php": executable file not found in $PATH: unknown',
      127,
      "target-missing",
    ],
    ["bash: line 1: exec: docker: not found", 127, "target-missing"],
  ])("docker: %s → %s", (stderr, exitCode, code) => {
    expect(remoteStartFailure(docker, exitCode, `${stderr}\n`, "php")?.code).toBe(code);
  });

  it("leaves the command's own failures alone", () => {
    expect(remoteStartFailure(docker, 1, "Error: user 'x' not found\n", "php")).toBeUndefined();
    expect(
      remoteStartFailure(docker, 0, "Error response from daemon: No such container: x", "php"),
    ).toBeUndefined();
    expect(remoteStartFailure(docker, null, "", "php")).toBeUndefined();
    expect(
      remoteStartFailure(host, 1, "Error response from daemon: No such container: x", "php"),
    ).toBeUndefined();
    expect(
      remoteStartFailure(
        docker,
        2,
        "scan done\nError response from daemon: No such container",
        "php",
      ),
    ).toBeUndefined();
  });

  it("recognises a missing or unusable program on the host", () => {
    expect(
      remoteStartFailure(
        host,
        127,
        "timeout: failed to run command 'occ': No such file or directory",
        "occ",
      )?.code,
    ).toBe("target-missing");
    expect(remoteStartFailure(host, 127, "sh: 1: exec: occ: not found", "occ")?.message).toContain(
      '"occ"',
    );
    expect(
      remoteStartFailure(host, 126, "timeout: failed to run command 'x': Permission denied", "x")
        ?.code,
    ).toBe("exec-failed");
    expect(remoteStartFailure(host, 126, "", "x")).toBeUndefined();
  });
});
