/** Where a check belongs; the report groups its lines by area, in this order. */
export const checkAreas = [
  "config",
  "nextcloud",
  "docker",
  "photoprism",
  "notify",
  "state",
] as const;
export type CheckArea = (typeof checkAreas)[number];

/**
 * `fail`: photoferry cannot work like this. `warn`: it works, but something looks wrong or
 * will bite later. `skip`: not checked (turned off, or an earlier failure makes it moot).
 */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  area: CheckArea;
  /** Short, e.g. "import dir", "occ status". */
  name: string;
  status: CheckStatus;
  /** What was found, in plain words. */
  detail: string;
  /** What to do about it; only for warn and fail. */
  fix?: string;
}

type Maker = (area: CheckArea, name: string, detail: string, fix?: string) => CheckResult;

const make =
  (status: CheckStatus): Maker =>
  (area, name, detail, fix) =>
    fix === undefined ? { area, name, status, detail } : { area, name, status, detail, fix };

export const ok = make("ok");
export const warn = make("warn");
export const fail = make("fail");
export const skip = make("skip");

export interface CheckCounts {
  ok: number;
  warn: number;
  fail: number;
  skip: number;
}

export function countResults(results: readonly CheckResult[]): CheckCounts {
  const counts: CheckCounts = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

/** Doctor exits 1 when this is true. Warnings alone never fail it. */
export const anyFailed = (results: readonly CheckResult[]): boolean =>
  results.some((result) => result.status === "fail");
