import type { ParsedConfig } from "./schema/index.js";

type OccPreset = ParsedConfig["nextcloud"]["occ"]["preset"];

/** How occ is invoked in each Nextcloud image (see shared/reference/nextcloud.md §3). */
export const occPresets: Record<
  Exclude<OccPreset, "custom">,
  { user: string; command: string[]; container: string }
> = {
  // Not the image's `occ` shortcut: php with the full path, so arguments keep their spaces.
  official: { user: "33", command: ["php", "/var/www/html/occ"], container: "nextcloud" },
  // linuxserver's `occ` wrapper re-splits its arguments through bash; php directly avoids that.
  linuxserver: { user: "abc", command: ["php", "/app/www/public/occ"], container: "nextcloud" },
  aio: {
    user: "www-data",
    command: ["php", "/var/www/html/occ"],
    container: "nextcloud-aio-nextcloud",
  },
};

export interface ResolvedOcc {
  enabled: boolean;
  timeoutMinutes: number;
  preset: OccPreset;
  runner: ParsedConfig["nextcloud"]["occ"]["runner"];
  /** null only when the file sets it to null; a docker runner then has nothing to target. */
  container: string | null;
  user: string;
  command: string[];
}

/** Explicit `user`/`command`/`container` win over the preset; `custom` has no defaults. */
export function resolveOcc(occ: ParsedConfig["nextcloud"]["occ"]): ResolvedOcc | undefined {
  const preset = occ.preset === "custom" ? undefined : occPresets[occ.preset];
  const user = occ.user ?? preset?.user;
  const command = occ.command ?? preset?.command;
  if (user === undefined || command === undefined) return undefined;
  return {
    enabled: occ.enabled,
    timeoutMinutes: occ.timeoutMinutes,
    preset: occ.preset,
    runner: occ.runner,
    container: occ.container === undefined ? (preset?.container ?? "nextcloud") : occ.container,
    user,
    command: [...command],
  };
}
