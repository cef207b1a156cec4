import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalRunner, OutputTail, resolveRunAs } from "./local-runner.js";
import { MAX_CAPTURED_OUTPUT_BYTES, RunnerError } from "./runner.js";

const node = process.execPath;
const dir = mkdtempSync(join(tmpdir(), "photoferry-local-runner-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runner = new LocalRunner({ killGraceMs: 500 });
const run = (
  argv: string[],
  extra: Partial<Parameters<LocalRunner["run"]>[0]> = {},
  timeoutMs = 10_000,
) => runner.run({ argv, ...extra }, { timeoutMs });

/** Whether a process still runs (a zombie waiting for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

describe("LocalRunner", () => {
  it("passes argv without a shell: spaces, quotes, newlines, $ and globs intact", async () => {
    const args = ["two words", "it's", 'say "hi"', "line\nbreak", "$HOME", "*", "", "-n", "Zoë 📷"];
    const result = await run([
      node,
      "-e",
      "console.log(JSON.stringify(process.argv.slice(1)))",
      "--",
      ...args,
    ]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(args);
    expect(result.timedOut).toBe(false);
  });

  it("merges env over photoferry's own and runs in the working directory", async () => {
    const result = await run(
      [
        node,
        "-e",
        "console.log(JSON.stringify([process.env.PF_X, process.env.PATH !== undefined, process.cwd()]))",
      ],
      { env: { PF_X: "a b'c" }, workingDir: dir },
    );
    expect(JSON.parse(result.stdout)).toEqual(["a b'c", true, realpathSync(dir)]);
  });

  it("reports exit codes and stderr", async () => {
    const result = await run([node, "-e", "process.stderr.write('bad thing\\n'); process.exit(3)"]);
    expect(result).toMatchObject({
      exitCode: 3,
      stdout: "",
      stderr: "bad thing\n",
      timedOut: false,
    });
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it("stops the whole process tree on timeout", { timeout: 20_000 }, async () => {
    const pidFile = join(dir, "grandchild.pid");
    const script = `sleep 60 & echo $! > '${pidFile}'; echo started; wait`;
    const started = Date.now();
    const result = await run(["/bin/sh", "-c", script], {}, 700);
    expect(result).toMatchObject({ exitCode: null, timedOut: true, stdout: "started\n" });
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(grandchild)).toBe(false);
  });

  it("kills with SIGKILL a program that ignores SIGTERM", { timeout: 20_000 }, async () => {
    const result = await run(
      [
        node,
        "-e",
        "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)",
      ],
      {},
      800,
    );
    expect(result).toMatchObject({ exitCode: null, timedOut: true, stdout: "up\n" });
  });

  it("stops the command when aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await runner.run(
      { argv: ["sleep", "30"] },
      { timeoutMs: 30_000, signal: controller.signal },
    );
    expect(result).toMatchObject({ exitCode: null, timedOut: false });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("does not start when already aborted", async () => {
    const marker = join(dir, "never");
    const result = await runner.run(
      { argv: ["touch", marker] },
      { timeoutMs: 5000, signal: AbortSignal.abort() },
    );
    expect(result.exitCode).toBeNull();
    expect(() => readFileSync(marker)).toThrow();
  });

  it("returns when the program exits even if a background child keeps stdout open", async () => {
    const started = Date.now();
    const result = await run(["/bin/sh", "-c", "sleep 30 & echo parent done"], {}, 20_000);
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, stdout: "parent done\n" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("says what to do when the program is missing", async () => {
    const error = await run(["/nonexistent/occ", "status"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerError);
    expect(error).toMatchObject({ code: "target-missing", transient: false });
    expect((error as RunnerError).hint).toMatch(/install|full path/);
  });

  it("tells a missing working directory apart from a missing program", async () => {
    const error = await run([node, "-e", "1"], { workingDir: join(dir, "nope") }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "exec-failed" });
    expect((error as RunnerError).message).toContain("working directory");
  });

  it("reports a program that is not executable", async () => {
    const script = join(dir, "not-executable.sh");
    writeFileSync(script, "#!/bin/sh\necho hi\n");
    chmodSync(script, 0o644);
    const error = await run([script]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "exec-failed" });
    expect((error as RunnerError).hint).toContain("chmod");
  });

  it("refuses an empty command", async () => {
    await expect(run([])).rejects.toMatchObject({ code: "exec-failed" });
  });

  it(
    "keeps the tail of large output, stdout and stderr separately",
    { timeout: 30_000 },
    async () => {
      const script = `
      const block = Buffer.alloc(1024 * 1024, 'a');
      for (let i = 0; i < 5; i++) process.stdout.write(block);
      process.stdout.write('END');
      process.stderr.write('only this');`;
      const result = await run([node, "-e", script]);
      expect(result.stdout.length).toBe(MAX_CAPTURED_OUTPUT_BYTES);
      expect(result.stdout.endsWith("aaEND")).toBe(true);
      expect(result.stderr).toBe("only this");
    },
  );

  describe.skipIf(process.getuid?.() !== 0)("as root", () => {
    it("runs as another user by name, with that user's primary group", async () => {
      const result = await run(
        [node, "-e", "console.log(process.getuid() + ':' + process.getgid())"],
        { user: "nobody" },
      );
      const entry = readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((l) => l.startsWith("nobody:"))!
        .split(":");
      expect(result.stdout.trim()).toBe(`${entry[2]}:${entry[3]}`);
    });

    it("runs as a numeric uid:gid that has no passwd entry", async () => {
      const result = await run(
        [node, "-e", "console.log(process.getuid() + ':' + process.getgid())"],
        { user: "4242:4343" },
      );
      expect(result.stdout.trim()).toBe("4242:4343");
    });

    it("refuses an unknown user name", async () => {
      await expect(run(["true"], { user: "no-such-user-pf" })).rejects.toMatchObject({
        code: "exec-failed",
      });
    });
  });
  if (process.getuid?.() !== 0)
    console.warn("local-runner: not root, switching users is not tested");
});

describe("resolveRunAs", () => {
  const passwd =
    "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\nabc:x:911:1000::/config:/bin/false\n";
  const group = "root:x:0:\nwww-data:x:33:\nusers:x:100:\n";

  it.each([
    ["33", { uid: 33, gid: 33 }],
    ["www-data", { uid: 33, gid: 33 }],
    ["abc", { uid: 911, gid: 1000 }],
    ["911", { uid: 911, gid: 1000 }],
    ["1000", { uid: 1000, gid: 1000 }],
    ["1000:100", { uid: 1000, gid: 100 }],
    ["www-data:users", { uid: 33, gid: 100 }],
    ["0", { uid: 0, gid: 0 }],
  ])("%s → %j", (user, expected) => {
    expect(resolveRunAs(user, passwd, group)).toEqual(expected);
  });

  it("refuses unknown names", () => {
    expect(() => resolveRunAs("nobody-here", passwd, group)).toThrow(/no user "nobody-here"/);
    expect(() => resolveRunAs("33:nogroup", passwd, group)).toThrow(/no group "nogroup"/);
  });
});

describe("LocalRunner when not root", () => {
  it("runs as the current user and says so once", async () => {
    // Pretend photoferry is not root: the runner must then not switch, only say so.
    const notices: string[] = [];
    const probe = new LocalRunner({ onNotice: (m) => notices.push(m) });
    const realGetuid = process.getuid;
    process.getuid = () => 65534;
    try {
      const first = await probe.run({ argv: ["id", "-u"], user: "33" }, { timeoutMs: 5000 });
      await probe.run({ argv: ["true"], user: "33" }, { timeoutMs: 5000 });
      expect(first.stdout.trim()).toBe(String(realGetuid?.call(process)));
    } finally {
      process.getuid = realGetuid;
    }
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/cannot switch to user "33"/);
    expect(probe.description).toMatch(/cannot switch to "33"/);
  });
});

describe("OutputTail", () => {
  it("keeps the last bytes across chunks", () => {
    const tail = new OutputTail(5);
    for (const part of ["abc", "def", "gh"]) tail.push(Buffer.from(part));
    expect(tail.text()).toBe("defgh");
  });

  it("keeps a character split between chunks whole and drops one cut by the limit", () => {
    const bytes = Buffer.from("xé写");
    const tail = new OutputTail(4);
    tail.push(bytes.subarray(0, 2));
    tail.push(bytes.subarray(2));
    // "写" is 3 bytes; the 4-byte tail starts inside "é", whose remainder is dropped.
    expect(tail.text()).toBe("写");
    const whole = new OutputTail(100);
    whole.push(bytes.subarray(0, 2));
    whole.push(bytes.subarray(2));
    expect(whole.text()).toBe("xé写");
  });

  it("does not pass photoferry's own variables (and secrets) to the command", async () => {
    process.env.PHOTOFERRY_PHOTOPRISM_TOKEN = "s3cret-token";
    try {
      const result = await new LocalRunner().run(
        {
          argv: [process.execPath, "-e", "console.log(JSON.stringify(process.env))"],
          env: { EXTRA: "1" },
        },
        { timeoutMs: 20_000 },
      );
      const env = JSON.parse(result.stdout) as Record<string, string>;
      expect(env.EXTRA).toBe("1");
      expect(result.stdout).not.toContain("s3cret-token");
      expect(Object.keys(env).some((k) => k.startsWith("PHOTOFERRY_"))).toBe(false);
    } finally {
      delete process.env.PHOTOFERRY_PHOTOPRISM_TOKEN;
    }
  });
});
