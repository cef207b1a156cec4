import { PassThrough, Readable } from "node:stream";
import type { CliIo } from "../cli/command.js";

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

/** A CliIo whose output is captured; stdin is the given text (not a terminal). */
export function fakeIo(env: NodeJS.ProcessEnv = {}, stdinText = ""): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return {
    stdin: Readable.from([stdinText]),
    stdout,
    stderr,
    env,
    out: () => out,
    err: () => err,
  };
}
