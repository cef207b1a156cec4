import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The example shipped with photoferry: a copy of the config contract. */
export const exampleConfigPath = fileURLToPath(
  new URL("../../examples/photoferry.example.yaml", import.meta.url),
);

/** The contract itself, in shared/design beside the repository (absent in a plain clone). */
export const contractConfigPath = fileURLToPath(
  new URL("../../../shared/design/photoferry.example.yaml", import.meta.url),
);

export const hasContract = (): boolean => existsSync(contractConfigPath);

export const exampleConfigText = (): string => readFileSync(exampleConfigPath, "utf8");
