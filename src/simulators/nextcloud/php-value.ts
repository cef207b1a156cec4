/**
 * The PHP values the simulator reads and writes: config.php settings and what occ prints as
 * JSON. A PHP array is ordered and its keys are ints or strings, so it is a Map, never a plain
 * object (JavaScript would move integer-like keys to the front).
 */
export type PhpValue = string | number | boolean | null | PhpArray;
export type PhpArray = Map<string | number, PhpValue>;

/** PHP turns a decimal-integer string key ("12", not "012" or "1.5") into an int key. */
export function phpArrayKey(key: string | number): string | number {
  if (typeof key === "number") return key;
  if (/^(0|-?[1-9][0-9]*)$/.test(key)) {
    const n = Number(key);
    if (Number.isSafeInteger(n)) return n;
  }
  return key;
}

/** Builds a PHP array from [key, value] pairs, normalizing keys the way PHP does. */
export function phpArray(entries: Iterable<readonly [string | number, PhpValue]>): PhpArray {
  const array: PhpArray = new Map();
  for (const [key, value] of entries) array.set(phpArrayKey(key), value);
  return array;
}

/** A PHP list: keys 0, 1, 2, … */
export function phpList(values: readonly PhpValue[]): PhpArray {
  return new Map(values.map((value, index) => [index, value]));
}

/** True when PHP's json_encode would write the array as a JSON list. */
export function isPhpList(array: PhpArray): boolean {
  let expected = 0;
  for (const key of array.keys()) {
    if (key !== expected) return false;
    expected += 1;
  }
  return true;
}

/** PHP's json_encode (flags 0 or JSON_PRETTY_PRINT): escapes "/" and non-ASCII characters. */
export function phpJsonEncode(value: PhpValue, pretty = false): string {
  return encode(value, pretty, "");
}

function encode(value: PhpValue, pretty: boolean, indent: string): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : phpFloat(value);
  if (typeof value === "string") return encodeString(value);
  if (value.size === 0) return isPhpList(value) ? "[]" : "{}";
  const inner = indent + "    ";
  const list = isPhpList(value);
  const parts = [...value].map(([key, item]) => {
    const encoded = encode(item, pretty, inner);
    if (list) return encoded;
    return `${encodeString(String(key))}${pretty ? ": " : ":"}${encoded}`;
  });
  const [open, close] = list ? ["[", "]"] : ["{", "}"];
  if (!pretty) return `${open}${parts.join(",")}${close}`;
  return `${open}\n${inner}${parts.join(`,\n${inner}`)}\n${indent}${close}`;
}

function phpFloat(value: number): string {
  // PHP ≥ 7.1 uses serialize_precision -1: the shortest round-trip form, like JavaScript.
  return String(value);
}

const shortEscapes: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "/": "\\/",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

function encodeString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const code = text.charCodeAt(i);
    const short = shortEscapes[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}
