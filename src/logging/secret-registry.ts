export const REDACTED = "[redacted]";

/** Shorter values are ignored: scrubbing e.g. "ab" would mangle every line. */
export const MIN_SECRET_LENGTH = 4;

/** Matches one JSON string literal, escapes included. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Secret values (tokens, passwords, keys) that must never appear in output, whatever field or
 * message they end up in. Shared by reference, so secrets added later are scrubbed too.
 */
export class SecretRegistry {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** Registers a secret value; empty, missing and too-short values are ignored. */
  add(value: string | null | undefined): void {
    if (value == null || value.length < MIN_SECRET_LENGTH || this.#secrets.has(value)) return;
    this.#secrets.add(value);
    this.#pattern = undefined;
  }

  get size(): number {
    return this.#secrets.size;
  }

  /** Replaces every secret in free text, raw or JSON-escaped (once or more), by `[redacted]`. */
  scrub(text: string): string {
    const pattern = this.#compiled();
    return pattern === undefined ? text : text.replace(pattern, REDACTED);
  }

  /**
   * Scrubs one serialized JSON value and keeps it valid JSON: each string literal is decoded,
   * scrubbed and re-encoded, so a match can never cut an escape sequence in half.
   */
  scrubJson(json: string): string {
    const pattern = this.#compiled();
    if (pattern === undefined || json.search(pattern) === -1) return json;
    try {
      return json.replace(JSON_STRING, (literal) => {
        if (literal.search(pattern) === -1) return literal;
        const value = JSON.parse(literal) as string;
        const scrubbed = this.scrub(value);
        return scrubbed === value ? literal : JSON.stringify(scrubbed);
      });
    } catch {
      // Not the JSON we expected: leaking a secret is worse than a mangled line.
      return this.scrub(json);
    }
  }

  #compiled(): RegExp | undefined {
    if (this.#secrets.size === 0) return undefined;
    if (this.#pattern !== undefined) return this.#pattern;
    const forms = new Set<string>();
    for (const secret of this.#secrets) {
      // Escaped up to three times: a secret inside JSON text that is itself logged as a string.
      let form = secret;
      for (let depth = 0; depth <= 3; depth++) {
        forms.add(form);
        form = jsonEscaped(form);
      }
    }
    // Longest first, so a secret that contains another is replaced as a whole.
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.#pattern = new RegExp(alternatives.join("|"), "g");
    return this.#pattern;
  }
}
