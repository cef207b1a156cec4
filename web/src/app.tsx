import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "./api/client.js";
import { ErrorDialog } from "./components/error-dialog.js";
import { reportError } from "./components/errors.js";
import { StateBadge } from "./components/ui.js";
import { connectLiveStatus, liveState } from "./live/live-status.js";
import { useStore } from "./live/store.js";
import { activeNav, navItems } from "./nav.js";
import { LoginPage } from "./pages/login.js";
import { matchRoute } from "./routes.js";
import { interceptLinkClicks, usePath } from "./router.js";
import { loadSession, session, sessionError } from "./session.js";
import { theme, themeLabels, themes, type Theme } from "./theme.js";

export function App() {
  const info = useStore(session);
  const failure = useStore(sessionError);

  useEffect(() => {
    void loadSession();
  }, []);

  if (!info) {
    return (
      <main class="center-page" aria-busy={!failure}>
        {failure ? (
          <div class="card narrow" role="alert">
            <h1>photoferry does not answer</h1>
            <p>{failure}</p>
            <button type="button" class="primary" onClick={() => void loadSession()}>
              Try again
            </button>
          </div>
        ) : (
          <p class="muted">Loading…</p>
        )}
      </main>
    );
  }
  if (!info.authenticated) return <LoginPage />;
  return <Shell />;
}

function Shell() {
  const { path } = usePath();
  const live = useStore(liveState);
  const info = useStore(session);
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const route = matchRoute(path);
  const Page = route.component;

  useEffect(() => connectLiveStatus(), []);
  useEffect(() => {
    document.title = `${route.title} · photoferry`;
    setMenuOpen(false);
    main.current?.focus({ preventScroll: true });
  }, [path, route.title]);

  const logout = async (): Promise<void> => {
    try {
      await api.post("/api/logout");
      await loadSession();
    } catch (error) {
      reportError("Could not sign out", error);
    }
  };

  return (
    <div class="shell" onClick={interceptLinkClicks}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          type="button"
          class="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span aria-hidden="true">☰</span>
          <span class="visually-hidden">Menu</span>
        </button>
        <a class="brand" href="/">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          photoferry
        </a>
        <div class="topbar-right">
          {live.status && <StateBadge state={live.status.state} />}
          {!live.connected && (
            <span class="badge tone-warn" title="Live updates are reconnecting">
              offline
            </span>
          )}
          <ThemePicker />
          {info?.method === "session" && (
            <button type="button" class="ghost" onClick={() => void logout()}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <nav id="sidebar" class={menuOpen ? "sidebar open" : "sidebar"} aria-label="Main">
        <ul>
          {navItems.map((item) => (
            <li key={item.path}>
              <a href={item.path} aria-current={activeNav(path) === item.path ? "page" : undefined}>
                <span class="nav-icon" aria-hidden="true">
                  {item.icon}
                </span>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
        {live.status && <p class="version muted">v{live.status.version}</p>}
      </nav>
      <main id="main" ref={main} tabIndex={-1} class="content">
        <Page params={route.params} />
      </main>
      <ErrorDialog />
    </div>
  );
}

function ThemePicker() {
  const current = useStore(theme);
  return (
    <label class="theme-picker">
      <span class="visually-hidden">Theme</span>
      <select
        value={current}
        onChange={(event) => theme.set((event.target as HTMLSelectElement).value as Theme)}
      >
        {themes.map((value) => (
          <option key={value} value={value}>
            {themeLabels[value]}
          </option>
        ))}
      </select>
    </label>
  );
}
