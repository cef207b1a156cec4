import { describe, expect, it } from "vitest";
import type { CommandResult } from "../runners/runner.js";
import { parseUserList } from "./user-list-output.js";

function ran(stdout: string, stderr = "", exitCode: number | null = 0): CommandResult {
  return { stdout, stderr, exitCode, timedOut: false, durationMs: 5 };
}

describe("parseUserList", () => {
  it("reads user ids and display names, ids with spaces and quotes included", () => {
    const result = parseUserList(
      ran(`{"admin":"Admin","John Doe":"John","O'Brien":"Pat O'Brien"}\n`),
    );
    expect(result.ok).toBe(true);
    expect([...result.users]).toEqual([
      ["admin", "Admin"],
      ["John Doe", "John"],
      ["O'Brien", "Pat O'Brien"],
    ]);
  });

  it("reads an empty list and skips the PCNTL warning", () => {
    const result = parseUserList(
      ran(
        "The process control (PCNTL) extensions are required in case you want to interrupt long running commands\n[]\n",
      ),
    );
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.users.size).toBe(0);
  });

  it("reads the --info form", () => {
    const result = parseUserList(
      ran(
        '{"alice":{"user_id":"alice","display_name":"Alice","user_directory":"/data/alice"},"bob":{}}',
      ),
    );
    expect([...result.users]).toEqual([
      ["alice", "Alice"],
      ["bob", "bob"],
    ]);
  });

  it("reports garbage and occ failures", () => {
    expect(parseUserList(ran("  - admin: Admin\n")).problems[0]?.kind).toBe("unreadable-output");
    expect(parseUserList(ran("[1, 2]")).ok).toBe(false);
    expect(parseUserList(ran('{"a":"A"} trailing')).ok).toBe(false);
    const wrong = parseUserList(
      ran(
        "Console has to be executed with the user that owns the file config/config.php\nOwner id of config.php: 33\n",
        "",
        1,
      ),
    );
    expect(wrong.failure?.kind).toBe("wrong-user");
  });
});
