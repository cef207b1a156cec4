import { describe, expect, it } from "vitest";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import { resolveSecrets } from "./secrets.js";

const data = (token?: string, tokenFile?: string) => ({
  photoprism: { api: { ...(token ? { token } : {}), ...(tokenFile ? { tokenFile } : {}) } },
});

describe("resolveSecrets", () => {
  it("reads a secret from the file", () => {
    const result = resolveSecrets(data("from-file"), fakeSecretEnvironment());
    expect(result.values.photoprismToken).toBe("from-file");
    expect(result.sources.photoprismToken).toEqual({
      kind: "config",
      from: "photoprism.api.token",
    });
  });

  it("reads a *File key and trims the trailing newline", () => {
    const env = fakeSecretEnvironment({ "/s/token": "abc\n" });
    const result = resolveSecrets(data(undefined, "/s/token"), env);
    expect(result.values.photoprismToken).toBe("abc");
    expect(result.sources.photoprismToken).toEqual({ kind: "config-file", from: "/s/token" });
  });

  it("lets PHOTOFERRY_* variables win over the file", () => {
    const env = fakeSecretEnvironment({}, { PHOTOFERRY_PHOTOPRISM_TOKEN: "from-env" });
    expect(resolveSecrets(data("from-file"), env).values.photoprismToken).toBe("from-env");
  });

  it("reads *_FILE variables", () => {
    const env = fakeSecretEnvironment(
      { "/x/ntfy": "ntfy-token\n" },
      { PHOTOFERRY_NTFY_TOKEN_FILE: "/x/ntfy" },
    );
    const result = resolveSecrets({}, env);
    expect(result.values.ntfyToken).toBe("ntfy-token");
    expect(result.sources.ntfyToken?.kind).toBe("env-file");
  });

  it("picks up Docker secrets by their conventional names", () => {
    const env = fakeSecretEnvironment({
      "/run/secrets/photoferry_password_hash": "$scrypt$hash\n",
      "/run/secrets/photoferry_ssh_key": "-----BEGIN KEY-----\nabc\n-----END KEY-----\n",
    });
    const result = resolveSecrets({}, env);
    expect(result.values.passwordHash).toBe("$scrypt$hash");
    expect(result.values.sshKey).toBe("-----BEGIN KEY-----\nabc\n-----END KEY-----\n");
    expect(result.sources.sshKey).toEqual({
      kind: "docker-secret",
      from: "/run/secrets/photoferry_ssh_key",
    });
  });

  it("warns, without the value, when a named file is missing or empty", () => {
    const env = fakeSecretEnvironment({ "/s/empty": "\n" });
    const missing = resolveSecrets(data(undefined, "/s/missing"), env);
    expect(missing.values.photoprismToken).toBeUndefined();
    expect(missing.issues).toMatchObject([
      { severity: "warning", path: ["photoprism", "api", "tokenFile"] },
    ]);
    expect(missing.issues[0]?.message).toContain("cannot be read (ENOENT)");
    const empty = resolveSecrets(data(undefined, "/s/empty"), env);
    expect(empty.issues[0]?.message).toContain("is empty");
  });

  it("falls back to the conventional Docker secret when the named file is missing", () => {
    const env = fakeSecretEnvironment({
      "/run/secrets/photoferry_photoprism_token": "from-swarm\n",
    });
    const result = resolveSecrets(data(undefined, "/run/secrets/photoprism_token"), env);
    expect(result.values.photoprismToken).toBe("from-swarm");
    expect(result.sources.photoprismToken?.kind).toBe("docker-secret");
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.message).toContain(
      "using the Docker secret /run/secrets/photoferry_photoprism_token instead",
    );
  });

  it("resolves the webhook secret like the ntfy token: env first, then the file's keys", () => {
    const inFile = { notify: { webhook: { secret: "Bearer inline", secretFile: "/s/hook" } } };
    const files = { "/s/hook": "Bearer from-file\n" };
    expect(resolveSecrets(inFile, fakeSecretEnvironment(files)).values.webhookSecret).toBe(
      "Bearer inline",
    );
    const onlyFile = { notify: { webhook: { secretFile: "/s/hook" } } };
    const fromFile = resolveSecrets(onlyFile, fakeSecretEnvironment(files));
    expect(fromFile.values.webhookSecret).toBe("Bearer from-file");
    expect(fromFile.sources.webhookSecret).toEqual({ kind: "config-file", from: "/s/hook" });
    const env = fakeSecretEnvironment(files, { PHOTOFERRY_WEBHOOK_SECRET: "Bearer env" });
    expect(resolveSecrets(inFile, env).values.webhookSecret).toBe("Bearer env");
    const docker = fakeSecretEnvironment({ "/run/secrets/photoferry_webhook_secret": "k-123\n" });
    expect(resolveSecrets({}, docker).values.webhookSecret).toBe("k-123");
  });
});
