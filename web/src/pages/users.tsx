import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client.js";
import type { UserView } from "../api/types.js";
import { useApi } from "../api/use-api.js";
import { describe } from "../components/errors.js";
import { formatBytes } from "../components/format.js";
import { Badge, Card, Empty, InlineError, Loading, PageHeader } from "../components/ui.js";
import { configView, ConfigConflict, loadConfig, saveConfig } from "../config/use-config.js";
import { liveState } from "../live/live-status.js";
import { useStore } from "../live/store.js";
import { session } from "../session.js";
import { toggleUser, userRulesOf } from "../settings/user-rules.js";
import "../styles/settings.css";

interface Notice {
  tone: "ok" | "bad";
  text: string;
}

export function UsersPage() {
  const live = useStore(liveState);
  const [version, setVersion] = useState(0);
  const users = useApi<UserView[]>("/api/users", `${live.runsVersion}-${version}`);
  const canWrite = useStore(session)?.canWrite ?? true;
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    loadConfig().catch((error: unknown) =>
      setNotice({ tone: "bad", text: `Cannot read the config: ${describe(error).message}` }),
    );
  }, []);

  const toggle = async (user: UserView, include: boolean): Promise<void> => {
    setBusy(user.id);
    setNotice(null);
    try {
      const view = configView.get() ?? (await loadConfig());
      const result = toggleUser(userRulesOf(view.config), user.id, include, user.isNew);
      if (result.blockedBy !== undefined) {
        setNotice({
          tone: "bad",
          text: `${user.id} matches the exclude pattern '${result.blockedBy}'. Change that pattern in Settings › Nextcloud › Users to include them.`,
        });
        return;
      }
      if (result.edits.length > 0) await saveConfig(result.edits);
      // The server decides again from the saved file; a pattern may still overrule the switch.
      const now = (await api.get<UserView[]>("/api/users")).find((item) => item.id === user.id);
      setNotice(
        now && now.included !== include
          ? {
              tone: "bad",
              text: `${user.id} is still ${now.included ? "included" : "not included"}: ${now.reason ?? "the config decides otherwise"}. Change the patterns in Settings › Nextcloud › Users.`,
            }
          : {
              tone: "ok",
              text: `${user.id} ${include ? "is included from the next run on" : "is no longer synced"}. Saved to the config file.`,
            },
      );
    } catch (error) {
      const message =
        error instanceof ConfigConflict ? error.message : `Not saved: ${describe(error).message}`;
      setNotice({ tone: "bad", text: message });
      if (error instanceof ConfigConflict) await loadConfig().catch(() => undefined);
    } finally {
      setBusy(null);
      setVersion((value) => value + 1);
    }
  };

  return (
    <>
      <PageHeader title="Users" />
      <div aria-live="polite">
        {notice && (
          <p
            class={`outcome user-notice tone-${notice.tone}`}
            role={notice.tone === "bad" ? "alert" : "status"}
          >
            {notice.text}
          </p>
        )}
      </div>
      <Card title="Nextcloud users">
        <p class="muted small">
          The switch edits <code>nextcloud.users.include</code> and <code>exclude</code> in the
          config file; the file's comments stay as they are.
        </p>
        <InlineError error={users.error} />
        {!users.data && !users.error && <Loading />}
        {users.data && users.data.length === 0 && (
          <Empty>No Nextcloud users found yet: check nextcloud.dataDir in Settings.</Empty>
        )}
        {users.data && users.data.length > 0 && (
          <div class="table-scroll">
            <table class="table users-table">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Synced</th>
                  <th scope="col" class="numeric">
                    Moved
                  </th>
                  <th scope="col" class="numeric">
                    Duplicates
                  </th>
                  <th scope="col" class="numeric">
                    Failed
                  </th>
                  <th scope="col" class="numeric">
                    Data
                  </th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((user) => (
                  <tr key={user.id} class={user.isNew ? "user-new" : undefined}>
                    <th scope="row" class="user-id">
                      {user.id} {user.isNew && <Badge tone="info">new</Badge>}
                    </th>
                    <td>
                      <input
                        type="checkbox"
                        role="switch"
                        class="switch"
                        aria-label={`Sync ${user.id}`}
                        checked={user.included}
                        disabled={!canWrite || busy !== null}
                        onChange={(event) => {
                          const include = event.currentTarget.checked;
                          event.currentTarget.checked = user.included;
                          void toggle(user, include);
                        }}
                      />
                    </td>
                    <td class="numeric">{user.counts.moved.toLocaleString("en")}</td>
                    <td class="numeric">{user.counts.duplicates.toLocaleString("en")}</td>
                    <td class="numeric">{user.counts.failed.toLocaleString("en")}</td>
                    <td class="numeric">{formatBytes(user.counts.bytes)}</td>
                    <td class="muted small">{user.reason ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
