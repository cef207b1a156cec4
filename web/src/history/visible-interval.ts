import { useEffect } from "preact/hooks";

/**
 * Calls `tick` every `ms` while the tab is visible (and once on coming back), so a page
 * left open in a background tab does not poll the server for nobody. `enabled` false stops it.
 */
export function useVisibleInterval(tick: () => void, ms: number, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setInterval> | null = null;
    const start = (): void => {
      if (timer === null) timer = setInterval(tick, ms);
    };
    const stop = (): void => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    };
    const onVisibility = (): void => {
      if (document.visibilityState === "visible") {
        tick();
        start();
      } else stop();
    };
    if (document.visibilityState === "visible") start();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [tick, ms, enabled]);
}
