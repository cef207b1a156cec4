import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { exampleConfigText } from "../test-support/example-config.js";
import { leafPaths, schemaNodeAt } from "./json-schema.js";
import { renderConfigReference } from "./reference.js";

describe("configuration reference", () => {
  it("docs/configuration.md matches the schema (run `npm run docs:config` when this fails)", () => {
    const committed = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
    expect(committed).toBe(renderConfigReference());
  });

  it("documents every key of the example contract", () => {
    const reference = renderConfigReference();
    const walk = (value: unknown, path: string[]): string[][] =>
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, child]) => walk(child, [...path, key]))
        : [path];
    for (const path of walk(parse(exampleConfigText()), [])) {
      expect(schemaNodeAt(path), path.join(".")).toBeDefined();
      expect(reference, path.join(".")).toContain(`\`${path.join(".")}\``);
    }
  });

  it("gives every key a description", () => {
    for (const path of leafPaths()) {
      const node = schemaNodeAt(path)!;
      const description = node.description ?? node.anyOf?.find((b) => b.description)?.description;
      expect(description, path.join(".")).toBeTruthy();
    }
  });
});
