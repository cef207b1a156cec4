import { describe, expect, it } from "vitest";
import { commandSynopsis, renderConsoleError, renderTable, stripTags } from "./console-output.js";

describe("console output", () => {
  it("sizes table columns to the widest cell", () => {
    expect(renderTable(["A", "Elapsed"], [["12345", "x"]])).toBe(
      "+-------+---------+\n| A     | Elapsed |\n+-------+---------+\n| 12345 | x       |\n+-------+---------+\n",
    );
  });

  it("removes style tags but keeps escaped ones", () => {
    expect(stripTags("<error>Path not found: \\<x></error>")).toBe("Path not found: <x>");
  });

  it("frames an error like Symfony and adds the synopsis", () => {
    expect(renderConsoleError("Bad.", "x:y [--a]")).toBe(
      "\n        \n  Bad.  \n        \n\nx:y [--a]\n\n",
    );
  });

  it("writes synopses with optional values, shortcuts and arguments", () => {
    const synopsis = commandSynopsis({
      name: "files:scan",
      description: "",
      options: [
        { name: "output", value: "optional", description: "" },
        { name: "path", shortcut: "p", value: "required", description: "" },
        { name: "all", value: "none", description: "" },
      ],
      arguments: [{ name: "user_id", description: "", array: true }],
    });
    expect(synopsis).toBe(
      "files:scan [--output [OUTPUT]] [-p|--path PATH] [--all] [--] [<user_id>...]",
    );
  });
});
