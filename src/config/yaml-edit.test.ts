import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exampleConfigText } from "../test-support/example-config.js";
import { applyYamlEdits } from "./yaml-edit.js";

const example = exampleConfigText();

/** Lines of `before` that are missing from `after`, and lines `after` added. */
function lineDiff(before: string, after: string) {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  return { removed: a.slice(start, endA + 1), added: b.slice(start, endB + 1) };
}

function leaves(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
  }
  return [[path, value]];
}

function changed(value: unknown): unknown {
  if (typeof value === "number") return value + 1;
  if (typeof value === "boolean") return !value;
  if (typeof value === "string") return `${value}-x`;
  if (value === null) return "set";
  return [...(value as unknown[]), "extra"];
}

describe("applyYamlEdits", () => {
  it("changes only the value, keeping quotes, alignment and the comment", () => {
    const { text, layoutKept } = applyYamlEdits(example, [
      { path: ["schedule", "cron"], value: "*/5 * * * *" },
    ]);
    expect(layoutKept).toBe(true);
    expect(text).toBe(
      example.replace(
        'cron: "*/15 * * * *"        # periodic',
        'cron: "*/5 * * * *"        # periodic',
      ),
    );
  });

  it("keeps every other byte of the example for every key it holds", () => {
    for (const [path, value] of leaves(parse(example))) {
      const next = changed(value);
      const { text, layoutKept } = applyYamlEdits(example, [{ path, value: next }]);
      expect(layoutKept, path.join(".")).toBe(true);
      const { removed, added } = lineDiff(example, text);
      expect(removed.length, path.join(".")).toBe(1);
      expect(added.length, path.join(".")).toBe(1);
      let expected = parse(example) as Record<string, unknown>;
      expected = JSON.parse(JSON.stringify(expected)) as Record<string, unknown>;
      let cursor = expected;
      for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
      cursor[path[path.length - 1] as string] = next;
      expect(parse(text), path.join(".")).toEqual(expected);
    }
  });

  it("adds a key that is only a comment in the example, after the section's last key", () => {
    const { text, layoutKept } = applyYamlEdits(example, [
      { path: ["nextcloud", "occ", "user"], value: "82" },
    ]);
    expect(layoutKept).toBe(true);
    const { removed, added } = lineDiff(example, text);
    expect(removed).toEqual([]);
    expect(added).toEqual(['    user: "82"']);
    expect(text.indexOf('    user: "82"')).toBeGreaterThan(text.indexOf("container: nextcloud"));
  });

  it("adds a whole new section at the end", () => {
    const { text } = applyYamlEdits(example, [{ path: ["log", "level"], value: "debug" }]);
    expect(text.startsWith(example.trimEnd())).toBe(true);
    expect((parse(text) as { log: unknown }).log).toEqual({ level: "debug" });
  });

  it("replaces a list with a list and a null with a value", () => {
    const { text } = applyYamlEdits(example, [
      { path: ["nextcloud", "users", "include"], value: ["alice", "bob smith"] },
      { path: ["web", "auth", "passwordHash"], value: "$scrypt$ln=17,r=8,p=1$abc$def" },
    ]);
    expect(text).toContain("    include: [alice, bob smith]            # glob patterns");
    expect(text).toContain("passwordHash: $scrypt$ln=17,r=8,p=1$abc$def        # from");
    const before = example.split("\n");
    const after = text.split("\n");
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, i) => line !== before[i])).toHaveLength(2);
  });
});

describe("applyYamlEdits on small files", () => {
  it("deletes a key with its line only", () => {
    const text = "web:\n  # the port\n  port: 80   # note\n  host: x\n";
    expect(applyYamlEdits(text, [{ path: ["web", "port"], delete: true }]).text).toBe(
      "web:\n  # the port\n  host: x\n",
    );
  });

  it("writes into an empty file", () => {
    const { text } = applyYamlEdits("", [{ path: ["web", "port"], value: 81 }]);
    expect(parse(text)).toEqual({ web: { port: 81 } });
  });

  it("fills a key that has no value", () => {
    const text = "ssh:\n  host:\n  port: 22\n";
    const result = applyYamlEdits(text, [{ path: ["ssh", "host"], value: "nas" }]);
    expect(result.text).toBe("ssh:\n  host: nas\n  port: 22\n");
  });

  it("turns a scalar into a section when needed", () => {
    const text = "# top\nnotify: null # none yet\nweb:\n  port: 1\n";
    const { text: out } = applyYamlEdits(text, [{ path: ["notify", "ntfy", "topic"], value: "t" }]);
    expect(parse(out)).toEqual({ notify: { ntfy: { topic: "t" } }, web: { port: 1 } });
    expect(out).toContain("# top\n");
  });

  it("adds into a flow map by rewriting just that map", () => {
    const text = "web: {port: 1}  # inline\n";
    const { text: out } = applyYamlEdits(text, [{ path: ["web", "host"], value: "h" }]);
    expect(parse(out)).toEqual({ web: { port: 1, host: "h" } });
  });

  it("refuses to edit a file that is not valid YAML", () => {
    expect(() => applyYamlEdits("a: [1\n", [{ path: ["a"], value: 1 }])).toThrow(/not valid YAML/);
  });
});
