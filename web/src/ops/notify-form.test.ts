import { describe, expect, it } from "vitest";
import { notifyEdits, notifyFormFrom, parseHeaders, type NotifyForm } from "./notify-form.js";

const config = {
  notify: {
    uiUrl: "https://photos.example.org",
    ntfy: {
      url: "https://ntfy.sh",
      topic: "photoferry",
      user: null,
      token: { set: true },
      level: "error",
    },
    webhook: {
      url: { set: false },
      headers: { "X-Source": "photoferry" },
      secretHeader: "Authorization",
      secret: { set: false },
      secretFile: "/run/secrets/hook",
      level: "warning",
    },
  },
};

describe("notifyFormFrom", () => {
  it("fills the form from the config and keeps secrets out of it", () => {
    const { form, secrets } = notifyFormFrom(config);
    expect(form.ntfyUrl).toBe("https://ntfy.sh");
    expect(form.ntfyUser).toBe("");
    expect(form.ntfyLevel).toBe("error");
    expect(form.ntfyToken).toEqual({ kind: "keep" });
    expect(form.webhookHeaders).toBe("X-Source: photoferry");
    expect(secrets.ntfyToken).toEqual({ set: true, file: null });
    expect(secrets.webhookUrl.set).toBe(false);
    expect(secrets.webhookSecret).toEqual({ set: false, file: "/run/secrets/hook" });
  });

  it("falls back to defaults for a config without a notify section or with odd values", () => {
    const { form, secrets } = notifyFormFrom({ notify: { ntfy: { level: "loud" } } });
    expect(form.ntfyLevel).toBe("warning");
    expect(form.webhookSecretHeader).toBe("Authorization");
    expect(form.uiUrl).toBe("");
    expect(secrets.ntfyToken.set).toBe(false);
    expect(notifyFormFrom(null).form.ntfyTopic).toBe("");
  });
});

describe("notifyEdits", () => {
  const before = notifyFormFrom(config).form;
  const change = (patch: Partial<NotifyForm>) => notifyEdits(before, { ...before, ...patch });

  it("sends nothing when nothing changed, so secrets are never sent back", () => {
    expect(change({})).toEqual({ ok: true, edits: [] });
  });

  it("sends only changed keys, trimmed; an emptied field removes its key", () => {
    expect(change({ ntfyTopic: " alerts ", uiUrl: "" })).toEqual({
      ok: true,
      edits: [
        { path: ["notify", "uiUrl"], value: null },
        { path: ["notify", "ntfy", "topic"], value: "alerts" },
      ],
    });
  });

  it("replaces or clears a secret, and ignores an empty replacement", () => {
    expect(change({ ntfyToken: { kind: "replace", value: " tk_1 " } })).toEqual({
      ok: true,
      edits: [{ path: ["notify", "ntfy", "token"], value: "tk_1" }],
    });
    expect(change({ webhookSecret: { kind: "clear" } })).toEqual({
      ok: true,
      edits: [{ path: ["notify", "webhook", "secret"], value: null }],
    });
    expect(change({ webhookUrl: { kind: "replace", value: "  " } })).toEqual({
      ok: true,
      edits: [],
    });
  });

  it("sends the whole header map when the headers text changed", () => {
    expect(change({ webhookHeaders: "X-Source: pf\nX-Env: home" })).toEqual({
      ok: true,
      edits: [
        { path: ["notify", "webhook", "headers"], value: { "X-Source": "pf", "X-Env": "home" } },
      ],
    });
  });

  it("refuses bad header lines and a bad secret header name, naming the field", () => {
    expect(change({ webhookHeaders: "X-Source pf" })).toMatchObject({
      ok: false,
      field: "webhookHeaders",
    });
    expect(change({ webhookSecretHeader: "Bad Header" })).toMatchObject({
      ok: false,
      field: "webhookSecretHeader",
    });
  });

  it("sends a changed level", () => {
    expect(change({ webhookLevel: "debug" })).toEqual({
      ok: true,
      edits: [{ path: ["notify", "webhook", "level"], value: "debug" }],
    });
  });
});

describe("parseHeaders", () => {
  it("reads Name: value lines, keeping colons in values and skipping blank lines", () => {
    expect(parseHeaders("A: 1\n\n  B-2 : http://x:1  \r\n")).toEqual({
      ok: true,
      headers: { A: "1", "B-2": "http://x:1" },
    });
  });

  it("says which line is wrong", () => {
    expect(parseHeaders("A: 1\nnocolon")).toEqual({
      ok: false,
      error: 'Line 2: write it as "Name: value".',
    });
    expect(parseHeaders(": x")).toMatchObject({ ok: false });
    expect(parseHeaders("Bad Name: x")).toMatchObject({
      ok: false,
      error: expect.stringContaining("Bad Name") as string,
    });
    expect(parseHeaders("a: 1\nA: 2")).toMatchObject({
      ok: false,
      error: expect.stringContaining("twice") as string,
    });
  });
});
