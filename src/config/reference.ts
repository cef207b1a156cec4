import { isDeepStrictEqual } from "node:util";
import { configJsonSchema, type JsonSchemaNode } from "./json-schema.js";
import { secretDefinitions } from "./secrets.js";

/** docs/configuration.md, generated from the schema so the two never drift apart. */
export function renderConfigReference(): string {
  const root = configJsonSchema();
  const lines: string[] = [
    "# Configuration reference",
    "",
    "<!-- Generated from src/config/schema by `npm run docs:config`; a test fails when it is stale. -->",
    "",
    "photoferry reads one YAML file: `--config <file>`, else `$PHOTOFERRY_CONFIG`, else",
    "`/config/photoferry.yaml` (the Docker image's default). Every key is optional; the defaults",
    "below apply. Check a file with `photoferry check-config --config <file>`: it lists every",
    "problem with its line and a fix. A running service picks up hand edits live; an invalid edit",
    "keeps the last good configuration and logs what is wrong.",
    "",
    "Keys marked **restart** take effect after a restart. Keys marked **secret** are never shown",
    "by the API, the UI or the logs.",
    "",
  ];
  for (const [section, node] of Object.entries(root.properties ?? {})) {
    lines.push(`## \`${section}\``, "", node.description ?? "", "");
    lines.push("| Key | Type | Default | Description |", "| --- | --- | --- | --- |");
    for (const [path, leaf] of leaves(node, [section])) {
      lines.push(
        `| \`${path.join(".")}\` | ${typeOf(leaf)} | ${defaultOf(leaf)} | ${describeLeaf(leaf)} |`,
      );
    }
    lines.push("");
  }
  lines.push(
    "## Secrets",
    "",
    "Each secret is taken from the first of these that is set: the environment variable, the",
    "file named by the `_FILE` variable, the key in the config file, the file named by the",
    "config's `…File` key, and finally a Docker secret with the name below (under `/run/secrets`,",
    "or `$PHOTOFERRY_SECRETS_DIR`). Trailing newlines in secret files are ignored.",
    "",
    "| Secret | Key | File key | Variable | Docker secret |",
    "| --- | --- | --- | --- | --- |",
    ...secretDefinitions.map(
      (d) =>
        `| ${d.name} | \`${d.path.join(".")}\` | \`${d.fileKey.join(".")}\` | \`${d.env}\`, \`${d.env}_FILE\` | \`${d.dockerSecret}\` |`,
    ),
    "",
    "## Other environment variables",
    "",
    "| Variable | Meaning |",
    "| --- | --- |",
    "| `PHOTOFERRY_CONFIG` | The config file, when `--config` is not given. |",
    "| `PHOTOFERRY_LOG_LEVEL` | Overrides `log.level`. |",
    "| `PHOTOFERRY_SECRETS_DIR` | Where Docker secrets are looked for (default `/run/secrets`). |",
    "",
  );
  return lines.join("\n");
}

function leaves(node: JsonSchemaNode, path: string[]): [string[], JsonSchemaNode][] {
  const properties = node.properties;
  if (!properties) return [[path, node]];
  return Object.entries(properties).flatMap(([key, child]) => leaves(child, [...path, key]));
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((value) => `\`${String(value)}\``).join(" \\| ");
  if (node.anyOf) return node.anyOf.map(typeOf).join(" or ");
  if (node.type === "array") return `list of ${node.items ? typeOf(node.items) : "values"}`;
  if (node.type === "null") return "null";
  return typeof node.type === "string" ? node.type : "value";
}

function defaultOf(node: JsonSchemaNode): string {
  return node.default === undefined ? "—" : `\`${JSON.stringify(node.default)}\``;
}

function describeLeaf(node: JsonSchemaNode): string {
  const description =
    node.description ?? node.anyOf?.find((branch) => branch.description)?.description ?? "";
  const marks = [node.requiresRestart ? "**restart**" : "", node.secret ? "**secret**" : ""].filter(
    Boolean,
  );
  const example =
    node.example === undefined || node.secret || isDeepStrictEqual(node.example, node.default)
      ? ""
      : ` Example: \`${JSON.stringify(node.example)}\`.`;
  return `${description}${example}${marks.length ? ` ${marks.join(" ")}` : ""}`.replaceAll(
    "|",
    "\\|",
  );
}
