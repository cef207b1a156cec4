import { readFileSync } from "node:fs";
import { join } from "node:path";
import { valueAt, type ConfigIssue } from "./issues.js";

export type SecretName =
  "photoprismToken" | "ntfyToken" | "webhookSecret" | "passwordHash" | "sshKey";

interface SecretDefinition {
  name: SecretName;
  /** Where the value sits in the config. */
  path: string[];
  /** The config key that names a file holding it. */
  fileKey: string[];
  env: string;
  /** File name under the Docker secrets folder picked up when nothing else is set. */
  dockerSecret: string;
}

export const secretDefinitions: readonly SecretDefinition[] = [
  {
    name: "photoprismToken",
    path: ["photoprism", "api", "token"],
    fileKey: ["photoprism", "api", "tokenFile"],
    env: "PHOTOFERRY_PHOTOPRISM_TOKEN",
    dockerSecret: "photoferry_photoprism_token",
  },
  {
    name: "ntfyToken",
    path: ["notify", "ntfy", "token"],
    fileKey: ["notify", "ntfy", "tokenFile"],
    env: "PHOTOFERRY_NTFY_TOKEN",
    dockerSecret: "photoferry_ntfy_token",
  },
  {
    name: "webhookSecret",
    path: ["notify", "webhook", "secret"],
    fileKey: ["notify", "webhook", "secretFile"],
    env: "PHOTOFERRY_WEBHOOK_SECRET",
    dockerSecret: "photoferry_webhook_secret",
  },
  {
    name: "passwordHash",
    path: ["web", "auth", "passwordHash"],
    fileKey: ["web", "auth", "passwordHashFile"],
    env: "PHOTOFERRY_PASSWORD_HASH",
    dockerSecret: "photoferry_password_hash",
  },
  {
    name: "sshKey",
    path: ["ssh", "key"],
    fileKey: ["ssh", "keyFile"],
    env: "PHOTOFERRY_SSH_KEY",
    dockerSecret: "photoferry_ssh_key",
  },
];

/** Where a secret came from: shown by check-config and doctor, never the value itself. */
export interface SecretSource {
  kind: "env" | "env-file" | "config" | "config-file" | "docker-secret";
  /** The variable, key or file name it came from. */
  from: string;
}

export interface SecretEnvironment {
  env: NodeJS.ProcessEnv;
  /** Docker mounts secrets here; overridable for tests and other orchestrators. */
  secretsDir: string;
  readFile(path: string): string;
}

export const defaultSecretEnvironment = (env: NodeJS.ProcessEnv): SecretEnvironment => ({
  env,
  secretsDir: env.PHOTOFERRY_SECRETS_DIR ?? "/run/secrets",
  readFile: (path) => readFileSync(path, "utf8"),
});

export interface ResolvedSecrets {
  values: Partial<Record<SecretName, string>>;
  sources: Partial<Record<SecretName, SecretSource>>;
  issues: ConfigIssue[];
}

/**
 * First found wins: `PHOTOFERRY_X`, `PHOTOFERRY_X_FILE`, the value in the file, the file's
 * `*File` key, then a Docker secret named `photoferry_x`. The environment wins so a
 * deployment can override a file it cannot edit.
 */
export function resolveSecrets(data: unknown, environment: SecretEnvironment): ResolvedSecrets {
  const result: ResolvedSecrets = { values: {}, sources: {}, issues: [] };
  for (const definition of secretDefinitions) {
    const found = findSecret(definition, data, environment, result.issues);
    if (found) {
      result.values[definition.name] = found.value;
      result.sources[definition.name] = found.source;
    }
  }
  return result;
}

function findSecret(
  definition: SecretDefinition,
  data: unknown,
  environment: SecretEnvironment,
  issues: ConfigIssue[],
): { value: string; source: SecretSource } | undefined {
  const { env } = environment;
  const fromEnv = env[definition.env];
  if (fromEnv)
    return { value: clean(definition, fromEnv), source: { kind: "env", from: definition.env } };

  const envFile = env[`${definition.env}_FILE`];
  if (envFile) {
    const value = readSecretFile(definition, envFile, environment, issues, []);
    return value === undefined
      ? undefined
      : { value, source: { kind: "env-file", from: `${definition.env}_FILE` } };
  }

  const inConfig = valueAt(data, definition.path);
  if (typeof inConfig === "string" && inConfig !== "") {
    return {
      value: clean(definition, inConfig),
      source: { kind: "config", from: definition.path.join(".") },
    };
  }

  const configFile = valueAt(data, definition.fileKey);
  const dockerSecret = join(environment.secretsDir, definition.dockerSecret);
  if (typeof configFile === "string" && configFile !== "") {
    const warned = issues.length;
    const value = readSecretFile(definition, configFile, environment, issues, definition.fileKey);
    if (value !== undefined) return { value, source: { kind: "config-file", from: configFile } };
    // The example config names /run/secrets/photoprism_token while Swarm stacks often create
    // photoferry_photoprism_token: the conventional Docker secret still counts, with a word.
    const fallback = readDockerSecret(definition, dockerSecret, environment);
    if (fallback) {
      issues.splice(warned, issues.length - warned, {
        severity: "warning",
        path: definition.fileKey,
        message: `the secret file ${configFile} cannot be read; using the Docker secret ${dockerSecret} instead`,
        fix: `point ${definition.fileKey.join(".")} at ${dockerSecret}, or remove the key`,
      });
    }
    return fallback;
  }
  return readDockerSecret(definition, dockerSecret, environment);
}

function readDockerSecret(
  definition: SecretDefinition,
  path: string,
  environment: SecretEnvironment,
): { value: string; source: SecretSource } | undefined {
  try {
    const value = clean(definition, environment.readFile(path));
    return value ? { value, source: { kind: "docker-secret", from: path } } : undefined;
  } catch {
    return undefined; // an absent Docker secret is the normal case
  }
}

function readSecretFile(
  definition: SecretDefinition,
  path: string,
  environment: SecretEnvironment,
  issues: ConfigIssue[],
  issuePath: string[],
): string | undefined {
  try {
    const value = clean(definition, environment.readFile(path));
    if (value) return value;
    issues.push({
      severity: "warning",
      path: issuePath,
      message: `the secret file ${path} is empty`,
      fix: "write the secret into it",
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    issues.push({
      severity: "warning",
      path: issuePath,
      message: `the secret file ${path} cannot be read (${code})`,
      fix:
        issuePath.length > 0
          ? "create it (e.g. as a Docker secret) or remove this key; features that need it will fail until then"
          : `fix ${definition.env}_FILE or create the file`,
    });
  }
  return undefined;
}

// Secret files usually end with a newline that is not part of the secret; keys keep theirs.
function clean(definition: SecretDefinition, value: string): string {
  return definition.name === "sshKey" ? value : value.trim();
}
