import { describe, expect, it } from "vitest";
import { ConsoleInputError, parseInput, type CommandDefinition } from "./console-input.js";

const command: CommandDefinition = {
  name: "demo:run",
  description: "",
  arguments: [{ name: "user_id", description: "", array: true }],
  options: [
    { name: "path", shortcut: "p", value: "required", description: "" },
    { name: "output", value: "optional", description: "" },
    { name: "all", value: "none", description: "" },
    { name: "force", shortcut: "f", value: "none", description: "" },
  ],
};

describe("parseInput", () => {
  it("reads long, short, glued and separate option values", () => {
    const input = parseInput(command, ["--path", "/a b/files", "-fn", "--output=json", "x y"]);
    expect(input.options.get("path")).toBe("/a b/files");
    expect(input.options.get("force")).toBe(true);
    expect(input.options.get("no-interaction")).toBe(true);
    expect(input.options.get("output")).toBe("json");
    expect(input.arguments.get("user_id")).toEqual(["x y"]);
    expect(parseInput(command, ["-p/alice/files"]).options.get("path")).toBe("/alice/files");
  });

  it("counts -vvv and treats everything after -- as arguments", () => {
    const input = parseInput(command, ["-vvv", "--", "--all"]);
    expect(input.counts.get("verbose")).toBe(3);
    expect(input.options.has("all")).toBe(false);
    expect(input.arguments.get("user_id")).toEqual(["--all"]);
  });

  it("an optional value does not swallow the next option", () => {
    const input = parseInput(command, ["--output", "--all"]);
    expect(input.options.get("output")).toBe(true);
    expect(input.options.get("all")).toBe(true);
  });

  it.each([
    [["--folder=x"], 'The "--folder" option does not exist.'],
    [["-x"], 'The "-x" option does not exist.'],
    [["--path"], 'The "--path" option requires a value.'],
    [["--all=yes"], 'The "--all" option does not accept a value.'],
  ])("refuses %j with Symfony's message", (argv, message) => {
    expect(() => parseInput(command, argv)).toThrow(new ConsoleInputError(message));
  });

  it("refuses arguments a command does not take", () => {
    const noArgs = { ...command, arguments: [] };
    expect(() => parseInput(noArgs, ["extra"])).toThrow(
      'Too many arguments to "demo:run" command, expected arguments "command".',
    );
  });
});
