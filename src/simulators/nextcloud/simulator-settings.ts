import { z } from "zod";

/**
 * `<root>/config/simulator.json`: what a real Nextcloud knows from its database and installed
 * apps rather than from config.php, plus faults a test can switch on.
 */
const faultSchema = z.object({
  /** Virtual path prefix, e.g. "/alice/files/Broken". */
  pathPrefix: z.string().min(1),
  message: z.string().min(1),
});

export const simulatorSettingsSchema = z.object({
  /** Memories app version ("7.6.1", "8.1.0"); null when the app is not installed. */
  memoriesVersion: z.string().nullable().default("8.1.0"),
  /** `Util::needUpgrade()`: the code is newer than the installed database. */
  needsDbUpgrade: z.boolean().default(false),
  /** The user list (occ user:list); absent: every `<datadir>/<x>/files` directory. */
  users: z.array(z.string()).optional(),
  /** Groups by gid (memories:index --group). */
  groups: z.record(z.string(), z.array(z.string())).default({}),
  /** Display names by uid (user:list prints them); default: the uid. */
  displayNames: z.record(z.string(), z.string()).default({}),
  /** A scan that reaches a path with this prefix fails with "Exception during scan: …". */
  scanExceptions: z.array(faultSchema).default([]),
  /** Memories fails to read these files: "Failed to index file …: <message>". */
  indexFailures: z.array(faultSchema).default([]),
});

export type SimulatorSettings = z.infer<typeof simulatorSettingsSchema>;
export type SimulatorSettingsInput = z.input<typeof simulatorSettingsSchema>;

export function parseSimulatorSettings(json: unknown, file: string): SimulatorSettings {
  const result = simulatorSettingsSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`)
      .join("; ");
    throw new Error(`${file} is not valid: ${problems}. Fix or delete the file.`);
  }
  return result.data;
}

/** The first fault whose prefix covers the path (a prefix matches whole path components). */
export function faultFor(
  faults: readonly { pathPrefix: string; message: string }[],
  virtualPath: string,
): string | undefined {
  for (const fault of faults) {
    const prefix = fault.pathPrefix.replace(/\/+$/, "");
    if (virtualPath === prefix || virtualPath.startsWith(`${prefix}/`)) return fault.message;
  }
  return undefined;
}

/** Orders version strings numerically component by component ("7.10" > "7.6.1"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(".").map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
