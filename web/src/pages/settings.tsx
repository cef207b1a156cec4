import { PageHeader } from "../components/ui.js";

// Being built in this session (issue 6); replaced by the real page before the issue closes.
export function SettingsPage() {
  return <PageHeader title="SettingsPage" />;
}
