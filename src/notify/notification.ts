import type { NotifyLevel } from "./levels.js";

/** What happened, as the webhook's `event` field names it. */
export type NotificationEvent =
  | "run-failed"
  | "run-warning"
  | "run-succeeded"
  | "nothing-to-do"
  | "service-error"
  | "test"
  /** Several notifications merged into one message. */
  | "summary";

/** One message, before a channel formats it. `message` is Markdown. */
export interface Notification {
  event: NotificationEvent;
  level: NotifyLevel;
  title: string;
  message: string;
  runId: number | null;
  /** ISO time of the event. */
  at: string;
}

/**
 * The UI's page for one run. Kept in one place so the UI's route and the links in
 * notifications cannot drift apart.
 */
export function runLink(uiUrl: string | undefined, runId: number | null): string | null {
  if (!uiUrl) return null;
  const base = uiUrl.replace(/\/+$/, "");
  return runId === null ? `${base}/` : `${base}/runs/${runId}`;
}
