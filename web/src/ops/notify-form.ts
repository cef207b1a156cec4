import type { ConfigEdit } from "../config/use-config.js";
import { isSecretView, valueAt } from "../config/use-config.js";

export const notifyLevels = ["debug", "info", "success", "warning", "error"] as const;
export type NotifyLevel = (typeof notifyLevels)[number];

/**
 * A secret the page never sees: it is kept as it is, replaced by a typed value, or removed.
 * The API shows secrets only as `{ set }`, so "keep" must send nothing at all.
 */
export type SecretEdit = { kind: "keep" } | { kind: "replace"; value: string } | { kind: "clear" };

export interface NotifyForm {
  uiUrl: string;
  ntfyUrl: string;
  ntfyTopic: string;
  ntfyUser: string;
  ntfyToken: SecretEdit;
  ntfyLevel: NotifyLevel;
  webhookUrl: SecretEdit;
  /** One `Name: value` per line. */
  webhookHeaders: string;
  webhookSecretHeader: string;
  webhookSecret: SecretEdit;
  webhookLevel: NotifyLevel;
}

/** Whether each secret is set now, and the file it is read from, if any. */
export interface NotifySecrets {
  ntfyToken: { set: boolean; file: string | null };
  webhookUrl: { set: boolean; file: null };
  webhookSecret: { set: boolean; file: string | null };
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const level = (value: unknown): NotifyLevel =>
  notifyLevels.includes(value as NotifyLevel) ? (value as NotifyLevel) : "warning";
const secretSet = (value: unknown): boolean =>
  isSecretView(value) ? value.set : typeof value === "string" && value !== "";
const fileOrNull = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : null;

/** The form as the config (from `GET /api/config`) says it is now. */
export function notifyFormFrom(config: unknown): { form: NotifyForm; secrets: NotifySecrets } {
  const at = (...path: string[]) => valueAt(config, ["notify", ...path]);
  const headers = at("webhook", "headers");
  return {
    form: {
      uiUrl: text(at("uiUrl")),
      ntfyUrl: text(at("ntfy", "url")),
      ntfyTopic: text(at("ntfy", "topic")),
      ntfyUser: text(at("ntfy", "user")),
      ntfyToken: { kind: "keep" },
      ntfyLevel: level(at("ntfy", "level")),
      webhookUrl: { kind: "keep" },
      webhookHeaders: formatHeaders(
        typeof headers === "object" && headers !== null ? (headers as Record<string, unknown>) : {},
      ),
      webhookSecretHeader: text(at("webhook", "secretHeader")) || "Authorization",
      webhookSecret: { kind: "keep" },
      webhookLevel: level(at("webhook", "level")),
    },
    secrets: {
      ntfyToken: { set: secretSet(at("ntfy", "token")), file: fileOrNull(at("ntfy", "tokenFile")) },
      webhookUrl: { set: secretSet(at("webhook", "url")), file: null },
      webhookSecret: {
        set: secretSet(at("webhook", "secret")),
        file: fileOrNull(at("webhook", "secretFile")),
      },
    },
  };
}

export function formatHeaders(headers: Record<string, unknown>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("\n");
}

/** Same rule as the server's schema (RFC 9110 token). */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export type HeadersParse =
  { ok: true; headers: Record<string, string> } | { ok: false; error: string };

/** Reads `Name: value` lines; blank lines are skipped. */
export function parseHeaders(input: string): HeadersParse {
  const headers: Record<string, string> = {};
  const lines = input.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const colon = line.indexOf(":");
    const where = `Line ${index + 1}`;
    if (colon <= 0) return { ok: false, error: `${where}: write it as "Name: value".` };
    const name = line.slice(0, colon).trim();
    if (!headerName.test(name)) {
      return {
        ok: false,
        error: `${where}: "${name}" is not an HTTP header name; use letters, digits and -.`,
      };
    }
    if (Object.keys(headers).some((known) => known.toLowerCase() === name.toLowerCase())) {
      return { ok: false, error: `${where}: "${name}" is given twice; keep one.` };
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return { ok: true, headers };
}

export type NotifyEdits =
  { ok: true; edits: ConfigEdit[] } | { ok: false; field: string; error: string };

/**
 * Only the keys that changed, so a save never rewrites what the person did not touch (and
 * never sends a secret back). An emptied text field removes its key.
 */
export function notifyEdits(before: NotifyForm, after: NotifyForm): NotifyEdits {
  const edits: ConfigEdit[] = [];
  const plain = (path: string[], old: string, now: string): void => {
    if (old.trim() !== now.trim())
      edits.push({ path, value: now.trim() === "" ? null : now.trim() });
  };
  const secret = (path: string[], edit: SecretEdit): void => {
    if (edit.kind === "replace" && edit.value.trim() !== "")
      edits.push({ path, value: edit.value.trim() });
    if (edit.kind === "clear") edits.push({ path, value: null });
  };
  plain(["notify", "uiUrl"], before.uiUrl, after.uiUrl);
  plain(["notify", "ntfy", "url"], before.ntfyUrl, after.ntfyUrl);
  plain(["notify", "ntfy", "topic"], before.ntfyTopic, after.ntfyTopic);
  plain(["notify", "ntfy", "user"], before.ntfyUser, after.ntfyUser);
  secret(["notify", "ntfy", "token"], after.ntfyToken);
  if (before.ntfyLevel !== after.ntfyLevel)
    edits.push({ path: ["notify", "ntfy", "level"], value: after.ntfyLevel });

  secret(["notify", "webhook", "url"], after.webhookUrl);
  if (before.webhookHeaders.trim() !== after.webhookHeaders.trim()) {
    const parsed = parseHeaders(after.webhookHeaders);
    if (!parsed.ok) return { ok: false, field: "webhookHeaders", error: parsed.error };
    edits.push({ path: ["notify", "webhook", "headers"], value: parsed.headers });
  }
  if (before.webhookSecretHeader.trim() !== after.webhookSecretHeader.trim()) {
    const name = after.webhookSecretHeader.trim();
    if (name !== "" && !headerName.test(name)) {
      return {
        ok: false,
        field: "webhookSecretHeader",
        error: `"${name}" is not an HTTP header name; use letters, digits and -.`,
      };
    }
    edits.push({ path: ["notify", "webhook", "secretHeader"], value: name === "" ? null : name });
  }
  secret(["notify", "webhook", "secret"], after.webhookSecret);
  if (before.webhookLevel !== after.webhookLevel)
    edits.push({ path: ["notify", "webhook", "level"], value: after.webhookLevel });
  return { ok: true, edits };
}

/** The config path (as the API's 422 issues name it) of each form field. */
export const notifyFieldPaths: Record<keyof NotifyForm, string> = {
  uiUrl: "notify.uiUrl",
  ntfyUrl: "notify.ntfy.url",
  ntfyTopic: "notify.ntfy.topic",
  ntfyUser: "notify.ntfy.user",
  ntfyToken: "notify.ntfy.token",
  ntfyLevel: "notify.ntfy.level",
  webhookUrl: "notify.webhook.url",
  webhookHeaders: "notify.webhook.headers",
  webhookSecretHeader: "notify.webhook.secretHeader",
  webhookSecret: "notify.webhook.secret",
  webhookLevel: "notify.webhook.level",
};
