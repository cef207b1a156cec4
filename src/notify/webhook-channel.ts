import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { Channel } from "./channel.js";
import { postJson } from "./http-post.js";
import type { NotifyLevel } from "./levels.js";
import { runLink, type Notification, type NotificationEvent } from "./notification.js";

type WebhookConfig = PhotoferryConfig["notify"]["webhook"];

/** The webhook's JSON body: a stable, documented shape for other programs. */
export interface WebhookPayload {
  event: NotificationEvent;
  level: NotifyLevel;
  title: string;
  message: string;
  runId: number | null;
  /** The run's page in the UI, when `notify.uiUrl` is set. */
  url: string | null;
  at: string;
}

export function webhookPayload(
  notification: Notification,
  uiUrl: string | undefined,
): WebhookPayload {
  return {
    event: notification.event,
    level: notification.level,
    title: notification.title,
    message: notification.message,
    runId: notification.runId,
    url: runLink(uiUrl, notification.runId),
    at: notification.at,
  };
}

export function webhookHeaders(webhook: WebhookConfig): Record<string, string> {
  const headers: Record<string, string> = { ...webhook.headers };
  if (webhook.secret) headers[webhook.secretHeader] = webhook.secret;
  return headers;
}

export const webhookChannel: Channel = {
  name: "webhook",
  // Only the host: webhook URLs often carry their token in the path (Discord, Slack).
  target(config) {
    const { url } = config.notify.webhook;
    return url
      ? { configured: true, where: new URL(url).host }
      : { configured: false, why: "not configured" };
  },
  threshold: (config) => config.notify.webhook.level,
  async send(notification, config, options) {
    const { webhook, uiUrl } = config.notify;
    if (!webhook.url) throw new Error("the webhook is not configured");
    const url = new URL(webhook.url);
    const pathSecrets = url.pathname.length > 1 ? [url.pathname, url.search] : [url.search];
    const secrets = [webhook.secret ?? "", ...pathSecrets].filter((s) => s.length >= 4);
    return postJson(url, webhookPayload(notification, uiUrl), webhookHeaders(webhook), {
      ...options,
      secrets: [...options.secrets, ...secrets],
    });
  },
  refusalHint(status) {
    if (status === 401 || status === 403) {
      return "the webhook refused photoferry: check notify.webhook.secret (or PHOTOFERRY_WEBHOOK_SECRET) and notify.webhook.secretHeader";
    }
    return "check notify.webhook.url";
  },
};
