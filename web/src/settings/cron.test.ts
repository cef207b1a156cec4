import { describe, expect, it } from "vitest";
import { cronPresets, cronProblem, describeCron, nextRunTimes } from "./cron.js";

describe("describeCron", () => {
  const cases: [string, string | null][] = [
    ["* * * * *", "every minute"],
    ["*/15 * * * *", "every 15 minutes"],
    ["0 * * * *", "every hour, on the hour"],
    ["30 * * * *", "every hour at 30 minutes past"],
    ["0 */6 * * *", "every 6 hours, on the hour"],
    ["0 3 * * *", "every day at 03:00"],
    ["5 3,15 * * *", "every day at 03:05 and 15:05"],
    ["0 3 * * 1-5", "on weekdays (Monday to Friday) at 03:00"],
    ["0 3 * * 0", "every Sunday at 03:00"],
    ["0 3 * * 1,3", "every Monday and Wednesday at 03:00"],
    ["0 4 1 * *", "on the 1st of every month at 04:00"],
    ["0 4 12 * *", "on the 12th of every month at 04:00"],
    ["@daily", "every day at 00:00"],
    ["0 3 * 2 *", null],
    ["*/7 1-5 * * *", null],
    ["not cron", null],
  ];
  for (const [expression, words] of cases) {
    it(`'${expression}'`, () => expect(describeCron(expression)).toBe(words));
  }

  it("has words for every preset", () => {
    for (const preset of cronPresets) expect(describeCron(preset.expression)).not.toBeNull();
  });
});

describe("cronProblem", () => {
  it("accepts valid expressions and names what is wrong with others", () => {
    expect(cronProblem("0 3 * * *")).toBeNull();
    expect(cronProblem("61 * * * *")).toMatch(/.+/);
    expect(cronProblem("every day")).toMatch(/.+/);
    expect(cronProblem("")).toMatch(/.+/);
  });
});

describe("nextRunTimes", () => {
  it("lists the next runs after the given time", () => {
    const from = new Date(2026, 0, 1, 2, 59, 0);
    const runs = nextRunTimes("0 3 * * *", 3, from);
    expect(runs.map((run) => [run.getDate(), run.getHours(), run.getMinutes()])).toEqual([
      [1, 3, 0],
      [2, 3, 0],
      [3, 3, 0],
    ]);
  });

  it("is empty for an expression that does not parse", () => {
    expect(nextRunTimes("0 25 * * *", 5)).toEqual([]);
  });
});
