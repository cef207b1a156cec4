import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { imageExists } from "../../test-support/docker/base-image.js";
import { buildImage, ensureNodeBaseImage } from "../../test-support/docker/build-image.js";
import type { TestDockerEngine } from "../../test-support/docker/docker-engine.js";

const PROGRAM = fileURLToPath(new URL("./socket-proxy-standin.mjs", import.meta.url));

/** The socket-proxy stand-in (see socket-proxy-standin.mjs) as an image on the Node base. */
export async function ensureSocketProxyStandIn(engine: TestDockerEngine): Promise<string> {
  const tag = "photoferry-test/socket-proxy:standin";
  if (await imageExists(engine, tag)) return tag;
  const base = await ensureNodeBaseImage(engine);
  const context = mkdtempSync(join(tmpdir(), "pf-proxy-image-"));
  try {
    copyFileSync(PROGRAM, join(context, "proxy.mjs"));
    const dockerfile = [
      `FROM ${base}`,
      "COPY proxy.mjs /proxy.mjs",
      'CMD ["/usr/local/bin/node", "/proxy.mjs"]',
      "",
    ].join("\n");
    buildImage(engine, { tag, dockerfile, contextDir: context });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return tag;
}
