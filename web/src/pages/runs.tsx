import { PageHeader } from "../components/ui.js";

// Being built in this session (issue 6); replaced by the real page before the issue closes.
export function RunsPage() {
  return <PageHeader title="History" />;
}

export function RunDetailPage(props: { params: Record<string, string> }) {
  return <PageHeader title={`Run #${props.params.id ?? ""}`} />;
}
