import { Cron } from "croner";

/** Common schedules offered as one-click choices. */
export const cronPresets: readonly { label: string; expression: string }[] = [
  { label: "Every 5 minutes", expression: "*/5 * * * *" },
  { label: "Every 15 minutes", expression: "*/15 * * * *" },
  { label: "Every hour", expression: "0 * * * *" },
  { label: "Every 6 hours", expression: "0 */6 * * *" },
  { label: "Nightly at 03:00", expression: "0 3 * * *" },
  { label: "Weekdays at 03:00", expression: "0 3 * * 1-5" },
  { label: "Sundays at 03:00", expression: "0 3 * * 0" },
];

/**
 * Null when croner (the library the service schedules with) accepts the expression, else its
 * reason. The same check the server makes, so the browser refuses what the server would.
 */
export function cronProblem(expression: string): string | null {
  try {
    new Cron(expression, { paused: true }).stop();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The next `count` times the expression fires after `from`; empty when it does not parse. */
export function nextRunTimes(expression: string, count: number, from: Date = new Date()): Date[] {
  if (cronProblem(expression) !== null) return [];
  const job = new Cron(expression, { paused: true });
  try {
    return job.nextRuns(count, from);
  } finally {
    job.stop();
  }
}

const dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const nicknames: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const isNumber = (field: string): boolean => /^\d{1,2}$/.test(field);
const two = (value: string): string => value.padStart(2, "0");

function ordinal(day: number): string {
  const tens = day % 100;
  if (tens >= 11 && tens <= 13) return `${day}th`;
  return `${day}${["th", "st", "nd", "rd"][day % 10] ?? "th"}`;
}

function days(field: string): string | null {
  if (field === "*") return "every day";
  if (field === "1-5") return "on weekdays (Monday to Friday)";
  if (field === "0,6" || field === "6,0") return "on weekends";
  const parts = field.split(",");
  if (!parts.every((part) => /^[0-7]$/.test(part))) return null;
  const names = parts.map((part) => dayNames[Number(part) % 7]!);
  return `every ${names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`}`;
}

/** When the hour/minute fields name clock times ("03:00 and 15:00"); null when they do not. */
function clockTimes(minute: string, hour: string): string | null {
  if (!isNumber(minute)) return null;
  const hours = hour.split(",");
  if (!hours.every(isNumber)) return null;
  const times = hours.map((h) => `${two(h)}:${two(minute)}`);
  return times.length === 1 ? times[0]! : `${times.slice(0, -1).join(", ")} and ${times.at(-1)!}`;
}

/**
 * Plain words for the common shapes of a five-field cron expression ("every day at 03:00");
 * null for anything more unusual, where the next run times speak instead.
 */
export function describeCron(input: string): string | null {
  const expression = nicknames[input.trim().toLowerCase()] ?? input.trim();
  const fields = expression.split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (month !== "*") return null;
  const everyDay = dayOfMonth === "*" && dayOfWeek === "*";
  if (everyDay && hour === "*") {
    if (minute === "*") return "every minute";
    const step = /^\*\/(\d+)$/.exec(minute);
    if (step) return step[1] === "1" ? "every minute" : `every ${Number(step[1])} minutes`;
    if (minute === "0") return "every hour, on the hour";
    if (isNumber(minute)) return `every hour at ${Number(minute)} minutes past`;
    return null;
  }
  const hourStep = /^\*\/(\d+)$/.exec(hour);
  if (everyDay && hourStep && isNumber(minute)) {
    const past = minute === "0" ? "on the hour" : `at ${Number(minute)} minutes past`;
    return `every ${Number(hourStep[1])} hours, ${past}`;
  }
  const times = clockTimes(minute, hour);
  if (times === null) return null;
  if (dayOfMonth === "*") {
    const when = days(dayOfWeek);
    return when === null ? null : `${when} at ${times}`;
  }
  if (dayOfWeek === "*" && isNumber(dayOfMonth)) {
    return `on the ${ordinal(Number(dayOfMonth))} of every month at ${times}`;
  }
  return null;
}
