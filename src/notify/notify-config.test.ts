import { describe, expect, it } from "vitest";
import { formatIssue } from "../config/issues.js";
import { loadConfigText } from "../config/load-config.js";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";

const load = (yaml: string, env: NodeJS.ProcessEnv = {}) =>
  loadConfigText(yaml, { env, secretEnvironment: fakeSecretEnvironment({}, env) });

describe("notify config", () => {
  it("has working defaults: both channels off, threshold warning", () => {
    const { config } = load("{}\n");
    expect(config?.notify.webhook).toEqual({
      headers: {},
      secretHeader: "Authorization",
      secret: null,
      level: "warning",
    });
    expect(config?.notify.ntfy.level).toBe("warning");
    expect(config?.notify.uiUrl).toBeUndefined();
  });

  it("puts the webhook secret from the environment into the config", () => {
    const yaml = "notify:\n  webhook:\n    url: https://hooks.example.org/x\n";
    const { config } = load(yaml, { PHOTOFERRY_WEBHOOK_SECRET: "Bearer s3cret-hook" });
    expect(config?.notify.webhook.secret).toBe("Bearer s3cret-hook");
    expect(config?.notify.webhook.url).toBe("https://hooks.example.org/x");
  });

  it("refuses credentials inside a URL, without quoting them", () => {
    const yaml = [
      "notify:",
      "  ntfy:",
      "    url: https://anna:pa55word@ntfy.example.org",
      "  webhook:",
      "    url: https://x:hook-pass@hooks.example.org/",
    ].join("\n");
    const result = load(yaml);
    expect(result.config).toBeUndefined();
    const text = result.issues.map(formatIssue).join("\n");
    expect(text).toContain("`notify.ntfy.url` (line 3): must not contain a user or password");
    expect(text).toContain("notify.ntfy.user");
    expect(text).toContain("`notify.webhook.url`");
    expect(text).not.toContain("pa55word");
    expect(text).not.toContain("hook-pass");
  });

  it("refuses a header name that HTTP does not allow", () => {
    const yaml = 'notify:\n  webhook:\n    headers:\n      "bad header": x\n';
    const result = load(yaml);
    expect(result.config).toBeUndefined();
    expect(result.issues.map(formatIssue).join("\n")).toContain(
      "`notify.webhook.headers.bad header` (line 4): is not an HTTP header name",
    );
  });
});
