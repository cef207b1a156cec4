import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { Channel } from "./channel.js";
import { postJson } from "./http-post.js";
import { ntfyLevelTag, ntfyPriority } from "./levels.js";
import { runLink, type Notification } from "./notification.js";

type NtfyConfig = PhotoferryConfig["notify"]["ntfy"];

export interface NtfyPublish {
  url: URL;
  headers: Record<string, string>;
  body: {
    topic: string;
    title: string;
    message: string;
    priority: number;
    tags: string[];
    click?: string;
    markdown: true;
  };
}

/** Bearer for an access token; Basic when a user is set (the token is then its password). */
export function ntfyAuthorization(ntfy: NtfyConfig): string | undefined {
  if (!ntfy.token) return undefined;
  if (ntfy.user) return `Basic ${Buffer.from(`${ntfy.user}:${ntfy.token}`).toString("base64")}`;
  return `Bearer ${ntfy.token}`;
}

/**
 * ntfy's JSON publishing: POST to the server's root (not the topic's URL), the topic in the
 * body. A server under a path prefix (`https://host/ntfy`) is published to at that prefix.
 */
export function ntfyPublish(
  notification: Notification,
  ntfy: NtfyConfig & { url: string; topic: string },
  uiUrl: string | undefined,
): NtfyPublish {
  const base = new URL(ntfy.url);
  const url = new URL(`${base.pathname.replace(/\/+$/, "")}/`, base);
  const authorization = ntfyAuthorization(ntfy);
  const click = runLink(uiUrl, notification.runId);
  return {
    url,
    headers: authorization ? { Authorization: authorization } : {},
    body: {
      topic: ntfy.topic,
      title: notification.title,
      message: notification.message,
      priority: ntfyPriority[notification.level],
      tags: [ntfyLevelTag[notification.level], "photoferry"],
      ...(click ? { click } : {}),
      markdown: true,
    },
  };
}

export const ntfyChannel: Channel = {
  name: "ntfy",
  target(config) {
    const { url, topic } = config.notify.ntfy;
    if (!url) return { configured: false, why: "not configured" };
    if (!topic) return { configured: false, why: "notify.ntfy.topic is not set" };
    return { configured: true, where: `topic ${topic} on ${new URL(url).host}` };
  },
  threshold: (config) => config.notify.ntfy.level,
  async send(notification, config, options) {
    const { ntfy, uiUrl } = config.notify;
    if (!ntfy.url || !ntfy.topic) throw new Error("ntfy is not configured");
    const publish = ntfyPublish(notification, { ...ntfy, url: ntfy.url, topic: ntfy.topic }, uiUrl);
    const secrets = [ntfy.token, publish.headers.Authorization].filter((s): s is string => !!s);
    return postJson(publish.url, publish.body, publish.headers, {
      ...options,
      secrets: [...options.secrets, ...secrets],
    });
  },
  refusalHint(status) {
    if (status === 401) {
      return "ntfy did not accept the credentials: check notify.ntfy.token (or PHOTOFERRY_NTFY_TOKEN) and, for basic auth, notify.ntfy.user";
    }
    if (status === 403) {
      return "ntfy does not let these credentials publish to the topic: give the user or token write access to notify.ntfy.topic";
    }
    return "check notify.ntfy.url and notify.ntfy.topic";
  },
};
