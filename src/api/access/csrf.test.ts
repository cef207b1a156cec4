import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  crossOriginProblem,
  csrfToken,
  csrfTokenMatches,
  looksLikeBrowser,
  rebindingProblem,
} from "./csrf.js";

const key = randomBytes(32);

describe("CSRF tokens", () => {
  it("match only the subject and key they were made for", () => {
    const token = csrfToken(key, "session:abc");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenMatches(key, "session:abc", token)).toBe(true);
    expect(csrfTokenMatches(key, "session:abd", token)).toBe(false);
    expect(csrfTokenMatches(randomBytes(32), "session:abc", token)).toBe(false);
  });

  it("refuse a missing, repeated, truncated or padded header", () => {
    const token = csrfToken(key, "open");
    expect(csrfTokenMatches(key, "open", undefined)).toBe(false);
    expect(csrfTokenMatches(key, "open", [token, token])).toBe(false);
    expect(csrfTokenMatches(key, "open", token.slice(1))).toBe(false);
    expect(csrfTokenMatches(key, "open", `${token} `)).toBe(false);
    expect(csrfTokenMatches(key, "open", "")).toBe(false);
  });
});

describe("looksLikeBrowser", () => {
  it("is true when any of Origin, Referer or Cookie is there", () => {
    expect(looksLikeBrowser({})).toBe(false);
    expect(looksLikeBrowser({ origin: "null" })).toBe(true);
    expect(looksLikeBrowser({ referer: "http://x/" })).toBe(true);
    expect(looksLikeBrowser({ cookie: "a=b" })).toBe(true);
  });
});

describe("crossOriginProblem", () => {
  const hosts = ["photoferry.lan:8080", "Photos.Example.org"];

  it("accepts the UI's own origin, by Origin or else by Referer", () => {
    expect(crossOriginProblem({ origin: "http://photoferry.lan:8080" }, hosts)).toBeNull();
    expect(crossOriginProblem({ origin: "https://photos.example.org" }, hosts)).toBeNull();
    expect(crossOriginProblem({ referer: "http://photoferry.lan:8080/runs/3" }, hosts)).toBeNull();
    expect(crossOriginProblem({}, hosts)).toBeNull();
  });

  it("refuses another site, a null origin, a different port and non-web schemes", () => {
    for (const origin of [
      "https://evil.example",
      "null",
      "http://photoferry.lan:8081",
      "http://photoferry.lan",
      "file:///etc",
      "http://photoferry.lan:8080.evil.example",
    ]) {
      expect(crossOriginProblem({ origin }, hosts), origin).toMatch(/another site \(Origin:/);
    }
    expect(crossOriginProblem({ referer: "https://evil.example/x" }, hosts)).toMatch(/Referer/);
  });

  it("lets Origin win over a matching Referer", () => {
    expect(
      crossOriginProblem(
        { origin: "https://evil.example", referer: "http://photoferry.lan:8080/" },
        hosts,
      ),
    ).not.toBeNull();
  });
});

describe("rebindingProblem", () => {
  it("accepts IP literals, localhost and the host of notify.uiUrl", () => {
    for (const host of [
      "127.0.0.1:8080",
      "192.168.1.5",
      "[::1]:8080",
      "[fd00::5]",
      "LOCALHOST:1",
    ]) {
      expect(rebindingProblem(host, null), host).toBeNull();
    }
    expect(rebindingProblem("photos.example.org", "photos.example.org")).toBeNull();
    expect(rebindingProblem("Photos.Example.org:8080", "photos.example.org")).toBeNull();
  });

  it("refuses other names, missing and malformed hosts, and says to set notify.uiUrl", () => {
    for (const host of [
      undefined,
      "",
      "evil.example",
      "localhost.evil.example",
      "a b",
      "127.0.0.1.nip.io",
    ]) {
      expect(rebindingProblem(host, "photos.example.org"), String(host)).toMatch(/notify\.uiUrl/);
    }
  });

  it("counts Sec-Fetch-Site as a browser", () => {
    expect(looksLikeBrowser({ secFetchSite: "same-origin" })).toBe(true);
  });
});
