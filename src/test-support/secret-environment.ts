import type { SecretEnvironment } from "../config/secrets.js";

/** A secret environment with in-memory files, so tests never read /run/secrets. */
export function fakeSecretEnvironment(
  files: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
): SecretEnvironment {
  return {
    env,
    secretsDir: "/run/secrets",
    readFile(path) {
      const content = files[path];
      if (content === undefined) {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      }
      return content;
    },
  };
}
