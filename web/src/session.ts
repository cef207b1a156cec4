import { fetchSession, onUnauthorized, setCsrfToken } from "./api/client.js";
import type { SessionInfo } from "./api/types.js";
import { Store } from "./live/store.js";

/** null until the first answer; then who we are to the server. */
export const session = new Store<SessionInfo | null>(null);
export const sessionError = new Store<string | null>(null);

export async function loadSession(): Promise<void> {
  try {
    session.set(await fetchSession());
    sessionError.set(null);
  } catch (error) {
    sessionError.set(error instanceof Error ? error.message : String(error));
  }
}

export function signedIn(info: SessionInfo): void {
  setCsrfToken(info.csrfToken);
  session.set(info);
}

onUnauthorized(() => {
  const current = session.get();
  if (current?.authenticated) session.set({ ...current, authenticated: false, csrfToken: null });
});
