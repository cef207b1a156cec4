import { describe, expect, it } from "vitest";
import {
  configJsonSchema,
  isSecretPath,
  requiresRestart,
  schemaNodeAt,
  secretPaths,
} from "./json-schema.js";

describe("config JSON Schema (for the UI's forms)", () => {
  it("is a draft 2020-12 object schema with every section", () => {
    const schema = configJsonSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(schema.properties ?? {})).toEqual([
      "nextcloud",
      "photoprism",
      "dedupe",
      "schedule",
      "docker",
      "ssh",
      "notify",
      "web",
      "state",
      "history",
      "log",
    ]);
  });

  it("carries defaults, enums and descriptions", () => {
    expect(schemaNodeAt(["nextcloud", "afterMove"])).toMatchObject({
      default: "archive",
      enum: ["archive", "delete", "keep"],
      description: expect.stringContaining("original") as unknown,
    });
    expect(schemaNodeAt(["web", "port"])).toMatchObject({
      minimum: 1,
      maximum: 65535,
      default: 8080,
    });
  });

  it("marks the secrets, so the UI shows them only as set / not set", () => {
    expect(secretPaths().map((path) => path.join("."))).toEqual([
      "photoprism.api.token",
      "ssh.key",
      "notify.ntfy.token",
      "notify.webhook.url",
      "notify.webhook.secret",
      "web.auth.passwordHash",
    ]);
    expect(isSecretPath(["photoprism", "api", "tokenFile"])).toBe(false);
  });

  it("says which keys need a restart", () => {
    expect(requiresRestart(["web", "port"])).toBe(true);
    expect(requiresRestart(["state", "dir"])).toBe(true);
    expect(requiresRestart(["schedule", "cron"])).toBe(false);
  });
});
