import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  contractConfigPath,
  exampleConfigText,
  hasContract,
} from "../test-support/example-config.js";

describe("examples/photoferry.example.yaml", () => {
  it.runIf(hasContract())("is the config contract from shared/design, byte for byte", () => {
    expect(exampleConfigText()).toBe(readFileSync(contractConfigPath, "utf8"));
  });
});
