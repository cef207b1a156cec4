import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact-config.js";

describe("redactSecrets", () => {
  it("replaces every secret path by {set}, leaves the rest and the original alone", () => {
    const config = {
      photoprism: { api: { token: "s3cret-token", tokenFile: "/run/secrets/t", url: "http://pp" } },
      notify: { ntfy: { token: null } },
      web: { auth: { passwordHash: "" } },
      ssh: {},
    };
    const redacted = redactSecrets(config);
    expect(redacted).toEqual({
      photoprism: { api: { token: { set: true }, tokenFile: "/run/secrets/t", url: "http://pp" } },
      notify: { ntfy: { token: { set: false } } },
      web: { auth: { passwordHash: { set: false } } },
      ssh: { key: { set: false } },
    });
    expect(config.photoprism.api.token).toBe("s3cret-token");
  });

  it("skips paths whose section is missing or not an object", () => {
    expect(redactSecrets({ a: "x" }, [["a", "b"], ["c", "d"], []])).toEqual({ a: "x" });
  });
});
