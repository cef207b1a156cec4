import { PassThrough, Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "./command.js";
import { PromptCancelledError, readPassword } from "./read-password.js";

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

function pipedIo(input: string | Buffer[]) {
  const stdin = Readable.from(typeof input === "string" ? [Buffer.from(input)] : input);
  const stderr = sink();
  const io: CliIo = { stdin, stdout: sink(), stderr, env: {} };
  return { io, stdin, stderr };
}

/** A stand-in for a terminal: isTTY, setRawMode that records its calls, and typed chunks. */
function terminalIo() {
  const rawModes: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode(mode: boolean) {
      rawModes.push(mode);
      stdin.isRaw = mode;
      return stdin;
    },
  });
  const stderr = sink();
  const io: CliIo = { stdin, stdout: sink(), stderr, env: {} };
  const type = (...chunks: (string | Buffer)[]) => chunks.forEach((c) => stdin.write(c));
  return { io, stdin, stderr, rawModes, type };
}

describe("readPassword from a pipe", () => {
  it("takes only the first line and writes no prompt", async () => {
    const { io, stderr } = pipedIo("s3cret pass\nsecond line\n");
    await expect(readPassword(io, "Password: ")).resolves.toBe("s3cret pass");
    expect(stderr.text()).toBe("");
  });

  it("strips a CRLF line ending", async () => {
    await expect(readPassword(pipedIo("windows\r\n").io, "")).resolves.toBe("windows");
  });

  it("accepts end of input without a newline", async () => {
    await expect(readPassword(pipedIo("no newline").io, "")).resolves.toBe("no newline");
  });

  it("joins a line split across chunks, including a split UTF-8 character", async () => {
    const euro = Buffer.from("€");
    const chunks = [Buffer.from("pa"), euro.subarray(0, 1), euro.subarray(1), Buffer.from("ss\n")];
    await expect(readPassword(pipedIo(chunks).io, "")).resolves.toBe("pa€ss");
  });

  it("leaves what follows the first line unread", async () => {
    const { io } = pipedIo("first\nsecond\n");
    await expect(readPassword(io, "")).resolves.toBe("first");
    await expect(readPassword(io, "")).resolves.toBe("second");
  });

  it("refuses empty input", async () => {
    await expect(readPassword(pipedIo("").io, "")).rejects.toThrow(/No password/);
    await expect(readPassword(pipedIo("\nlater\n").io, "")).rejects.toThrow(/first line is empty/);
    await expect(readPassword(pipedIo("\r\n").io, "")).rejects.toThrow(/No password/);
  });
});

describe("readPassword on a terminal", () => {
  it("prompts on stderr, reads without echo and restores the mode", async () => {
    const { io, stderr, rawModes, type, stdin } = terminalIo();
    const result = readPassword(io, "Password: ");
    type("hun", "ter2", "\r");
    await expect(result).resolves.toBe("hunter2");
    expect(stderr.text()).toBe("Password: \n");
    expect(rawModes).toEqual([true, false]);
    expect(stdin.listenerCount("data")).toBe(0);
  });

  it("handles Backspace, DEL, Ctrl-U, arrow keys and \\n", async () => {
    const { io, type } = terminalIo();
    const result = readPassword(io, "");
    type("abx\u007f", "c\b", "d", "\u001b[D\u001bOA", "\u0015ok€", Buffer.from("\t!\n"));
    await expect(result).resolves.toBe("ok€!");
  });

  it("rejects with PromptCancelledError on Ctrl-C and restores the mode", async () => {
    const { io, rawModes, type } = terminalIo();
    const result = readPassword(io, "Password: ");
    type("abc\u0003");
    await expect(result).rejects.toBeInstanceOf(PromptCancelledError);
    expect(rawModes).toEqual([true, false]);
  });

  it("treats Ctrl-D as end of input only on an empty line", async () => {
    const empty = terminalIo();
    const first = readPassword(empty.io, "");
    empty.type("\u0004");
    await expect(first).rejects.toThrow(/No password was entered/);
    expect(empty.rawModes).toEqual([true, false]);

    const typed = terminalIo();
    const second = readPassword(typed.io, "");
    typed.type("ab\u0004c\r");
    await expect(second).resolves.toBe("abc");
  });

  it("refuses an empty Enter", async () => {
    const { io, type, rawModes } = terminalIo();
    const result = readPassword(io, "");
    type("\r");
    await expect(result).rejects.toThrow(/No password was entered/);
    expect(rawModes).toEqual([true, false]);
  });

  it("keeps a terminal that was already raw in raw mode", async () => {
    const { io, type, rawModes, stdin } = terminalIo();
    stdin.isRaw = true;
    const result = readPassword(io, "");
    type("x\r");
    await expect(result).resolves.toBe("x");
    expect(rawModes).toEqual([true, true]);
  });
});
