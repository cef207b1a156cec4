import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freeLoopbackPort,
  sshdUnavailableReason,
  startTestSshd,
  type TestSshd,
} from "../../test-support/sshd.js";
import { RunnerError } from "../runner.js";
import { createSshRunner, type SshTargetSettings } from "./create-ssh-runner.js";
import type { SshRunner } from "./ssh-runner.js";

const unavailable = sshdUnavailableReason();
if (unavailable) console.warn(`SKIPPING the SSH runner tests against a real sshd: ${unavailable}`);

const node = process.execPath;
const nasty = [
  "two words",
  "it's",
  'say "hi"',
  "line\nbreak",
  "$HOME",
  "${PATH}",
  "`id`",
  "$(id)",
  "*",
  "",
  "-n",
  "--path=/Zoë O'Neil/files",
  "a;b|c&d>e<f",
  "back\\slash",
  "写真 📷",
];

/** Whether a process still runs (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !alive(pid);
}

describe.skipIf(unavailable !== undefined)("SshRunner against a real OpenSSH server", () => {
  let sshd: TestSshd;
  let dir: string;
  let printArgv: string;
  const runners: SshRunner[] = [];

  beforeAll(async () => {
    sshd = await startTestSshd();
    dir = mkdtempSync(join(tmpdir(), "photoferry-ssh-runner-"));
    printArgv = join(dir, "print-argv.js");
    writeFileSync(printArgv, "console.log(JSON.stringify(process.argv.slice(2)));\n");
  }, 30_000);

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.close()));
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function runner(
    target: SshTargetSettings = { container: null },
    overrides: { key?: string; hostKey?: string | undefined; port?: number } = {},
    notices: string[] = [],
  ): SshRunner {
    const created = createSshRunner(
      {
        host: "127.0.0.1",
        port: overrides.port ?? sshd.port,
        user: sshd.user,
        key: overrides.key ?? sshd.clientKey,
        hostKey: "hostKey" in overrides ? overrides.hostKey : sshd.hostKeyFingerprint,
      },
      target,
      { killGraceMs: 1000, connectTimeoutMs: 5000, onNotice: (m) => notices.push(m) },
    );
    runners.push(created);
    return created;
  }

  it("delivers every argument intact to the remote program", async () => {
    const result = await runner().run({ argv: [node, printArgv, ...nasty] }, { timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 0, stderr: "", timedOut: false });
    expect(JSON.parse(result.stdout)).toEqual(nasty);
  });

  it("reports exit codes and stderr, and passes env and the working directory", async () => {
    const ssh = runner();
    const script =
      "process.stderr.write('oops ' + process.env.PF_X + ' ' + process.cwd()); process.exit(7)";
    const result = await ssh.run(
      { argv: [node, "-e", script], env: { PF_X: "a 'b' $c" }, workingDir: dir },
      { timeoutMs: 10_000 },
    );
    expect(result).toMatchObject({ exitCode: 7, stdout: "", stderr: `oops a 'b' $c ${dir}` });
  });

  it("reuses one connection for several commands", async () => {
    const ssh = runner();
    const port = async () =>
      (
        await ssh.run({ argv: ["/bin/sh", "-c", 'echo "$SSH_CONNECTION"'] }, { timeoutMs: 10_000 })
      ).stdout.split(" ")[1];
    const first = await port();
    expect(first).toMatch(/^\d+$/);
    expect(await port()).toBe(first);
  });

  it("connects again when the connection dropped", async () => {
    const ssh = runner();
    // The parent of the command's parent (`timeout`) is sshd's process for this connection.
    const script = 'echo "$SSH_CONNECTION $(cut -d" " -f4 /proc/$PPID/stat)"';
    const before = await ssh.run({ argv: ["/bin/sh", "-c", script] }, { timeoutMs: 10_000 });
    const [, clientPort, , , sshdPid] = before.stdout.trim().split(" ");
    process.kill(Number(sshdPid), "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await ssh.run(
      { argv: ["/bin/sh", "-c", 'echo "$SSH_CONNECTION"'] },
      { timeoutMs: 10_000 },
    );
    expect(after.stdout.split(" ")[1]).not.toBe(clientPort);
  });

  it("stops the remote command and its children on timeout", { timeout: 30_000 }, async () => {
    const pidFile = join(dir, "timeout.pid");
    const started = Date.now();
    const result = await runner().run(
      { argv: ["/bin/sh", "-c", `sleep 60 & echo $! > '${pidFile}'; echo started; wait`] },
      { timeoutMs: 1500 },
    );
    expect(result).toMatchObject({ exitCode: null, timedOut: true, stdout: "started\n" });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await waitUntilGone(Number(readFileSync(pidFile, "utf8")), 3000)).toBe(true);
  });

  it(
    "stops a TERM-ignoring command without a remote `timeout`, by KILL",
    { timeout: 30_000 },
    async () => {
      const pidFile = join(dir, "fallback.pid");
      const script = `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`;
      const ssh = runner(undefined, { key: sshd.noTimeoutKey });
      const check = await ssh.run(
        { argv: ["/bin/sh", "-c", "command -v timeout || echo none"] },
        { timeoutMs: 5000 },
      );
      expect(check.stdout.trim()).toBe("none");
      const result = await ssh.run({ argv: [node, "-e", script] }, { timeoutMs: 1500 });
      expect(result).toMatchObject({ exitCode: null, timedOut: true });
      expect(await waitUntilGone(Number(readFileSync(pidFile, "utf8")), 3000)).toBe(true);
    },
  );

  it("stops the remote command when aborted", { timeout: 30_000 }, async () => {
    const pidFile = join(dir, "abort.pid");
    const controller = new AbortController();
    // Abort once the remote command runs (connecting alone takes a while here).
    const poll = setInterval(() => {
      if (existsSync(pidFile)) {
        clearInterval(poll);
        controller.abort();
      }
    }, 20);
    const result = await runner().run(
      { argv: ["/bin/sh", "-c", `echo $$ > '${pidFile}'; exec sleep 60`] },
      { timeoutMs: 30_000, signal: controller.signal },
    );
    expect(result).toMatchObject({ exitCode: null, timedOut: false });
    expect(await waitUntilGone(Number(readFileSync(pidFile, "utf8")), 3000)).toBe(true);
  });

  it("does not start a command aborted before it could start", async () => {
    const marker = join(dir, "never-started");
    const controller = new AbortController();
    const pending = runner().run(
      { argv: ["touch", marker] },
      { timeoutMs: 5000, signal: controller.signal },
    );
    controller.abort();
    expect(await pending).toMatchObject({ exitCode: null, timedOut: false });
    expect(existsSync(marker)).toBe(false);
  });

  it("reports a missing remote program as target-missing", async () => {
    const error = await runner()
      .run({ argv: ["/nonexistent/occ"] }, { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerError);
    expect(error).toMatchObject({ code: "target-missing" });
  });

  it("runs as the SSH user on the host and says so once when another user is asked for", async () => {
    const notices: string[] = [];
    const ssh = runner({ container: null }, {}, notices);
    const result = await ssh.run({ argv: ["id", "-un"], user: "www-data" }, { timeoutMs: 5000 });
    await ssh.run({ argv: ["true"], user: "www-data" }, { timeoutMs: 5000 });
    expect(result.stdout.trim()).toBe(sshd.user);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('"www-data"');
  });

  describe("host key pinning", () => {
    it("refuses a server whose key is not pinned, and shows the line to add", async () => {
      const error = await runner(undefined, { hostKey: undefined })
        .run({ argv: ["true"] }, { timeoutMs: 5000 })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "host-key-mismatch", transient: false });
      expect((error as RunnerError).hint).toContain(`hostKey: "${sshd.hostKeyFingerprint}"`);
    });

    it("refuses a server whose key differs from the pinned one, showing both", async () => {
      const error = await runner(undefined, { hostKey: sshd.otherFingerprint })
        .run({ argv: ["true"] }, { timeoutMs: 5000 })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "host-key-mismatch" });
      expect((error as RunnerError).hint).toContain(sshd.hostKeyFingerprint);
      expect((error as RunnerError).hint).toContain(sshd.otherFingerprint);
    });
  });

  it("reports a refused client key as auth-failed", async () => {
    const error = await runner(undefined, { key: sshd.strangerKey })
      .run({ argv: ["true"] }, { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "auth-failed", transient: false });
  });

  it("reports a key that is not a key as auth-failed", async () => {
    const error = await runner(undefined, { key: "not a key" })
      .run({ argv: ["true"] }, { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "auth-failed" });
  });

  it("reports a server that is down as daemon-unreachable (transient)", async () => {
    const error = await runner(undefined, { port: await freeLoopbackPort() })
      .run({ argv: ["true"] }, { timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "daemon-unreachable", transient: true });
  });

  describe("docker exec", () => {
    it("wraps the command in docker exec with user, working dir and env", async () => {
      const fakeDocker = join(dir, "fake-docker.js");
      writeFileSync(fakeDocker, "console.log(JSON.stringify(process.argv.slice(2)));\n");
      const ssh = runner({ container: "nextcloud", docker: [node, fakeDocker] });
      const result = await ssh.run(
        {
          argv: ["php", "/var/www/html/occ", ...nasty],
          user: "33",
          workingDir: "/var/www",
          env: { A: "b c" },
        },
        { timeoutMs: 10_000 },
      );
      expect(JSON.parse(result.stdout)).toEqual([
        "exec",
        "-u",
        "33",
        "-w",
        "/var/www",
        "-e",
        "A=b c",
        "nextcloud",
        // The fake docker answered the probe, so the limit is set inside the container.
        "timeout",
        "-k",
        "5",
        "10",
        "php",
        "/var/www/html/occ",
        ...nasty,
      ]);
      expect(ssh.description).toContain("docker container nextcloud");
    });

    it("turns docker's own refusal into a RunnerError", async () => {
      const fakeDocker = join(dir, "fake-docker-missing.sh");
      writeFileSync(
        fakeDocker,
        "#!/bin/sh\necho 'Error response from daemon: No such container: nextcloud' >&2\nexit 1\n",
      );
      chmodSync(fakeDocker, 0o755);
      const error = await runner({ container: "nextcloud", docker: [fakeDocker] })
        .run({ argv: ["php", "occ"] }, { timeoutMs: 5000 })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "target-missing" });
    });
  });

  it("close() ends the connection and is safe twice", async () => {
    const ssh = runner();
    await ssh.run({ argv: ["true"] }, { timeoutMs: 5000 });
    await ssh.close();
    await ssh.close();
    const again = await ssh.run({ argv: ["true"] }, { timeoutMs: 5000 });
    expect(again.exitCode).toBe(0);
    await ssh.close();
  });
});
