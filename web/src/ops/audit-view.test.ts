import { describe, expect, it } from "vitest";
import { actionLabel, auditPath, detailText, pageInfo } from "./audit-view.js";

describe("actionLabel", () => {
  it("names known actions and shows unknown ones as they are", () => {
    expect(actionLabel("token-create")).toBe("Token created");
    expect(actionLabel("brand-new")).toBe("brand-new");
    expect(actionLabel("toString")).toBe("toString");
  });
});

describe("detailText", () => {
  it("joins keys and values, nested values as JSON", () => {
    expect(detailText({ name: "grafana", scope: "read" })).toBe("name: grafana · scope: read");
    expect(detailText({ changed: [{ key: "a" }], n: 2, ok: false, x: null })).toBe(
      'changed: [{"key":"a"}] · n: 2 · ok: false · x: null',
    );
    expect(detailText(null)).toBe("");
  });

  it("cuts very long details", () => {
    const text = detailText({ long: "x".repeat(500) });
    expect(text.length).toBe(240);
    expect(text.endsWith("…")).toBe(true);
  });
});

describe("pageInfo", () => {
  it("describes the middle, first, last and an empty page", () => {
    expect(pageInfo(20, 20, 57, 20)).toEqual({
      page: 2,
      pages: 3,
      first: 21,
      last: 40,
      hasPrevious: true,
      hasNext: true,
    });
    expect(pageInfo(40, 20, 57, 17)).toMatchObject({ page: 3, hasNext: false, last: 57 });
    expect(pageInfo(0, 20, 0, 0)).toEqual({
      page: 1,
      pages: 1,
      first: 0,
      last: 0,
      hasPrevious: false,
      hasNext: false,
    });
  });

  it("survives a zero limit and a negative offset", () => {
    expect(pageInfo(-5, 0, 3, 3).page).toBe(1);
  });
});

describe("auditPath", () => {
  it("adds only a known action filter", () => {
    expect(auditPath(40, 20, "")).toBe("/api/audit?limit=20&offset=40");
    expect(auditPath(0, 20, "login-failed")).toBe(
      "/api/audit?limit=20&offset=0&action=login-failed",
    );
    expect(auditPath(-1, 20, "x&y=1")).toBe("/api/audit?limit=20&offset=0");
  });
});
