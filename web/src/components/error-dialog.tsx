import { useEffect, useRef } from "preact/hooks";
import { useStore } from "../live/store.js";
import { theme } from "../theme.js";
import { dismissError, shownErrors } from "./errors.js";

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
      {current && (
        <div class="error-body">
          {retro && (
            <pre class="terminal-banner" aria-hidden="true">
              {"*** PHOTOFERRY MAINFRAME ***\n> PRIORITY ALERT ON CHANNEL 7\n"}
            </pre>
          )}
          <h2 id="error-title">
            {retro ? `ERROR: ${current.title.toUpperCase()}` : current.title}
          </h2>
          <p id="error-message" class={retro ? "typewriter" : undefined}>
            {current.message}
          </p>
          {current.details.length > 0 && (
            <ul class="error-details">
              {current.details.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          {errors.length > 1 && <p class="muted">{errors.length - 1} more after this one.</p>}
          <div class="dialog-actions">
            <button type="button" class="primary" onClick={close} autoFocus>
              {retro ? "ACKNOWLEDGE_" : "OK"}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
