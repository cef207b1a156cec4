/**
 * Stopping a remote command. SSH "signal" requests are not enough: OpenSSH ignores them
 * for root logins ("session signalling requires privilege separation") and older servers
 * lack them. So the remote shell first prints its pid on stderr — sshd makes each session
 * its own session and process group, and `exec` keeps that pid for the command — and a stop
 * runs `kill` on that whole group through a second channel of the same connection.
 */
const MARKER = "photoferry-pgid";

/** Put in front of the remote command line; the output goes to stderr before anything else. */
export const PRINT_PROCESS_GROUP = `printf '${MARKER} %s\\n' "$$" >&2; `;

export function killProcessGroupCommand(pgid: number, signal: "TERM" | "KILL"): string {
  if (!Number.isSafeInteger(pgid) || pgid <= 1) throw new Error(`not a process group: ${pgid}`);
  return `kill -s ${signal} -- -${pgid}`;
}

/** Output a login shell's startup files may print before the marker (bash reads ~/.bashrc). */
const SEARCH_LIMIT = 64 * 1024;

/**
 * Takes the marker line out of stderr. Lines before it (startup-file noise) and everything
 * after it pass through unchanged; past SEARCH_LIMIT bytes the search is given up.
 */
export class ProcessGroupMarker {
  private pending: Buffer | undefined = Buffer.alloc(0);
  private searched = 0;
  pgid: number | undefined;

  constructor(private readonly passOn: (chunk: Buffer) => void) {}

  push(chunk: Buffer): void {
    if (this.pending === undefined) {
      this.passOn(chunk);
      return;
    }
    let rest = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const newline = rest.indexOf(0x0a);
      if (newline === -1) {
        if (this.searched + rest.length > SEARCH_LIMIT) this.stopSearching(rest);
        else this.pending = rest;
        return;
      }
      const match = /^photoferry-pgid (\d+)$/.exec(rest.toString("latin1", 0, newline));
      if (match) {
        this.pgid = Number(match[1]);
        this.stopSearching(rest.subarray(newline + 1));
        return;
      }
      this.passOn(rest.subarray(0, newline + 1));
      this.searched += newline + 1;
      rest = rest.subarray(newline + 1);
      if (this.searched > SEARCH_LIMIT) {
        this.stopSearching(rest);
        return;
      }
    }
  }

  /** At the end: whatever was held back was not a marker. */
  flush(): void {
    if (this.pending !== undefined) this.stopSearching(this.pending);
  }

  private stopSearching(rest: Buffer): void {
    this.pending = undefined;
    if (rest.length > 0) this.passOn(rest);
  }
}
