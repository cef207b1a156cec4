import { describe, expect, it } from "vitest";
import { tokenNameProblem, type TokenItem } from "./token-form.js";

const existing: TokenItem[] = [
  {
    id: "0123456789abcdef",
    name: "Grafana",
    scope: "read",
    createdAt: "2024-01-01T00:00:00Z",
    lastUsedAt: null,
  },
];

describe("tokenNameProblem", () => {
  it("accepts a new name", () => {
    expect(tokenNameProblem("  backup script ", existing)).toBeNull();
  });

  it("refuses empty, too long, control characters and a taken name", () => {
    expect(tokenNameProblem("   ", existing)).toMatch(/Give the token a name/);
    expect(tokenNameProblem("x".repeat(65), existing)).toMatch(/64 characters \(it has 65\)/);
    expect(tokenNameProblem("a\tb", existing)).toMatch(/tabs or line breaks/);
    expect(tokenNameProblem("grafana", existing)).toMatch(/exists already/);
  });
});
