import { describe, expect, it } from "vitest";
import type { CheckResult } from "./connection-view.js";
import { describeRunner, summarize, worstStatus } from "./connection-view.js";

const result = (status: CheckResult["status"]): CheckResult => ({
  area: "nextcloud",
  name: "occ status",
  status,
  detail: "",
});

describe("summarize and worstStatus", () => {
  it("counts each status in plain words", () => {
    const list = [result("ok"), result("ok"), result("warn"), result("fail"), result("skip")];
    expect(summarize(list)).toBe("2 OK, 1 warning, 1 failed, 1 skipped");
    expect(summarize([result("warn"), result("warn")])).toBe("2 warnings");
    expect(summarize([])).toBe("Nothing was checked.");
  });

  it("reports the worst status", () => {
    expect(worstStatus([result("ok"), result("fail"), result("warn")])).toBe("fail");
    expect(worstStatus([result("skip"), result("warn")])).toBe("warn");
    expect(worstStatus([result("skip"), result("ok")])).toBe("ok");
    expect(worstStatus([])).toBe("skip");
  });
});

describe("describeRunner", () => {
  it("names the Docker container and engine for occ, with the preset's default container", () => {
    expect(
      describeRunner({ nextcloud: { occ: { runner: "docker", preset: "aio" } } }, "nextcloud"),
    ).toEqual({
      kind: "docker",
      text: "occ through Docker container nextcloud-aio-nextcloud (unix:///var/run/docker.sock)",
    });
    expect(
      describeRunner(
        { docker: { host: "tcp://proxy:2375" }, nextcloud: { occ: { container: "cloud" } } },
        "nextcloud",
      ).text,
    ).toBe("occ through Docker container cloud (tcp://proxy:2375)");
  });

  it("says local program, SSH or off", () => {
    expect(describeRunner({ nextcloud: { occ: { runner: "local" } } }, "nextcloud").kind).toBe(
      "local",
    );
    expect(
      describeRunner(
        { ssh: { host: "nas", user: "pf" }, nextcloud: { occ: { runner: "ssh" } } },
        "nextcloud",
      ).text,
    ).toBe("occ over SSH as pf@nas");
    expect(
      describeRunner({ nextcloud: { occ: { enabled: false, runner: "docker" } } }, "nextcloud")
        .kind,
    ).toBe("off");
  });

  it("follows PhotoPrism's trigger: exec runner, REST API, or none", () => {
    expect(
      describeRunner(
        { photoprism: { trigger: "exec", exec: { runner: "docker", container: "pp" } } },
        "photoprism",
      ).text,
    ).toBe("photoprism import through Docker container pp (unix:///var/run/docker.sock)");
    expect(
      describeRunner(
        { photoprism: { trigger: "api", api: { url: "http://pp:2342" } } },
        "photoprism",
      ),
    ).toEqual({
      kind: "api",
      text: "PhotoPrism's REST API at http://pp:2342",
    });
    expect(describeRunner({ photoprism: { trigger: "none" } }, "photoprism").kind).toBe("off");
    expect(describeRunner({}, "photoprism").kind).toBe("docker");
  });
});
