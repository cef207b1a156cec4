/** Notification levels, lowest first; a channel sends what is at or above its threshold. */
export const notifyLevels = ["debug", "info", "success", "warning", "error"] as const;
export type NotifyLevel = (typeof notifyLevels)[number];

export function levelRank(level: NotifyLevel): number {
  return notifyLevels.indexOf(level);
}

export function meetsThreshold(level: NotifyLevel, threshold: NotifyLevel): boolean {
  return levelRank(level) >= levelRank(threshold);
}

export function worstLevel(levels: readonly NotifyLevel[]): NotifyLevel {
  return levels.reduce<NotifyLevel>(
    (worst, level) => (levelRank(level) > levelRank(worst) ? level : worst),
    "debug",
  );
}

/** ntfy priorities: 1 min, 2 low, 3 default, 4 high, 5 max (urgent). */
export const ntfyPriority: Record<NotifyLevel, 1 | 2 | 3 | 4 | 5> = {
  debug: 1,
  info: 2,
  success: 3,
  warning: 4,
  error: 5,
};

/** ntfy shows tags that name an emoji as that emoji in front of the title. */
export const ntfyLevelTag: Record<NotifyLevel, string> = {
  debug: "mag",
  info: "information_source",
  success: "white_check_mark",
  warning: "warning",
  error: "rotating_light",
};
