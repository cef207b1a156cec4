import { StringDecoder } from "node:string_decoder";
import type { CliIo } from "./command.js";

/** The person pressed Ctrl-C at a password prompt; commands exit with 130 for it. */
export class PromptCancelledError extends Error {
  override readonly name = "PromptCancelledError";
  constructor() {
    super("Cancelled");
  }
}

// Enough for any passphrase; stops `cat big-file | photoferry hash-password` from
// buffering the whole file.
const MAX_LINE_BYTES = 64 * 1024;

/**
 * Reads a password: on a terminal without echo after writing `prompt` to stderr, otherwise
 * the first line of stdin (so `printf '%s\n' "$PW" | photoferry hash-password` works).
 */
export function readPassword(io: CliIo, prompt: string): Promise<string> {
  return isTerminal(io) ? readFromTerminal(io, prompt) : readFirstLine(io);
}

/** True when readPassword will prompt on a terminal rather than read a piped line. */
export function isTerminal(io: CliIo): boolean {
  return io.stdin.isTTY === true && typeof io.stdin.setRawMode === "function";
}

function readFromTerminal(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin as CliIo["stdin"] & { isRaw?: boolean };
  const setRawMode = (stdin.setRawMode as (mode: boolean) => unknown).bind(stdin);
  const wasRaw = stdin.isRaw === true;
  const decoder = new StringDecoder("utf8");
  let chars: string[] = [];
  let escape: "none" | "started" | "sequence" = "none";

  return new Promise<string>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onError);
      stdin.pause();
      setRawMode(wasRaw);
      // Echo is off, so the Enter the person typed did not move the cursor.
      io.stderr.write("\n");
      outcome();
    };
    const submit = () => {
      if (chars.length === 0) finish(() => reject(new Error("No password was entered")));
      else finish(() => resolve(chars.join("")));
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
      for (const ch of text) {
        // Arrow, function and Alt keys arrive as ESC [ … final, ESC O final or ESC key;
        // none of them belong in a password.
        if (escape === "started") {
          escape = ch === "[" || ch === "O" ? "sequence" : "none";
          continue;
        }
        if (escape === "sequence") {
          if (ch >= "@" && ch <= "~") escape = "none";
          continue;
        }
        switch (ch) {
          case "\r":
          case "\n":
            return submit();
          case "\u0003": // Ctrl-C
            return finish(() => reject(new PromptCancelledError()));
          case "\u0004": // Ctrl-D: end of input only on an empty line, as in a shell
            if (chars.length === 0) return submit();
            break;
          case "\u007f": // DEL, what most terminals send for Backspace
          case "\b":
            chars = chars.slice(0, -1);
            break;
          case "\u0015": // Ctrl-U
            chars = [];
            break;
          case "\u001b":
            escape = "started";
            break;
          default:
            if (ch >= " ") chars.push(ch);
        }
      }
    };
    const onEnd = () => submit();
    const onError = (err: Error) => finish(() => reject(err));

    io.stderr.write(prompt);
    try {
      setRawMode(true);
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.on("error", onError);
    stdin.resume();
  });
}

function readFirstLine(io: CliIo): Promise<string> {
  const { stdin } = io;
  const chunks: Buffer[] = [];
  let size = 0;

  return new Promise<string>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", onError);
      stdin.pause();
      outcome();
    };
    const accept = (bytes: Buffer) => {
      const line = bytes.toString("utf8").replace(/\r$/, "");
      if (line.length === 0) {
        finish(() => reject(new Error("No password on standard input (the first line is empty)")));
      } else {
        finish(() => resolve(line));
      }
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      const newline = bytes.indexOf(0x0a);
      if (newline === -1) {
        chunks.push(bytes);
        size += bytes.length;
        if (size > MAX_LINE_BYTES) {
          finish(() => reject(new Error("The first line of standard input is over 64 KiB")));
        }
        return;
      }
      chunks.push(bytes.subarray(0, newline));
      accept(Buffer.concat(chunks));
      // Leave what follows the line for whoever reads stdin next. Only after `accept` has
      // detached this listener: unshifting into a flowing stream re-emits the data at once.
      const rest = bytes.subarray(newline + 1);
      if (rest.length > 0) stdin.unshift(rest);
    };
    const onEnd = () => accept(Buffer.concat(chunks));
    const onError = (err: Error) => finish(() => reject(err));

    if (stdin.readableEnded) {
      accept(Buffer.alloc(0));
      return;
    }
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.on("error", onError);
    stdin.resume();
  });
}
