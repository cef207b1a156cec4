import type { RunSummary } from "../api/types.js";
import { Badge } from "./ui.js";

const words: Record<
  NonNullable<RunSummary["outcome"]>,
  [string, "ok" | "bad" | "muted" | "warn"]
> = {
  ok: ["ok", "ok"],
  failed: ["failed", "bad"],
  "nothing-to-do": ["nothing to do", "muted"],
  interrupted: ["interrupted", "warn"],
};

export function RunOutcomeBadge(props: { outcome: RunSummary["outcome"] }) {
  if (!props.outcome) return <Badge tone="info">running</Badge>;
  const [label, tone] = words[props.outcome];
  return <Badge tone={tone}>{label}</Badge>;
}
