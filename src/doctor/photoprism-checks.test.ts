import { describe, expect, it } from "vitest";
import { errorForStatus } from "../photoprism/photoprism-api-error.js";
import type { CommandResult } from "../runners/runner.js";
import { judgeApiAuth, judgeApiStatus, judgeExecVersion } from "./photoprism-checks.js";

const result = (over: Partial<CommandResult>): CommandResult => ({
  exitCode: 0,
  stdout: "",
  stderr: "",
  durationMs: 5,
  timedOut: false,
  ...over,
});

describe("PhotoPrism API checks", () => {
  it("passes an answering API", () => {
    expect(
      judgeApiStatus("http://pp:2342", { answered: true, value: { status: "operational" } }),
    ).toMatchObject({ status: "ok", detail: "http://pp:2342 answers (operational)" });
  });

  it("gives a refused password the error's own hint", () => {
    const refused = judgeApiAuth({
      answered: false,
      error: errorForStatus(401, "file look-up", null),
    });
    expect(refused).toMatchObject({
      status: "fail",
      detail: "PhotoPrism refused the file look-up with HTTP 401",
    });
    expect(refused.fix).toContain("app password is wrong");
    const forbidden = judgeApiAuth({
      answered: false,
      error: errorForStatus(403, "file look-up", null),
    });
    expect(forbidden.fix).toContain("admin user");
  });

  it("passes a look-up that found nothing (the password was accepted)", () => {
    expect(judgeApiAuth({ answered: true, value: null }).status).toBe("ok");
  });

  it("reports other errors with a fix of its own", () => {
    const odd = judgeApiStatus("http://pp", { answered: false, error: new Error("boom") });
    expect(odd).toMatchObject({ status: "fail", detail: "boom", fix: "check photoprism.api.url" });
  });
});

describe("judgeExecVersion", () => {
  it("passes and shows the version line", () => {
    expect(judgeExecVersion(result({ stdout: "photoprism version 240915\n" }))).toMatchObject({
      status: "ok",
      detail: "photoprism version 240915",
    });
  });

  it("fails with the last line of output", () => {
    const failed = judgeExecVersion(
      result({ exitCode: 127, stderr: 'exec: "photoprism": executable file not found in $PATH' }),
    );
    expect(failed.status).toBe("fail");
    expect(failed.detail).toBe(
      '`photoprism --version` exited with code 127: exec: "photoprism": executable file not found in $PATH',
    );
    expect(failed.fix).toContain("photoprism.exec.command");
  });

  it("says when it did not finish", () => {
    expect(judgeExecVersion(result({ exitCode: null, timedOut: true })).detail).toBe(
      "`photoprism --version` did not finish in time",
    );
    expect(judgeExecVersion(result({ exitCode: null })).detail).toBe(
      "`photoprism --version` was stopped",
    );
  });
});
