import type { QueueView } from "../api/types.js";

export type QueueFile = QueueView["files"][number];
export type QueueFileState = QueueFile["state"];

/** The order files are listed in: what is moving now first, what needs a look last. */
export const queueStates: readonly QueueFileState[] = [
  "in-flight",
  "settling",
  "waiting",
  "failed",
  "quarantined",
];

export const queueStateWords: Record<
  QueueFileState,
  { label: string; tone: "ok" | "warn" | "bad" | "info" | "muted"; meaning: string }
> = {
  "in-flight": { label: "in flight", tone: "info", meaning: "being hashed or moved now" },
  settling: { label: "settling", tone: "muted", meaning: "still changing; waits to settle" },
  waiting: { label: "waiting", tone: "muted", meaning: "ready for the next run" },
  failed: { label: "failed", tone: "bad", meaning: "the last try failed; retried next run" },
  quarantined: {
    label: "quarantined",
    tone: "warn",
    meaning: "set aside; needs a look before it moves",
  },
};

export type StateCounts = Record<QueueFileState, number>;

export interface UserQueue {
  userId: string;
  files: QueueFile[];
  counts: StateCounts;
}

export function countStates(files: readonly QueueFile[]): StateCounts {
  const counts: StateCounts = {
    "in-flight": 0,
    settling: 0,
    waiting: 0,
    failed: 0,
    quarantined: 0,
  };
  for (const file of files) counts[file.state] += 1;
  return counts;
}

/** Files per user, users by name, each user's files by state order then path. */
export function groupQueueByUser(files: readonly QueueFile[]): UserQueue[] {
  const byUser = new Map<string, QueueFile[]>();
  for (const file of files) {
    const list = byUser.get(file.userId);
    if (list) list.push(file);
    else byUser.set(file.userId, [file]);
  }
  const rank = (state: QueueFileState): number => queueStates.indexOf(state);
  return [...byUser.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "en"))
    .map(([userId, list]) => ({
      userId,
      files: [...list].sort(
        (a, b) => rank(a.state) - rank(b.state) || a.path.localeCompare(b.path, "en"),
      ),
      counts: countStates(list),
    }));
}

/** "2 in flight · 1 failed": only the states that occur, in list order. */
export function describeCounts(counts: StateCounts): string {
  return queueStates
    .filter((state) => counts[state] > 0)
    .map((state) => `${counts[state]} ${queueStateWords[state].label}`)
    .join(" · ");
}
