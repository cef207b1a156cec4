import type { RunCommand } from "../api/types.js";
import { formatDateTime, formatDuration } from "../components/format.js";
import { Badge } from "../components/ui.js";
import { commandLine, outputSummary } from "./command-line.js";

const appNames: Record<RunCommand["app"], string> = {
  nextcloud: "Nextcloud",
  photoprism: "PhotoPrism",
};

/** Every command a run ran, in order, each with its output tail behind an expander. */
export function CommandList(props: { commands: RunCommand[] }) {
  return (
    <ol class="commands">
      {props.commands.map((command, index) => (
        <CommandItem key={`${command.startedAt}-${index}`} command={command} />
      ))}
    </ol>
  );
}

function CommandItem(props: { command: RunCommand }) {
  const { command } = props;
  const output = outputSummary(command.outputTail);
  return (
    <li class={command.ok ? "command" : "command command-failed"}>
      <div class="command-head">
        <Badge tone="info">{appNames[command.app]}</Badge>
        <span class="command-step">{command.step}</span>
        <Badge tone={command.ok ? "ok" : "bad"}>{command.ok ? "ok" : "failed"}</Badge>
        <span class="muted small">
          exit code {command.exitCode ?? "none"} · {formatDuration(command.durationMs)} ·{" "}
          <time dateTime={command.startedAt}>{formatDateTime(command.startedAt)}</time>
        </span>
      </div>
      <code class="command-line">{commandLine(command.argv)}</code>
      {command.error && <p class="inline-error">{command.error}</p>}
      {output.empty ? (
        <p class="muted small">No output.</p>
      ) : (
        <details class="command-output">
          <summary>
            Output ({output.lines} {output.lines === 1 ? "line" : "lines"}
            {output.truncated ? ", its end" : ""})
          </summary>
          <pre class="output">{command.outputTail}</pre>
        </details>
      )}
    </li>
  );
}
