import { describe, expect, it } from "vitest";
import { auditEntry } from "./request-audit.js";

describe("auditEntry", () => {
  it("names the principal and the client address access control resolved", () => {
    const request = {
      ip: "2001:db8::9",
      principal: { kind: "token", name: "backup", canWrite: false },
    } as const;
    expect(auditEntry(request, "sync-trigger", { reason: "nightly" })).toEqual({
      action: "sync-trigger",
      actor: "token:backup",
      ip: "2001:db8::9",
      detail: { reason: "nightly" },
    });
  });

  it("calls a request without a principal anonymous and leaves out a missing detail", () => {
    const entry = auditEntry({ ip: "192.0.2.4", principal: undefined }, "login-failed");
    expect(entry).toEqual({ action: "login-failed", actor: "anonymous", ip: "192.0.2.4" });
    expect("detail" in entry).toBe(false);
  });
});
