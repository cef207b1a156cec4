/**
 * Option and argument definitions of the simulated commands and an argv parser that follows
 * Symfony Console's ArgvInput (the library occ is built on): the same value rules and the same
 * error messages, because callers see those messages when they get an option wrong.
 */
export interface OptionDef {
  name: string;
  shortcut?: string;
  /** none: a flag; required: `--x=V`; optional: `--x[=V]`. */
  value: "none" | "required" | "optional";
  description: string;
  default?: string;
  /** `--ansi|--no-ansi` */
  negatable?: boolean;
}

export interface ArgumentDef {
  name: string;
  description: string;
  /** Takes every remaining argument. */
  array?: boolean;
  required?: boolean;
}

export interface CommandDefinition {
  name: string;
  description: string;
  options: readonly OptionDef[];
  arguments: readonly ArgumentDef[];
}

export interface ParsedInput {
  options: Map<string, string | true>;
  /** How often a flag was given (for -v, -vv, -vvv). */
  counts: Map<string, number>;
  arguments: Map<string, string[]>;
}

/** Thrown for input Symfony refuses; rendered as an error block with the command's synopsis. */
export class ConsoleInputError extends Error {
  override readonly name = "ConsoleInputError";
}

/** Global options Symfony and Nextcloud add to every command, in their help order. */
export const globalOptions: readonly OptionDef[] = [
  {
    name: "help",
    shortcut: "h",
    value: "none",
    description:
      "Display help for the given command. When no command is given display help for the list command",
  },
  { name: "quiet", shortcut: "q", value: "none", description: "Do not output any message" },
  {
    name: "version",
    shortcut: "V",
    value: "none",
    description: "Display this application version",
  },
  {
    name: "ansi",
    value: "none",
    negatable: true,
    description: "Force (or disable --no-ansi) ANSI output",
  },
  {
    name: "no-interaction",
    shortcut: "n",
    value: "none",
    description: "Do not ask any interactive question",
  },
  {
    name: "no-warnings",
    value: "none",
    description: "Skip global warnings, show command output only",
  },
  {
    name: "verbose",
    shortcut: "v|vv|vvv",
    value: "none",
    description:
      "Increase the verbosity of messages: 1 for normal output, 2 for more verbose output and 3 for debug",
  },
];

/** Parses the arguments after the command name against the command's own and global options. */
export function parseInput(command: CommandDefinition, argv: readonly string[]): ParsedInput {
  const options = [...command.options, ...globalOptions];
  const parsed: ParsedInput = { options: new Map(), counts: new Map(), arguments: new Map() };
  const positional: string[] = [];
  const tokens = [...argv];
  let onlyArguments = false;

  const byName = (name: string): OptionDef | undefined =>
    options.find((o) => o.name === name) ??
    options.find((o) => o.negatable === true && `no-${o.name}` === name);
  const byShortcut = (ch: string): OptionDef | undefined =>
    options.find((o) => o.shortcut?.split("|").includes(ch));

  const set = (name: string, value: string | undefined): void => {
    const option = byName(name);
    if (!option) throw new ConsoleInputError(`The "--${name}" option does not exist.`);
    if (option.value === "none") {
      if (value !== undefined) {
        throw new ConsoleInputError(`The "--${name}" option does not accept a value.`);
      }
      const key = option.negatable === true && name !== option.name ? name : option.name;
      parsed.options.set(key, true);
      parsed.counts.set(key, (parsed.counts.get(key) ?? 0) + 1);
      return;
    }
    let actual = value;
    if (actual === undefined) {
      const next = tokens[0];
      if (next !== undefined && (next === "" || !next.startsWith("-"))) actual = tokens.shift();
    }
    if (actual === undefined && option.value === "required") {
      throw new ConsoleInputError(`The "--${name}" option requires a value.`);
    }
    parsed.options.set(option.name, actual ?? true);
  };

  while (tokens.length > 0) {
    const token = tokens.shift() as string;
    if (onlyArguments) positional.push(token);
    else if (token === "--") onlyArguments = true;
    else if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      if (eq === -1) set(token.slice(2), undefined);
      else set(token.slice(2, eq), token.slice(eq + 1));
    } else if (token.startsWith("-") && token !== "-") {
      parseShortOptions(token.slice(1), byShortcut, set);
    } else positional.push(token);
  }

  assignArguments(command, positional, parsed);
  return parsed;
}

function parseShortOptions(
  name: string,
  byShortcut: (ch: string) => OptionDef | undefined,
  set: (name: string, value: string | undefined) => void,
): void {
  const first = byShortcut(name.charAt(0));
  if (name.length > 1 && first && first.value !== "none") {
    set(first.name, name.slice(1));
    return;
  }
  for (let i = 0; i < name.length; i++) {
    const option = byShortcut(name.charAt(i));
    if (!option) throw new ConsoleInputError(`The "-${name.charAt(i)}" option does not exist.`);
    if (option.value !== "none") {
      set(option.name, i === name.length - 1 ? undefined : name.slice(i + 1));
      return;
    }
    set(option.name, undefined);
  }
}

function assignArguments(
  command: CommandDefinition,
  positional: readonly string[],
  parsed: ParsedInput,
): void {
  let index = 0;
  for (const argument of command.arguments) {
    if (argument.array) {
      parsed.arguments.set(argument.name, positional.slice(index));
      index = positional.length;
    } else if (index < positional.length) {
      parsed.arguments.set(argument.name, [positional[index] as string]);
      index += 1;
    } else if (argument.required) {
      throw new ConsoleInputError(`Not enough arguments (missing: "${argument.name}").`);
    }
  }
  if (index < positional.length) {
    // The application's own "command" argument is part of every definition.
    const names = ["command", ...command.arguments.map((a) => a.name)];
    throw new ConsoleInputError(
      `Too many arguments to "${command.name}" command, expected arguments "${names.join('" "')}".`,
    );
  }
}

/** `--x` given (a flag, or an option with or without a value). */
export function hasOption(input: ParsedInput, name: string): boolean {
  return input.options.has(name);
}

/** The option's string value; undefined when absent or given without a value. */
export function optionValue(input: ParsedInput, name: string): string | undefined {
  const value = input.options.get(name);
  return typeof value === "string" ? value : undefined;
}
