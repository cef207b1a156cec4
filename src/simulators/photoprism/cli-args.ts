/**
 * Flag parsing the way urfave/cli v1 (on Go's flag package) does it: `-x`, `--x`, `-x=v`,
 * `--x v`; booleans take no value unless written `--x=false`; parsing stops at `--`. Command
 * flags may follow positional arguments (urfave v1 reorders them); global flags may not.
 */
export interface FlagSpec {
  /** Long name first, then aliases, e.g. ["dest", "d"]. */
  readonly names: readonly string[];
  readonly kind: "string" | "bool";
}

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, string | boolean>;
  readonly args: readonly string[];
}

export class UsageError extends Error {}

export function parseFlags(
  argv: readonly string[],
  specs: readonly FlagSpec[],
  options: { reorder: boolean },
): ParsedFlags {
  const values = new Map<string, string | boolean>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      if (!options.reorder) {
        args.push(...argv.slice(i));
        break;
      }
      args.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = specs.find((s) => s.names.includes(name));
    if (spec === undefined) throw new UsageError(`flag provided but not defined: -${name}`);
    const key = spec.names[0] ?? name;
    if (spec.kind === "bool") {
      const text = eq < 0 ? "true" : body.slice(eq + 1);
      if (!/^(1|0|t|f|true|false|TRUE|FALSE|True|False)$/.test(text)) {
        throw new UsageError(`invalid boolean value "${text}" for -${name}: parse error`);
      }
      values.set(key, /^(1|t|true)$/i.test(text));
    } else if (eq >= 0) {
      values.set(key, body.slice(eq + 1));
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: -${name}`);
      values.set(key, argv[++i] ?? "");
    }
  }
  return { values, args };
}

/** Go's strconv.ParseBool for environment values; anything else is false. */
export function envBool(text: string | undefined): boolean {
  return text !== undefined && /^(1|t|true)$/i.test(text.trim());
}
