/** The sidebar, in the order an admin needs things. `match` decides the highlighted entry. */
export const navItems = [
  { path: "/", label: "Dashboard", icon: "◉" },
  { path: "/queue", label: "Queue", icon: "☰" },
  { path: "/runs", label: "History", icon: "↻" },
  { path: "/activity", label: "Activity log", icon: "≡" },
  { path: "/users", label: "Users", icon: "☺" },
  { path: "/settings", label: "Settings", icon: "⚙" },
  { path: "/notifications", label: "Notifications", icon: "✉" },
  { path: "/connections", label: "Connections", icon: "⇄" },
  { path: "/security", label: "Security", icon: "◈" },
] as const;

export function activeNav(path: string): string {
  const match = navItems
    .filter((item) =>
      item.path === "/" ? path === "/" : path === item.path || path.startsWith(`${item.path}/`),
    )
    .at(-1);
  return match?.path ?? "";
}
