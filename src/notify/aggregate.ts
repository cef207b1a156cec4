import { levelRank, worstLevel } from "./levels.js";
import type { Notification } from "./notification.js";

/** ntfy cuts messages above 4096 bytes into attachments; stay well below. */
export const MAX_MESSAGE_CHARS = 3500;

/**
 * Many notifications as one: the worst one's title and run, every part in the message
 * (worst first, then newest first), cut to a size every channel accepts.
 */
export function mergeNotifications(items: readonly Notification[], omitted = 0): Notification {
  const [first] = items;
  if (!first) throw new Error("mergeNotifications needs at least one notification");
  if (items.length === 1 && omitted === 0) return first;
  const ordered = [...items].sort(
    (a, b) => levelRank(b.level) - levelRank(a.level) || b.at.localeCompare(a.at),
  );
  const worst = ordered[0] ?? first;
  const total = items.length + omitted;
  const parts: string[] = [];
  let length = 0;
  let shown = 0;
  for (const item of ordered) {
    const part = `**${item.title}**\n${item.message}`;
    if (shown > 0 && length + part.length > MAX_MESSAGE_CHARS - 100) break;
    parts.push(part.slice(0, MAX_MESSAGE_CHARS - 100));
    length += part.length + 2;
    shown++;
  }
  const left = total - shown;
  if (left > 0) parts.push(`…and ${left} more (see the activity log).`);
  return {
    event: "summary",
    level: worstLevel(items.map((item) => item.level)),
    title: `${worst.title} (+${total - 1} more)`,
    message: parts.join("\n\n"),
    runId: worst.runId,
    at: items.reduce((latest, item) => (item.at > latest ? item.at : latest), first.at),
  };
}
