import { describe, expect, it } from "vitest";
import { configSections, fieldSpec, humanName, pathKey, type SchemaNode } from "./schema-field.js";

// Fragments as `GET /api/config` sends them (zod's JSON Schema, input side).
const schedule: SchemaNode = {
  type: "object",
  description: "When passes run.",
  properties: {
    watch: { type: "boolean", default: true },
    cron: {
      default: "*/15 * * * *",
      anyOf: [
        { type: "string", description: "Periodic pass.", example: "*/15 * * * *" },
        { type: "null" },
      ],
    },
    folders: {
      type: "array",
      items: {
        type: "object",
        properties: {
          folder: { type: "string", minLength: 1 },
          cron: { anyOf: [{ type: "string" }, { type: "null" }] },
        },
        required: ["folder", "cron"],
      },
    },
    settleSeconds: { type: "integer", minimum: 0, maximum: 86400, requiresRestart: true },
  },
};

describe("fieldSpec", () => {
  it("reads a section with its fields and their widget kinds", () => {
    const spec = fieldSpec(schedule, ["schedule"]);
    expect(spec.kind).toBe("section");
    expect(spec.children.map((child) => [child.name, child.kind])).toEqual([
      ["watch", "boolean"],
      ["cron", "string"],
      ["folders", "object-list"],
      ["settleSeconds", "integer"],
    ]);
  });

  it("folds anyOf [string, null] into a nullable field keeping the branch's description", () => {
    const cron = fieldSpec(schedule, ["schedule"]).children[1]!;
    expect(cron).toMatchObject({
      nullable: true,
      cron: true,
      description: "Periodic pass.",
      default: "*/15 * * * *",
      path: ["schedule", "cron"],
    });
  });

  it("gives an object list the fields of one item", () => {
    const folders = fieldSpec(schedule, ["schedule"]).children[2]!;
    expect(folders.children.map((child) => [child.name, child.cron])).toEqual([
      ["folder", false],
      ["cron", true],
    ]);
  });

  it("keeps limits and the restart flag", () => {
    const settle = fieldSpec(schedule, ["schedule"]).children[3]!;
    expect(settle).toMatchObject({ minimum: 0, maximum: 86400, requiresRestart: true });
  });

  it("recognises secrets, enums, enum lists, string lists, maps and string-or-number", () => {
    const kinds = (node: SchemaNode) => fieldSpec(node, ["x"]).kind;
    expect(kinds({ anyOf: [{ type: "string" }, { type: "null" }], secret: true })).toBe("secret");
    expect(kinds({ type: "string", enum: ["a", "b"] })).toBe("enum");
    expect(kinds({ type: "array", items: { type: "string", enum: ["exif"] } })).toBe("enum-list");
    expect(kinds({ type: "array", items: { type: "string", minLength: 1 } })).toBe("string-list");
    expect(kinds({ type: "object", additionalProperties: { type: "string" } })).toBe("string-map");
    expect(kinds({ anyOf: [{ type: "string" }, { type: "integer", minimum: 0 }] })).toBe(
      "string-or-integer",
    );
  });

  it("takes the item's minLength for a string list and its options for an enum list", () => {
    expect(
      fieldSpec({ type: "array", items: { type: "string", minLength: 1 } }, ["x"]).minLength,
    ).toBe(1);
    expect(
      fieldSpec({ type: "array", items: { type: "string", enum: ["a", "b"] } }, ["x"]).options,
    ).toEqual(["a", "b"]);
  });
});

describe("configSections", () => {
  it("makes one section per top-level key, in order", () => {
    const sections = configSections({
      type: "object",
      properties: { schedule, log: { type: "object", properties: {} } },
    });
    expect(sections.map((section) => section.name)).toEqual(["schedule", "log"]);
  });

  it("copes with a schema without properties", () => {
    expect(configSections({})).toEqual([]);
  });
});

describe("names and keys", () => {
  it("turns keys into labels", () => {
    expect(humanName("settleSeconds")).toBe("Settle seconds");
    expect(humanName("uiUrl")).toBe("UI URL");
    expect(humanName("dataDir")).toBe("Data dir");
    expect(humanName("autoIncludeNew")).toBe("Auto include new");
  });

  it("formats paths as the server does", () => {
    expect(pathKey(["schedule", "folders", 0, "cron"])).toBe("schedule.folders[0].cron");
    expect(pathKey(["nextcloud", "users", "include"])).toBe("nextcloud.users.include");
  });
});
