import { writeFileSync } from "node:fs";
import { renderConfigReference } from "./reference.js";

// `npm run docs:config` regenerates docs/configuration.md from the schema.
const target = new URL("../../docs/configuration.md", import.meta.url);
writeFileSync(target, renderConfigReference());
process.stdout.write(`wrote ${target.pathname}\n`);
