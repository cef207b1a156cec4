import { readFileSync } from "node:fs";

// Read at run time so the version always matches the installed package.json.
const packageJsonUrl = new URL("../package.json", import.meta.url);

export const version: string = (
  JSON.parse(readFileSync(packageJsonUrl, "utf8")) as { version: string }
).version;
