import { afterEach, describe, expect, it } from "vitest";
import { startNtfyStandin, type NtfyStandin } from "./ntfy-standin.js";

let standin: NtfyStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", body, headers });

describe("the ntfy stand-in", () => {
  it("parses the header form: POST /<topic> with X-Title, X-Priority, X-Tags, X-Click, X-Markdown", async () => {
    standin = await startNtfyStandin();
    const response = await post(`${standin.url}/photos`, "**3** failed", {
      "X-Title": "Run #3 failed",
      "X-Priority": "urgent",
      "X-Tags": "warning, photoferry",
      "X-Click": "https://ui.example.org/runs/3",
      "X-Markdown": "yes",
    });
    expect(response.status).toBe(200);
    expect(standin.messages).toEqual([
      {
        form: "headers",
        topic: "photos",
        title: "Run #3 failed",
        message: "**3** failed",
        priority: 5,
        tags: ["warning", "photoferry"],
        click: "https://ui.example.org/runs/3",
        markdown: true,
        auth: null,
      },
    ]);
  });

  it("parses the JSON form at the root and rejects a bad topic or priority", async () => {
    standin = await startNtfyStandin();
    const ok = await post(
      `${standin.url}/`,
      JSON.stringify({ topic: "photos", message: "hi", priority: 2, tags: ["x"], markdown: true }),
    );
    expect(ok.status).toBe(200);
    expect(standin.messages[0]).toMatchObject({
      form: "json",
      topic: "photos",
      message: "hi",
      priority: 2,
      markdown: true,
    });
    const badTopic = await post(
      `${standin.url}/`,
      JSON.stringify({ topic: "no/slash", message: "x" }),
    );
    expect(badTopic.status).toBe(400);
    const badPriority = await post(
      `${standin.url}/`,
      JSON.stringify({ topic: "photos", priority: 9 }),
    );
    expect(await badPriority.json()).toMatchObject({
      code: 40000,
      error: "invalid request: priority invalid",
    });
  });

  it("asks for credentials when protected: 403 without, 401 when wrong, 200 with a token or user", async () => {
    standin = await startNtfyStandin({ tokens: ["tk_right"], users: { anna: "pw-anna" } });
    const body = JSON.stringify({ topic: "photos", message: "x" });
    expect((await post(`${standin.url}/`, body)).status).toBe(403);
    expect((await post(`${standin.url}/`, body, { Authorization: "Bearer tk_wrong" })).status).toBe(
      401,
    );
    expect((await post(`${standin.url}/`, body, { Authorization: "Basic !!!" })).status).toBe(401);
    expect((await post(`${standin.url}/`, body, { Authorization: "Bearer tk_right" })).status).toBe(
      200,
    );
    const basic = `Basic ${Buffer.from("anna:pw-anna").toString("base64")}`;
    expect((await post(`${standin.url}/photos`, "x", { Authorization: basic })).status).toBe(200);
    expect(standin.messages.map((m) => m.auth)).toEqual([
      { kind: "bearer", token: "tk_right" },
      { kind: "basic", user: "anna" },
    ]);
  });

  it("rate-limits with 429 and Retry-After, then accepts again", async () => {
    standin = await startNtfyStandin();
    standin.rateLimit(1, "7");
    const limited = await post(`${standin.url}/photos`, "x");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await post(`${standin.url}/photos`, "x")).status).toBe(200);
    expect(standin.messages).toHaveLength(1);
  });

  it("answers the health check", async () => {
    standin = await startNtfyStandin();
    expect(await (await fetch(`${standin.url}/v1/health`)).json()).toEqual({ healthy: true });
  });
});
