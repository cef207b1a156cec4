import { createHash } from "node:crypto";
import { RunnerError } from "../runner.js";

/** The fingerprint `ssh-keygen -lf` prints for a raw host key blob: `SHA256:<base64, no padding>`. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/**
 * The pinned fingerprint in canonical form. Accepts a whole `ssh-keygen -lf` line
 * (`256 SHA256:… comment (ED25519)`) and tolerates base64 padding; undefined when the text
 * holds no SHA256 fingerprint (an MD5 one, say).
 */
export function parsePinnedFingerprint(pinned: string): string | undefined {
  const match = /SHA256:([A-Za-z0-9+/]{43})=?/.exec(pinned);
  return match ? `SHA256:${match[1]}` : undefined;
}

/** Why the presented key is refused, or undefined when it matches the pin. Never trusts on first use. */
export function hostKeyProblem(
  presented: string,
  pinned: string | null | undefined,
  where: string,
): RunnerError | undefined {
  const configLine = `ssh:\n  hostKey: "${presented}"`;
  const check =
    "check it on the server itself with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` " +
    "(or the matching key type)";
  if (pinned === undefined || pinned === null || pinned.trim() === "") {
    return new RunnerError(
      "host-key-mismatch",
      `the SSH host key of ${where} is not pinned, so photoferry does not connect`,
      `the server presented ${presented}. If that is your server (${check}), add to the config:\n${configLine}`,
    );
  }
  const expected = parsePinnedFingerprint(pinned);
  if (expected === undefined) {
    return new RunnerError(
      "host-key-mismatch",
      `ssh.hostKey "${pinned}" is not a SHA256 fingerprint`,
      `use the \`SHA256:…\` form that \`ssh-keygen -lf\` prints; the server presented ${presented}:\n${configLine}`,
    );
  }
  if (expected === presented) return undefined;
  return new RunnerError(
    "host-key-mismatch",
    `the SSH host key of ${where} does not match the pinned one: refused`,
    `pinned ${expected}, the server presented ${presented}. If the server was reinstalled or its ` +
      `keys changed (${check}), update ssh.hostKey; otherwise something is between you and the ` +
      "server and nothing should be sent to it.",
  );
}
