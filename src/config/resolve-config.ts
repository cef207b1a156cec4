import { resolveOcc, type ResolvedOcc } from "./presets.js";
import type { ParsedConfig } from "./schema/index.js";
import type { ResolvedSecrets } from "./secrets.js";

/**
 * The config as the rest of photoferry uses it: presets expanded, derived defaults filled,
 * secrets resolved from wherever they came. Treat it as read-only.
 */
export type PhotoferryConfig = Omit<ParsedConfig, "nextcloud" | "photoprism"> & {
  nextcloud: Omit<ParsedConfig["nextcloud"], "occ"> & { occ: ResolvedOcc };
  photoprism: Omit<ParsedConfig["photoprism"], "containerImportDir"> & {
    containerImportDir: string;
  };
};

/** Returns undefined only when occ cannot be resolved (reported by the contradiction checks). */
export function resolveConfig(
  parsed: ParsedConfig,
  secrets: ResolvedSecrets,
): PhotoferryConfig | undefined {
  const occ = resolveOcc(parsed.nextcloud.occ);
  if (!occ) return undefined;
  const { values } = secrets;
  return {
    ...parsed,
    nextcloud: { ...parsed.nextcloud, occ },
    photoprism: {
      ...parsed.photoprism,
      containerImportDir: parsed.photoprism.containerImportDir ?? parsed.photoprism.importDir,
      api: { ...parsed.photoprism.api, token: values.photoprismToken ?? null },
    },
    notify: {
      ...parsed.notify,
      ntfy: { ...parsed.notify.ntfy, token: values.ntfyToken ?? null },
      webhook: { ...parsed.notify.webhook, secret: values.webhookSecret ?? null },
    },
    web: { ...parsed.web, auth: { ...parsed.web.auth, passwordHash: values.passwordHash ?? null } },
    ssh: { ...parsed.ssh, key: values.sshKey ?? null },
  };
}
