import { describe, expect, it } from "vitest";
import { loadConfigText } from "../config/load-config.js";
import { applyYamlEdits } from "../config/yaml-edit.js";
import { exampleConfigText } from "../test-support/example-config.js";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import { configDiff, SECRET_AFTER, SECRET_BEFORE } from "./config-diff.js";

const secrets = [
  ["api", "token"],
  ["hook", "url"],
] as const;

describe("configDiff", () => {
  it("lists changed, added and removed keys with their old and new values", () => {
    const before = { schedule: { cron: "0 3 * * *", watch: true }, users: ["a"], gone: 1 };
    const after = { schedule: { cron: "0 4 * * *", watch: true }, users: ["a", "b"], added: "x" };
    expect(configDiff(before, after, secrets)).toEqual([
      { path: "schedule.cron", from: "0 3 * * *", to: "0 4 * * *" },
      { path: "users", from: ["a"], to: ["a", "b"] },
      { path: "gone", from: 1, to: null },
      { path: "added", from: null, to: "x" },
    ]);
  });

  it("says nothing for equal configs", () => {
    const config = { api: { token: "s3cret-value" }, a: { b: [1, { c: 2 }] } };
    expect(configDiff(config, structuredClone(config), secrets)).toEqual([]);
  });

  it("shows that a secret was set, changed or removed, never its value", () => {
    const cases: [unknown, unknown, unknown, unknown][] = [
      [null, "canary-new-1", null, SECRET_AFTER],
      ["canary-old-2", "canary-new-2", SECRET_BEFORE, SECRET_AFTER],
      ["canary-old-3", null, SECRET_BEFORE, null],
      ["canary-old-4", "", SECRET_BEFORE, null],
    ];
    for (const [from, to, shownFrom, shownTo] of cases) {
      const diff = configDiff({ api: { token: from } }, { api: { token: to } }, secrets);
      expect(diff).toEqual([{ path: "api.token", from: shownFrom, to: shownTo }]);
      expect(JSON.stringify(diff)).not.toContain("canary");
    }
  });

  it("hides a secret inside a section that appears, disappears or changes shape", () => {
    const withHook = { hook: { url: "https://canary.example/hook", on: true } };
    const appeared = configDiff({ hook: null }, withHook, secrets);
    const vanished = configDiff(withHook, {}, secrets);
    const reshaped = configDiff(withHook, { hook: ["odd"] }, secrets);
    expect(appeared).toContainEqual({ path: "hook.url", from: null, to: SECRET_AFTER });
    expect(vanished).toContainEqual({ path: "hook.url", from: SECRET_BEFORE, to: null });
    expect(reshaped).toEqual([
      { path: "hook", from: { url: SECRET_BEFORE, on: true }, to: ["odd"] },
    ]);
    expect(JSON.stringify([appeared, vanished, reshaped])).not.toContain("canary");
  });

  it("uses the schema's secret marks on real configs by default", () => {
    const env = fakeSecretEnvironment({});
    const text = exampleConfigText();
    const before = loadConfigText(text, { env: {}, secretEnvironment: env }).config;
    const { text: edited } = applyYamlEdits(text, [
      { path: ["photoprism", "api", "token"], value: "pp-canary-token-93d1" },
      { path: ["notify", "webhook", "url"], value: "https://hooks.example/canary-77" },
      { path: ["history", "keepDays"], value: 30 },
    ]);
    const after = loadConfigText(edited, { env: {}, secretEnvironment: env }).config;
    expect(before && after).toBeTruthy();
    const diff = configDiff(before, after);
    expect(diff).toContainEqual({ path: "history.keepDays", from: 90, to: 30 });
    expect(diff).toContainEqual(
      expect.objectContaining({ path: "photoprism.api.token", to: SECRET_AFTER }),
    );
    expect(diff).toContainEqual(
      expect.objectContaining({ path: "notify.webhook.url", to: SECRET_AFTER }),
    );
    expect(JSON.stringify(diff)).not.toMatch(/canary/);
  });
});
