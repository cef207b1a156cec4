/** What was last seen of a file: its size and mtime, and when they were first seen so. */
export interface SettleObservation {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first observed (ms since the epoch). */
  since: number;
}

export type SettleMode = "watch" | "one-shot";

export type SettleVerdict =
  | { settled: true; observation: SettleObservation }
  | { settled: false; observation: SettleObservation; readyAt: number };

/**
 * A file is settled once its size and mtime have not changed for `settleMs`. In a one-shot
 * pass there is no earlier observation to compare with, so an mtime older than `settleMs`
 * counts as settled: Nextcloud writes uploads under a `.part` name and renames them when
 * complete, so a final name with an old mtime is not being written to.
 */
export function judgeSettled(
  previous: SettleObservation | undefined,
  current: { size: number; mtimeMs: number },
  now: number,
  settleMs: number,
  mode: SettleMode,
): SettleVerdict {
  const unchanged =
    previous !== undefined &&
    previous.size === current.size &&
    previous.mtimeMs === current.mtimeMs;
  const observation: SettleObservation = unchanged
    ? previous
    : { size: current.size, mtimeMs: current.mtimeMs, since: now };
  if (now - observation.since >= settleMs) return { settled: true, observation };
  // An mtime in the future (clock skew between machines) never counts as old.
  if (mode === "one-shot" && current.mtimeMs <= now && now - current.mtimeMs >= settleMs) {
    return { settled: true, observation };
  }
  return { settled: false, observation, readyAt: observation.since + settleMs };
}
