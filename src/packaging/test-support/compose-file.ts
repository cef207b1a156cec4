import { parse } from "yaml";

/** The parts of a compose service that photoferry's files use. */
export interface ComposeService {
  image?: string;
  user?: string;
  group_add?: (string | number)[];
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  read_only?: boolean;
  tmpfs?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | Record<string, unknown>)[];
  volumes?: (string | ComposeVolume)[];
  networks?: string[] | Record<string, unknown>;
  secrets?: (string | { source: string; uid?: string; gid?: string; mode?: number })[];
  deploy?: {
    mode?: string;
    replicas?: number;
    placement?: { constraints?: string[] };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ComposeVolume {
  type: string;
  source?: string;
  target: string;
  read_only?: boolean;
}

export interface ComposeFile {
  version?: string;
  services: Record<string, ComposeService>;
  networks?: Record<string, { driver?: string; internal?: boolean } | null>;
  secrets?: Record<string, { external?: boolean; file?: string }>;
  volumes?: Record<string, unknown>;
}

/**
 * Compose's `${VAR}`, `${VAR:-default}` and `${VAR-default}` substitution (and `$$` for a
 * literal `$`), as `docker compose` and `docker stack deploy` do it before parsing.
 */
export function interpolate(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)-([^}]*))?\}/g,
    (whole: string, ...groups: (string | undefined)[]): string => {
      if (whole === "$$") return "$";
      const [name, colon, fallback] = groups;
      const value = env[name!];
      if (fallback === undefined) return value ?? "";
      const unset = colon === ":" ? value === undefined || value === "" : value === undefined;
      return unset ? fallback : (value ?? fallback);
    },
  );
}

export function parseComposeFile(text: string, env: NodeJS.ProcessEnv = {}): ComposeFile {
  const parsed = parse(interpolate(text, env)) as unknown;
  if (typeof parsed !== "object" || parsed === null || !("services" in parsed))
    throw new Error("not a compose file: no `services`");
  return parsed as ComposeFile;
}

/** A service's environment as a map, from either compose form. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((item) => {
        const at = item.indexOf("=");
        return at < 0 ? [item, ""] : [item.slice(0, at), item.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === null ? "" : String(value)]),
  );
}

/** Every volume in long form (`source:target[:ro]` strings expanded). */
export function volumesOf(service: ComposeService): ComposeVolume[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== "string") return volume;
    const [source, target, options] = volume.split(":");
    if (target === undefined) return { type: "volume", target: source! };
    const bind = source!.startsWith("/") || source!.startsWith(".");
    return {
      type: bind ? "bind" : "volume",
      source: source!,
      target,
      ...(options?.split(",").includes("ro") ? { read_only: true } : {}),
    };
  });
}

export function networksOf(service: ComposeService): string[] {
  const networks = service.networks ?? [];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}
