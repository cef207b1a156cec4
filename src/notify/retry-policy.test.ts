import { describe, expect, it } from "vitest";
import { backoffMs, MAX_DELAY_MS, retryAfterMs } from "./retry-policy.js";

describe("retryAfterMs", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("30", now)).toBe(30_000);
    expect(retryAfterMs("Sun, 01 Jun 2025 12:02:00 GMT", now)).toBe(120_000);
    expect(retryAfterMs("Sun, 01 Jun 2025 11:00:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read and caps absurd waits", () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs("-5", now)).toBeUndefined();
    expect(retryAfterMs("99999999", now)).toBe(MAX_DELAY_MS);
  });
});

it("backoffMs doubles up to ten minutes", () => {
  expect([1, 2, 3].map(backoffMs)).toEqual([5_000, 10_000, 20_000]);
  expect(backoffMs(30)).toBe(600_000);
});
