import { PageHeader } from "../components/ui.js";

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no such page. <a href="/">Back to the dashboard</a>.
      </p>
    </>
  );
}
