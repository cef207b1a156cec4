import { expect, it } from "vitest";
import { OncePerWindow } from "./once-per-window.js";

it("says yes once per key and window", () => {
  let now = 0;
  const once = new OncePerWindow(1000, () => now);
  expect(once.take("a")).toBe(true);
  expect(once.take("a")).toBe(false);
  expect(once.take("b")).toBe(true);
  now = 999;
  expect(once.take("a")).toBe(false);
  now = 1000;
  expect(once.take("a")).toBe(true);
  expect(once.take("a")).toBe(false);
});

it("forgets the oldest key beyond its size, so memory stays bounded", () => {
  const once = new OncePerWindow(1000, () => 0, 2);
  once.take("a");
  once.take("b");
  once.take("c");
  expect(once.take("a")).toBe(true);
  expect(once.take("c")).toBe(false);
});

it("says yes up to its limit per key and window", () => {
  let now = 0;
  const gate = new OncePerWindow(1000, () => now, 10, 3);
  expect([1, 2, 3, 4].map(() => gate.take("a"))).toEqual([true, true, true, false]);
  expect(gate.take("b")).toBe(true);
  now = 1000;
  expect(gate.take("a")).toBe(true);
});
