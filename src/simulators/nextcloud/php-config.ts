import { phpArrayKey, type PhpArray, type PhpValue } from "./php-value.js";

/**
 * A narrow reader for Nextcloud's config/config.php: `<?php $CONFIG = array ( … );` holding
 * literals only (strings, numbers, true/false/null, nested arrays), with comments. Anything
 * else (expressions, constants, "$x" interpolation) is refused with the line it is on, since
 * guessing its value would make the simulator lie about the configuration.
 */
export class PhpConfigError extends Error {
  override readonly name = "PhpConfigError";
}

export function parsePhpConfig(text: string): PhpArray {
  const reader = new Reader(text);
  reader.skipSpace();
  reader.expectWord("<?php");
  reader.skipSpace();
  reader.expectWord("$CONFIG");
  reader.skipSpace();
  reader.expect("=");
  const config = reader.value();
  if (!(config instanceof Map)) return reader.fail("$CONFIG must be an array");
  reader.skipSpace();
  reader.expect(";");
  reader.skipSpace();
  if (reader.peekWord("?>")) reader.expectWord("?>");
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail("unexpected text after the $CONFIG array");
  return config;
}

/** Writes the file the way Nextcloud does (`var_export`), so a real occ could read it too. */
export function renderPhpConfig(config: PhpArray): string {
  return `<?php\n$CONFIG = ${exportValue(config, "")};\n`;
}

function exportValue(value: PhpValue, indent: string): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : exportFloat(value);
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const inner = indent + "  ";
  const lines = [...value].map(([key, item]) => {
    const keyText = typeof key === "number" ? String(key) : exportValue(key, "");
    const itemText =
      item instanceof Map ? `\n${inner}${exportValue(item, inner)}` : exportValue(item, inner);
    return `${inner}${keyText} => ${itemText},\n`;
  });
  return `array (\n${lines.join("")}${indent})`;
}

function exportFloat(value: number): string {
  const text = String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(what: string): never {
    const line = this.text.slice(0, this.pos).split("\n").length;
    throw new PhpConfigError(
      `config.php line ${line}: ${what}. Only literal values (strings, numbers, true, false, ` +
        `null, arrays) are understood; write the value as a literal.`,
    );
  }

  skipSpace(): void {
    for (;;) {
      const rest = this.text.slice(this.pos);
      const match = /^(\s+|\/\/[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      if (!match) return;
      this.pos += match[0].length;
    }
  }

  peekWord(word: string): boolean {
    return this.text.slice(this.pos, this.pos + word.length).toLowerCase() === word.toLowerCase();
  }

  expectWord(word: string): void {
    if (!this.peekWord(word)) this.fail(`expected ${word}`);
    this.pos += word.length;
  }

  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected "${ch}"`);
    this.pos += 1;
  }

  value(): PhpValue {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === "'") return this.singleQuoted();
    if (ch === '"') return this.doubleQuoted();
    if (ch === "[") {
      this.pos += 1;
      return this.arrayBody("]");
    }
    const word = /^[A-Za-z_]+/.exec(this.text.slice(this.pos))?.[0]?.toLowerCase();
    if (word === "array") {
      this.pos += word.length;
      this.skipSpace();
      this.expect("(");
      return this.arrayBody(")");
    }
    if (word === "true" || word === "false" || word === "null") {
      this.pos += word.length;
      return word === "null" ? null : word === "true";
    }
    const number = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (number && !/^[+-]?0\d/.test(number[0])) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    return this.fail("expected a literal value");
  }

  private arrayBody(close: string): PhpArray {
    const array: PhpArray = new Map();
    let nextIndex = 0;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos += 1;
        return array;
      }
      const first = this.value();
      this.skipSpace();
      if (this.text.startsWith("=>", this.pos)) {
        this.pos += 2;
        if (first instanceof Map || first === null || typeof first === "boolean") {
          this.fail("array keys must be strings or integers");
        }
        const key = phpArrayKey(typeof first === "number" ? Math.trunc(first) : first);
        array.set(key, this.value());
        if (typeof key === "number" && key >= nextIndex) nextIndex = key + 1;
      } else {
        array.set(nextIndex, first);
        nextIndex += 1;
      }
      this.skipSpace();
      if (this.text[this.pos] === ",") this.pos += 1;
      else if (this.text[this.pos] !== close) this.fail(`expected "," or "${close}"`);
    }
  }

  private singleQuoted(): string {
    let out = "";
    for (this.pos += 1; this.pos < this.text.length; this.pos++) {
      const ch = this.text.charAt(this.pos);
      if (ch === "'") {
        this.pos += 1;
        return out;
      }
      const next = this.text.charAt(this.pos + 1);
      if (ch === "\\" && (next === "'" || next === "\\")) {
        out += next;
        this.pos += 1;
      } else out += ch;
    }
    return this.fail("unterminated string");
  }

  private doubleQuoted(): string {
    const escapes: Record<string, string> = {
      n: "\n",
      t: "\t",
      r: "\r",
      "\\": "\\",
      '"': '"',
      $: "$",
    };
    let out = "";
    for (this.pos += 1; this.pos < this.text.length; this.pos++) {
      const ch = this.text.charAt(this.pos);
      if (ch === '"') {
        this.pos += 1;
        return out;
      }
      if (ch === "$") this.fail("variables inside double-quoted strings are not supported");
      if (ch === "\\") {
        const next = this.text.charAt(this.pos + 1);
        const escaped = escapes[next];
        out += escaped ?? ch + next;
        this.pos += 1;
      } else out += ch;
    }
    return this.fail("unterminated string");
  }
}
