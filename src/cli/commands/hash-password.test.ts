import { PassThrough, Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../auth/password-hash.js";
import type { CliIo } from "../command.js";
import { hashPasswordCommand } from "./hash-password.js";

function sink(): Writable & { text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return Object.assign(stream, { text: () => text });
}

function pipedIo(input: string) {
  const stdout = sink();
  const stderr = sink();
  const io: CliIo = { stdin: Readable.from([Buffer.from(input)]), stdout, stderr, env: {} };
  return { io, stdout, stderr };
}

/** A fake terminal; each argument is what the person types in one go. */
function terminalIo(...typed: string[]) {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: (_mode: boolean) => stdin,
  });
  // Chunks stay queued in the stream until each prompt reads one.
  typed.forEach((chunk) => stdin.write(chunk));
  const stdout = sink();
  const stderr = sink();
  const io: CliIo = { stdin, stdout, stderr, env: {} };
  return { io, stdout, stderr };
}

const HASH_LINE = /^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+\n$/;

describe("photoferry hash-password", () => {
  it("describes itself", () => {
    expect(hashPasswordCommand.name).toBe("hash-password");
    expect(hashPasswordCommand.summary).toBe("Print a password hash for web.auth.passwordHash");
  });

  it("prints usage for --help", async () => {
    const { io, stdout } = pipedIo("");
    await expect(hashPasswordCommand.run(["--help"], io)).resolves.toBe(0);
    expect(stdout.text()).toBe(hashPasswordCommand.usage);
    expect(stdout.text()).toMatch(/^Usage: photoferry hash-password/);
  });

  it("refuses unexpected arguments", async () => {
    const { io, stdout, stderr } = pipedIo("long enough\n");
    await expect(hashPasswordCommand.run(["--ln=4"], io)).resolves.toBe(1);
    expect(stderr.text()).toMatch(/unexpected argument "--ln=4"/);
    expect(stdout.text()).toBe("");
  });

  it("hashes the first line of piped input, printing only the hash on stdout", async () => {
    const { io, stdout, stderr } = pipedIo("correct horse battery\nignored\n");
    await expect(hashPasswordCommand.run([], io)).resolves.toBe(0);
    expect(stdout.text()).toMatch(HASH_LINE);
    await expect(verifyPassword("correct horse battery", stdout.text().trim())).resolves.toBe(true);
    expect(stderr.text()).toMatch(/web\.auth\.passwordHash/);
    expect(stderr.text()).toMatch(/PHOTOFERRY_PASSWORD_HASH/);
    expect(stderr.text()).toMatch(/web\.auth\.passwordHashFile/);
    expect(stderr.text()).not.toMatch(/Password:/);
  });

  it("refuses a password shorter than 8 characters", async () => {
    const { io, stdout, stderr } = pipedIo("seven77\n");
    await expect(hashPasswordCommand.run([], io)).resolves.toBe(1);
    expect(stderr.text()).toMatch(/at least 8 characters long; that one has 7/);
    expect(stdout.text()).toBe("");
  });

  it("refuses empty input", async () => {
    const { io, stdout, stderr } = pipedIo("\n");
    await expect(hashPasswordCommand.run([], io)).resolves.toBe(1);
    expect(stderr.text()).toMatch(/^photoferry hash-password: No password/);
    expect(stdout.text()).toBe("");
  });

  it("asks twice on a terminal and prints the hash when both agree", async () => {
    const { io, stdout, stderr } = terminalIo("tty password\r", "tty password\r");
    await expect(hashPasswordCommand.run([], io)).resolves.toBe(0);
    expect(stderr.text()).toMatch(/^Password: \nRepeat password: \n/);
    expect(stdout.text()).toMatch(HASH_LINE);
    await expect(verifyPassword("tty password", stdout.text().trim())).resolves.toBe(true);
  });

  it("refuses when the repeated password differs", async () => {
    const { io, stdout, stderr } = terminalIo("tty password\r", "tty passwort\r");
    await expect(hashPasswordCommand.run([], io)).resolves.toBe(1);
    expect(stderr.text()).toMatch(/the two passwords differ/);
    expect(stdout.text()).toBe("");
  });

  it("exits 130 on Ctrl-C", async () => {
    const { io, stdout } = terminalIo("tty pass\u0003");
    await expect(hashPasswordCommand.run([], io)).resolves.toBe(130);
    expect(stdout.text()).toBe("");
  });
});
