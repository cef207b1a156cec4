import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "web/src/**/*.test.ts"],
    testTimeout: 20_000,
    // Builds the web UI into dist/web once, so browser tests never see a stale build.
    globalSetup: ["src/test-support/browser/build-web-ui.ts"],
  },
});
