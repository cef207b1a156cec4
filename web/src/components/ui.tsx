import type { ComponentChildren } from "preact";
import type { ServiceState, StepProgress } from "../api/types.js";
import { formatBytes, percent } from "./format.js";

export function PageHeader(props: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1>{props.title}</h1>
      {props.children && <div class="page-actions">{props.children}</div>}
    </header>
  );
}

export function Card(props: { title?: string; class?: string; children: ComponentChildren }) {
  return (
    <section class={`card ${props.class ?? ""}`} aria-label={props.title}>
      {props.title && <h2 class="card-title">{props.title}</h2>}
      {props.children}
    </section>
  );
}

const stateWords: Record<ServiceState, string> = {
  starting: "Starting",
  idle: "Idle",
  running: "Running",
  paused: "Paused",
  stopping: "Stopping",
  error: "Error",
};

export function StateBadge(props: { state: ServiceState }) {
  return (
    <span class={`badge state-${props.state}`} role="status">
      <span class="dot" aria-hidden="true" />
      {stateWords[props.state]}
    </span>
  );
}

export function Badge(props: {
  tone?: "ok" | "warn" | "bad" | "info" | "muted";
  children: ComponentChildren;
}) {
  return <span class={`badge tone-${props.tone ?? "muted"}`}>{props.children}</span>;
}

export function ProgressBar(props: { label: string; value: number; detail?: string }) {
  return (
    <div class="progress">
      <div class="progress-label">
        <span>{props.label}</span>
        <span class="muted">{props.detail ?? `${props.value}%`}</span>
      </div>
      <div
        class="progress-track"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={props.value}
      >
        <div class="progress-fill" style={{ width: `${props.value}%` }} />
      </div>
    </div>
  );
}

export const stepLabels: Record<StepProgress["name"], string> = {
  detect: "Detect",
  hash: "Hash",
  transfer: "Transfer",
  import: "PhotoPrism import",
  scan: "Nextcloud scans",
  memories: "Memories",
};

export function StepProgressBar(props: { step: StepProgress }) {
  const { step } = props;
  const byFiles = step.filesTotal > 0;
  const value =
    step.state === "done" || step.state === "skipped"
      ? 100
      : byFiles
        ? percent(step.filesDone, step.filesTotal)
        : step.bytesTotal > 0
          ? percent(step.bytesDone, step.bytesTotal)
          : 0;
  const detail =
    step.state === "skipped"
      ? "skipped"
      : step.state === "failed"
        ? "failed"
        : step.state === "pending"
          ? "waiting"
          : byFiles
            ? `${step.filesDone}/${step.filesTotal} files` +
              (step.bytesTotal > 0
                ? ` · ${formatBytes(step.bytesDone)} of ${formatBytes(step.bytesTotal)}`
                : "")
            : step.state === "done"
              ? "done"
              : "working…";
  return (
    <div class={`step step-${step.state}`}>
      <ProgressBar label={stepLabels[step.name]} value={value} detail={detail} />
    </div>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

export function InlineError(props: { error: string | null }) {
  if (!props.error) return null;
  return (
    <p class="inline-error" role="alert">
      {props.error}
    </p>
  );
}

export function Loading() {
  return (
    <p class="muted" aria-live="polite">
      Loading…
    </p>
  );
}
