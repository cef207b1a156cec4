import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle.js";

function throttle(overrides: Partial<ConstructorParameters<typeof LoginThrottle>[0]> = {}) {
  const clock = { now: 1_000_000 };
  const instance = new LoginThrottle({
    now: () => clock.now,
    maxFailures: 3,
    windowMs: 60_000,
    baseDelayMs: 100,
    maxDelayMs: 150,
    ...overrides,
  });
  return { clock, instance };
}

describe("LoginThrottle", () => {
  it("lets a new client through at once", () => {
    expect(throttle().instance.check("198.51.100.1")).toEqual({ allowed: true, delayMs: 0 });
  });

  it("delays more after each failure, up to the cap, then refuses with a retry time", () => {
    const { clock, instance } = throttle();
    instance.failure("a");
    expect(instance.check("a")).toEqual({ allowed: true, delayMs: 100 });
    instance.failure("a");
    expect(instance.check("a")).toEqual({ allowed: true, delayMs: 150 });
    clock.now += 10_000;
    instance.failure("a");
    expect(instance.check("a")).toEqual({ allowed: false, retryAfterSeconds: 50 });
  });

  it("forgets failures once the window has passed", () => {
    const { clock, instance } = throttle();
    for (let i = 0; i < 3; i++) instance.failure("a");
    clock.now += 60_000;
    expect(instance.check("a")).toEqual({ allowed: true, delayMs: 0 });
    instance.failure("a");
    expect(instance.check("a")).toEqual({ allowed: true, delayMs: 100 });
  });

  it("a success clears only the client that succeeded", () => {
    const { instance } = throttle();
    for (let i = 0; i < 3; i++) instance.failure("attacker");
    instance.failure("friend");
    instance.success("friend");
    expect(instance.check("friend")).toEqual({ allowed: true, delayMs: 0 });
    expect(instance.check("attacker").allowed).toBe(false);
  });

  it("keeps at most maxClients, forgetting the least recently failed", () => {
    const { instance } = throttle({ maxClients: 2 });
    instance.failure("a");
    instance.failure("b");
    instance.failure("a");
    instance.failure("c");
    expect(instance.check("b")).toEqual({ allowed: true, delayMs: 0 });
    expect(instance.check("a")).toEqual({ allowed: true, delayMs: 150 });
    expect(instance.check("c")).toEqual({ allowed: true, delayMs: 100 });
  });
});
