import type { ComponentType } from "preact";
import { ActivityPage } from "./pages/activity.js";
import { ConnectionsPage } from "./pages/connections.js";
import { DashboardPage } from "./pages/dashboard.js";
import { NotFoundPage } from "./pages/not-found.js";
import { NotificationsPage } from "./pages/notifications.js";
import { QueuePage } from "./pages/queue.js";
import { RunDetailPage, RunsPage } from "./pages/runs.js";
import { SecurityPage } from "./pages/security.js";
import { SettingsPage } from "./pages/settings.js";
import { UsersPage } from "./pages/users.js";

export interface RouteMatch {
  component: ComponentType<{ params: Record<string, string> }>;
  params: Record<string, string>;
  title: string;
}

const table: [RegExp, ComponentType<{ params: Record<string, string> }>, string][] = [
  [/^\/$/, DashboardPage, "Dashboard"],
  [/^\/queue$/, QueuePage, "Queue"],
  [/^\/runs$/, RunsPage, "History"],
  [/^\/runs\/(?<id>\d+)$/, RunDetailPage, "Run"],
  [/^\/activity$/, ActivityPage, "Activity log"],
  [/^\/users$/, UsersPage, "Users"],
  [/^\/settings$/, SettingsPage, "Settings"],
  [/^\/notifications$/, NotificationsPage, "Notifications"],
  [/^\/connections$/, ConnectionsPage, "Connections"],
  [/^\/security$/, SecurityPage, "Security"],
];

export function matchRoute(path: string): RouteMatch {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  for (const [pattern, component, title] of table) {
    const match = pattern.exec(trimmed);
    if (match) return { component, params: { ...match.groups }, title };
  }
  return { component: NotFoundPage, params: {}, title: "Not found" };
}
