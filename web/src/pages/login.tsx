import { useState } from "preact/hooks";
import { api, ApiError } from "../api/client.js";
import type { SessionInfo } from "../api/types.js";
import { describe } from "../components/errors.js";
import { signedIn } from "../session.js";

/** Shown instead of the app while a password is set and this browser has no session. */
export function LoginPage() {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const info = await api.post<SessionInfo>("/api/login", { password });
      setPassword("");
      signedIn(info);
    } catch (failure) {
      setError(loginProblem(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="center-page">
      <form class="card narrow login" onSubmit={(event) => void submit(event)}>
        <h1 class="brand">
          <img src="/favicon.svg" alt="" width="32" height="32" />
          photoferry
        </h1>
        <p class="muted">Sign in to manage photo transfers.</p>
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          value={password}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "login-error" : undefined}
          onInput={(event) => setPassword((event.target as HTMLInputElement).value)}
        />
        {error && (
          <p id="login-error" class="inline-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || password === ""}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <details class="small muted">
          <summary>Forgot the password?</summary>
          <p>
            Make a new hash on the photoferry host with <code>photoferry hash-password</code> and
            put it in <code>web.auth.passwordHash</code>; every browser then signs in again.
          </p>
        </details>
      </form>
    </main>
  );
}

function loginProblem(failure: unknown): string {
  if (failure instanceof ApiError) {
    if (failure.status === 401) return "That password is not right. Try again.";
    if (failure.status === 429) {
      return `Too many wrong passwords: ${failure.message}.`;
    }
  }
  return describe(failure).message;
}
