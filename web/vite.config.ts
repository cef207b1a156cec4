import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The web UI: Preact + TSX, compiled by Vite's own transformer (no Babel), emitted into
 * `dist/web` next to the server's `dist/`, which serves it. Everything is bundled: the page
 * loads nothing from the internet, and the strict CSP (`default-src 'self'`) holds because
 * no script or style is inline.
 */
export default defineConfig({
  root: here("."),
  base: "/",
  publicDir: here("public"),
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: here("../dist/web"),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    target: "es2022",
  },
  server: { proxy: { "/api": "http://127.0.0.1:8080", "/healthz": "http://127.0.0.1:8080" } },
});
