import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The config contract shipped in shared/design, beside the repository. */
export const exampleConfigPath = fileURLToPath(
  new URL("../../../shared/design/photoferry.example.yaml", import.meta.url),
);

export const exampleConfigText = (): string => readFileSync(exampleConfigPath, "utf8");
