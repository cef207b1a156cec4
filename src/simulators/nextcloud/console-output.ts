import {
  globalOptions,
  type ArgumentDef,
  type CommandDefinition,
  type OptionDef,
} from "./console-input.js";

/**
 * Symfony Console's output as occ produces it without a terminal: style tags such as
 * `<error>` are removed (no ANSI colours, as when stdout is not a TTY), and text is filtered by
 * verbosity. Writes go straight to the given sinks so the order of stdout and stderr lines is
 * the order a caller would see.
 */
export enum Verbosity {
  Quiet = 16,
  Normal = 32,
  Verbose = 64,
}

export interface OutputSinks {
  stdout(text: string): void;
  stderr(text: string): void;
}

export class ConsoleOutput {
  constructor(
    private readonly sinks: OutputSinks,
    public verbosity: Verbosity = Verbosity.Normal,
  ) {}

  get isVerbose(): boolean {
    return this.verbosity >= Verbosity.Verbose;
  }

  /** Writes without a newline (Symfony's `write`). */
  write(text: string, level: Verbosity = Verbosity.Normal): void {
    if (this.verbosity >= level) this.sinks.stdout(stripTags(text));
  }

  writeln(text: string, level: Verbosity = Verbosity.Normal): void {
    this.write(`${text}\n`, level);
  }

  /** Symfony's error output (stderr), also verbosity-filtered. */
  errorln(text: string, level: Verbosity = Verbosity.Normal): void {
    if (this.verbosity >= level) this.sinks.stderr(stripTags(`${text}\n`));
  }
}

/** Removes Symfony style tags and unescapes `\<`, as a non-decorated output does. */
export function stripTags(text: string): string {
  return text.replace(/(?<!\\)<\/?(info|error|comment|question)>/g, "").replace(/\\</g, "<");
}

/** Symfony's default-style Table. Column widths follow the widest cell. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const border = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const line = (cells: readonly string[]): string =>
    `|${widths.map((w, i) => ` ${(cells[i] ?? "").padEnd(w)} `).join("|")}|`;
  return [border, line(headers), border, ...rows.map(line), border].join("\n") + "\n";
}

/**
 * Symfony's rendering of an exception from the console itself (unknown command or option):
 * a padded block on stderr, then the command's synopsis when a command was found.
 */
export function renderConsoleError(message: string, synopsis: string | undefined): string {
  const lines = message.split(/\r?\n/);
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const block = [
    "",
    " ".repeat(width),
    ...lines.map((l) => `  ${l}  ${" ".repeat(width - l.length - 4)}`),
    " ".repeat(width),
    "",
  ];
  if (synopsis !== undefined) block.push(synopsis, "");
  return block.join("\n") + "\n";
}

function optionSynopsis(option: OptionDef): string {
  const shortcut = option.shortcut ? `-${option.shortcut}|` : "";
  const name = option.name.toUpperCase();
  const value =
    option.value === "required" ? ` ${name}` : option.value === "optional" ? ` [${name}]` : "";
  const negation = option.negatable ? `|--no-${option.name}` : "";
  return `[${shortcut}--${option.name}${value}${negation}]`;
}

function argumentsSynopsis(args: readonly ArgumentDef[]): string[] {
  let tail = "";
  const elements = args.map((argument) => {
    let element = `<${argument.name}>${argument.array ? "..." : ""}`;
    if (!argument.required) {
      element = `[${element}`;
      tail += "]";
    }
    return element;
  });
  if (elements.length > 0) elements[elements.length - 1] += tail;
  return elements;
}

/** `getSynopsis()`: the command's own options in full (global options are not listed). */
export function commandSynopsis(command: CommandDefinition, short = false): string {
  const elements: string[] = [];
  if (short && command.options.length > 0) elements.push("[options]");
  else elements.push(...command.options.map(optionSynopsis));
  if (elements.length > 0 && command.arguments.length > 0) elements.push("[--]");
  elements.push(...argumentsSynopsis(command.arguments));
  return [command.name, ...elements].join(" ").trim();
}

function optionLabel(option: OptionDef): string {
  const value =
    option.value === "required"
      ? `=${option.name.toUpperCase()}`
      : option.value === "optional"
        ? `[=${option.name.toUpperCase()}]`
        : "";
  const long = option.negatable
    ? `--${option.name}|--no-${option.name}`
    : `--${option.name}${value}`;
  return `${option.shortcut ? `-${option.shortcut}, ` : "    "}${long}`;
}

/** `occ <command> --help` as Symfony's TextDescriptor writes it. */
export function renderCommandHelp(command: CommandDefinition): string {
  const options = [...command.options, ...globalOptions];
  // Options with multi-letter shortcuts (-v|vv|vvv) are listed last.
  const ordered = [
    ...options.filter((o) => (o.shortcut ?? "").length <= 1),
    ...options.filter((o) => (o.shortcut ?? "").length > 1),
  ];
  const width = Math.max(
    ...options.map((o) => optionLabel(o).length),
    ...command.arguments.map((a) => a.name.length),
  );
  const out: string[] = [];
  if (command.description) out.push("Description:", `  ${command.description}`, "");
  out.push("Usage:", `  ${commandSynopsis(command, true)}`, "");
  if (command.arguments.length > 0) {
    out.push("Arguments:");
    for (const argument of command.arguments) {
      out.push(`  ${argument.name.padEnd(width)}  ${argument.description}`);
    }
    out.push("");
  }
  out.push("Options:");
  for (const option of ordered) {
    const defaultText = option.default !== undefined ? ` [default: "${option.default}"]` : "";
    out.push(`  ${optionLabel(option).padEnd(width)}  ${option.description}${defaultText}`);
  }
  return out.join("\n") + "\n";
}
