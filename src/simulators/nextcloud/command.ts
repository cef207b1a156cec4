import type { CommandDefinition, OptionDef, ParsedInput } from "./console-input.js";
import type { ConsoleOutput } from "./console-output.js";
import type { Disk } from "./disk.js";
import type { Instance } from "./instance.js";
import { phpJsonEncode, type PhpValue } from "./php-value.js";

/** What a simulated occ command gets to work with. */
export interface CommandContext {
  instance: Instance;
  input: ParsedInput;
  output: ConsoleOutput;
  disk: Disk;
  /** Symfony's isInteractive(): no -n and stdin is a terminal. */
  interactive: boolean;
  /** One line from stdin (for a confirmation prompt); undefined at end of input. */
  readLine: () => string | undefined;
}

export interface SimCommand {
  definition: CommandDefinition;
  /** Provided by an app (files, memories): absent in maintenance mode or before an upgrade. */
  fromApp: boolean;
  run(ctx: CommandContext): number;
}

/** `--output` as Nextcloud's `Base` command adds it. */
export const outputOption: OptionDef = {
  name: "output",
  value: "optional",
  description: "Output format (plain, json or json_pretty, default is plain)",
  default: "plain",
};

export type OutputFormat = "plain" | "json" | "json_pretty";

/** Unknown formats fall back to plain, as Base's switch does. */
export function outputFormat(input: ParsedInput): OutputFormat {
  const value = input.options.get("output");
  return value === "json" || value === "json_pretty" ? value : "plain";
}

/** Base::valueToString */
export function valueToString(value: PhpValue): string {
  if (value === true) return "true";
  if (value === false) return "false";
  if (value === null) return "null";
  if (value instanceof Map) return phpJsonEncode(value);
  return String(value);
}

/** Base::writeArrayInOutputFormat */
export function writeArrayInOutputFormat(
  ctx: CommandContext,
  items: Map<string | number, PhpValue>,
  prefix = "  - ",
): void {
  const format = outputFormat(ctx.input);
  if (format !== "plain") {
    ctx.output.writeln(phpJsonEncode(items, format === "json_pretty"));
    return;
  }
  for (const [key, item] of items) {
    if (item instanceof Map) {
      ctx.output.writeln(`${prefix}${key}:`);
      writeArrayInOutputFormat(ctx, item, `  ${prefix}`);
    } else if (typeof key === "number") {
      ctx.output.writeln(`${prefix}${valueToString(item)}`);
    } else {
      ctx.output.writeln(
        item === null ? `${prefix}${key}` : `${prefix}${key}: ${valueToString(item)}`,
      );
    }
  }
}

/** The Nextcloud major version from config.php's "30.0.4.1". */
export function majorVersion(instance: Instance): number {
  return Number.parseInt(instance.version.split(".")[0] ?? "0", 10) || 0;
}
