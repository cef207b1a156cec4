import { useEffect, useState } from "preact/hooks";
import { Store } from "./live/store.js";

/** The app's pages by path; `/runs/12` opens run 12 (notifications link there). */
export const currentPath = new Store<string>(location.pathname + location.search);

export function navigate(to: string, replace = false): void {
  if (to === currentPath.get()) return;
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  currentPath.set(to);
  window.scrollTo(0, 0);
}

addEventListener("popstate", () => currentPath.set(location.pathname + location.search));

export function usePath(): { path: string; query: URLSearchParams } {
  const [full, setFull] = useState(currentPath.get());
  useEffect(() => currentPath.subscribe(setFull), []);
  const [path = "/", search = ""] = full.split("?");
  return { path, query: new URLSearchParams(search) };
}

/** Left clicks on same-origin links navigate inside the app; others behave as usual. */
export function interceptLinkClicks(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest("a");
  if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}
