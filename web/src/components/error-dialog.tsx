import { useEffect, useRef, useState } from "preact/hooks";
import { useStore } from "../live/store.js";
import { theme } from "../theme.js";
import { dismissError, shownErrors, type ShownError } from "./errors.js";

/**
 * The modal for failed actions. A real <dialog> (focus trap, Escape closes, announced by
 * screen readers). In the retro theme it becomes a 1990s science-fiction terminal alert.
 */
export function ErrorDialog() {
  const errors = useStore(shownErrors);
  const current = errors[0];
  const retro = useStore(theme) === "retro";
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (current && !element.open) element.showModal();
    if (!current && element.open) element.close();
  }, [current]);

  const close = (): void => {
    if (current) dismissError(current.id);
  };

  return (
    <dialog
      ref={dialog}
      class={retro ? "error-dialog terminal" : "error-dialog"}
      aria-labelledby="error-title"
      aria-describedby="error-message"
      onCancel={(event) => {
        event.preventDefault();
        close();
      }}
    >
      {current &&
        (retro ? (
          <TerminalAlert
            key={current.id}
            error={current}
            more={errors.length - 1}
            onClose={close}
          />
        ) : (
          <div class="error-body">
            <h2 id="error-title">{current.title}</h2>
            <p id="error-message">{current.message}</p>
            <Details lines={current.details} />
            {errors.length > 1 && <p class="muted">{errors.length - 1} more after this one.</p>}
            <div class="dialog-actions">
              <button type="button" class="primary" onClick={close} autoFocus>
                OK
              </button>
            </div>
          </div>
        ))}
    </dialog>
  );
}

function Details(props: { lines: string[] }) {
  if (props.lines.length === 0) return null;
  return (
    <ul class="error-details">
      {props.lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

const TYPE_MS = 16;
/** Long messages type faster: the whole text is there within about 1.5 seconds. */
const TYPE_TICKS = 90;

/** The message appears a character at a time, unless the person asked for less motion. */
function useTypedText(text: string): string {
  const still =
    typeof window.matchMedia === "function" &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const [shown, setShown] = useState(still ? text.length : 0);
  useEffect(() => {
    if (still) return;
    const step = Math.max(2, Math.ceil(text.length / TYPE_TICKS));
    const timer = window.setInterval(() => {
      setShown((count) => {
        if (count >= text.length) window.clearInterval(timer);
        return Math.min(text.length, count + step);
      });
    }, TYPE_MS);
    return () => window.clearInterval(timer);
  }, [text, still]);
  return text.slice(0, shown);
}

function TerminalAlert(props: { error: ShownError; more: number; onClose: () => void }) {
  const { error } = props;
  const typed = useTypedText(error.message);
  const done = typed.length === error.message.length;
  const [stamp] = useState(() => new Date().toISOString().slice(11, 19));
  return (
    <div class="error-body">
      <p class="terminal-alarm" aria-hidden="true">
        ▲ PRIORITY ALERT ▲
      </p>
      <pre class="terminal-banner" aria-hidden="true">
        {`*** PHOTOFERRY MAINFRAME ***\n> CHANNEL 7 · ${stamp} UTC\n> SUBSYSTEM FAULT DETECTED`}
      </pre>
      <h2 id="error-title">
        <span class="visually-hidden">Error: </span>
        <span aria-hidden="true">ERROR: </span>
        {error.title.toUpperCase()}
      </h2>
      {/* Screen readers get the whole message at once; the eye gets the teleprinter. */}
      <p id="error-message" class="visually-hidden">
        {error.message}
      </p>
      <p class={done ? "typewriter done" : "typewriter"} aria-hidden="true">
        {"> "}
        {typed}
      </p>
      {done && <Details lines={error.details} />}
      {props.more > 0 && <p class="muted">{props.more} MORE ALERTS IN QUEUE.</p>}
      <div class="dialog-actions">
        <button type="button" class="primary" onClick={props.onClose} autoFocus>
          ACKNOWLEDGE_
        </button>
      </div>
    </div>
  );
}
