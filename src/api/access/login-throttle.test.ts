import { describe, expect, it } from "vitest";
import { LoginThrottle, VerificationSlots } from "./login-throttle.js";

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

/** One complete wrong login; returns the decision it got. */
const fail = (instance: LoginThrottle, client: string) => {
  const decision = instance.attempt(client);
  if (decision.allowed) instance.failed(client);
  return decision;
};

describe("LoginThrottle", () => {
  it("lets a new client through at once", () => {
    expect(throttle().instance.attempt("198.51.100.1")).toEqual({ allowed: true, delayMs: 0 });
  });

  it("delays more after each failure, up to the cap, then refuses with a retry time", () => {
    const { clock, instance } = throttle();
    expect(fail(instance, "a")).toEqual({ allowed: true, delayMs: 0 });
    expect(fail(instance, "a")).toEqual({ allowed: true, delayMs: 100 });
    clock.now += 10_000;
    expect(fail(instance, "a")).toEqual({ allowed: true, delayMs: 150 });
    expect(instance.attempt("a")).toEqual({
      allowed: false,
      retryAfterSeconds: 50,
      reason: "too-many-failures",
    });
  });

  it("counts an attempt before its answer: parallel attempts cannot all pass", () => {
    const { instance } = throttle();
    expect(instance.attempt("a").allowed).toBe(true);
    // The first is still being checked: a second one from the same client waits its turn.
    expect(instance.attempt("a")).toMatchObject({ allowed: false, reason: "in-flight" });
    instance.failed("a");
    expect(instance.attempt("a")).toEqual({ allowed: true, delayMs: 100 });
    instance.failed("a");
    expect(instance.attempt("a").allowed).toBe(true);
    // Even before the third answer is known, a fourth is over the limit.
    instance.failed("a");
    expect(instance.attempt("a")).toMatchObject({ allowed: false, reason: "too-many-failures" });
  });

  it("forgives an attempt that was cancelled or succeeded", () => {
    const { instance } = throttle();
    fail(instance, "a");
    instance.attempt("a");
    instance.cancelled("a");
    expect(instance.attempt("a")).toEqual({ allowed: true, delayMs: 100 });
    instance.succeeded("a");
    expect(instance.attempt("a")).toEqual({ allowed: true, delayMs: 0 });
  });

  it("forgets failures once the window has passed", () => {
    const { clock, instance } = throttle();
    for (let i = 0; i < 3; i++) fail(instance, "a");
    clock.now += 60_000;
    expect(fail(instance, "a")).toEqual({ allowed: true, delayMs: 0 });
    expect(fail(instance, "a")).toEqual({ allowed: true, delayMs: 100 });
  });

  it("a success clears only the client that succeeded", () => {
    const { instance } = throttle();
    for (let i = 0; i < 3; i++) fail(instance, "attacker");
    fail(instance, "friend");
    instance.attempt("friend");
    instance.succeeded("friend");
    expect(instance.attempt("friend")).toEqual({ allowed: true, delayMs: 0 });
    expect(instance.attempt("attacker").allowed).toBe(false);
  });

  it("slows every login once all clients together failed too often", () => {
    const { clock, instance } = throttle({ globalMaxFailures: 5, globalDelayMs: 2000 });
    for (let i = 0; i < 5; i++)
      expect(fail(instance, `10.0.0.${i}`)).toEqual({ allowed: true, delayMs: 0 });
    expect(fail(instance, "10.0.0.99")).toEqual({ allowed: true, delayMs: 2000 });
    clock.now += 60_000;
    expect(fail(instance, "10.0.0.100")).toEqual({ allowed: true, delayMs: 0 });
  });

  it("keeps at most maxClients, forgetting the least recently failed", () => {
    const { instance } = throttle({ maxClients: 2 });
    fail(instance, "a");
    fail(instance, "b");
    fail(instance, "a");
    fail(instance, "c");
    expect(fail(instance, "a")).toEqual({ allowed: true, delayMs: 150 });
    expect(instance.attempt("b")).toEqual({ allowed: true, delayMs: 0 });
  });
});

describe("VerificationSlots", () => {
  it("runs at most max checks at once", () => {
    const slots = new VerificationSlots(2);
    expect(slots.tryAcquire()).toBe(true);
    expect(slots.tryAcquire()).toBe(true);
    expect(slots.tryAcquire()).toBe(false);
    slots.release();
    expect(slots.tryAcquire()).toBe(true);
  });
});
