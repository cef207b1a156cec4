import type { ClientChannel } from "ssh2";
import { OutputTail } from "../local-runner.js";
import type { RunOptions } from "../runner.js";
import { killProcessGroupCommand, ProcessGroupMarker } from "./remote-process-group.js";
import type { SshSession } from "./ssh-connection.js";

export interface ChannelOutcome {
  stdout: string;
  stderr: string;
  /** undefined when the channel closed without an exit status (connection lost, abandoned). */
  exit: { code: number | null } | undefined;
  stoppedBy: "timeout" | "abort" | undefined;
}

type Signal = "TERM" | "KILL";

/**
 * Collects a remote command's output and exit status; on timeout or abort stops its whole
 * process group (TERM, then KILL after `graceMs`). Always settles: a channel that still
 * does not close after the KILL is abandoned (the remote `timeout` remains as a backstop).
 */
export function followChannel(
  channel: ClientChannel,
  session: SshSession,
  options: RunOptions,
  graceMs: number,
): Promise<ChannelOutcome> {
  // No input: a program that reads stdin sees its end instead of waiting forever.
  channel.end();
  const stdout = new OutputTail();
  const stderr = new OutputTail();
  let sent: Signal | undefined;
  const marker = new ProcessGroupMarker((chunk) => stderr.push(chunk));
  channel.on("data", (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on("data", (chunk: Buffer) => {
    const known = marker.pgid;
    marker.push(chunk);
    // A stop asked for before the pid was known is carried out now.
    if (known === undefined && marker.pgid !== undefined && sent !== undefined) send(sent);
  });
  let exit: ChannelOutcome["exit"];
  channel.on("exit", (code: unknown) => (exit = { code: typeof code === "number" ? code : null }));
  let stoppedBy: ChannelOutcome["stoppedBy"];
  const timers: NodeJS.Timeout[] = [];
  const later = (ms: number, action: () => void): void => {
    timers.push(setTimeout(action, ms));
  };

  const send = (signal: Signal): void => {
    sent = signal;
    channel.signal(signal); // honoured by OpenSSH for non-root logins
    if (marker.pgid === undefined || session.closed) return;
    session.exec(killProcessGroupCommand(marker.pgid, signal)).then(
      (killer) => {
        killer.end();
        killer.resume();
        killer.stderr.resume();
      },
      () => undefined, // the connection is gone; the remote `timeout` takes over
    );
  };

  return new Promise<ChannelOutcome>((resolve) => {
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      marker.flush();
      resolve({ stdout: stdout.text(), stderr: stderr.text(), exit, stoppedBy });
    };
    const stop = (reason: "timeout" | "abort"): void => {
      if (stoppedBy !== undefined || exit !== undefined) return;
      stoppedBy = reason;
      send("TERM");
      later(graceMs, () => {
        send("KILL");
        later(1000, () => channel.close());
        later(3000, settle);
      });
    };
    const onAbort = (): void => stop("abort");
    later(options.timeoutMs, () => stop("timeout"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) stop("abort"); // aborted while the command was being started
    channel.once("close", settle);
  });
}
