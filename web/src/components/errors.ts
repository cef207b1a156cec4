import { ApiError } from "../api/client.js";
import { Store } from "../live/store.js";

export interface ShownError {
  id: number;
  title: string;
  message: string;
  /** Validation problems, one line each, when the server listed them. */
  details: string[];
}

export const shownErrors = new Store<ShownError[]>([]);
let nextId = 1;

/**
 * Shows an action's failure in the error dialog (the retro theme dresses it as a terminal
 * alert). Background loads show their errors inline instead.
 */
export function reportError(title: string, error: unknown): void {
  const { message, details } = describe(error);
  shownErrors.update((list) => [...list, { id: nextId++, title, message, details }]);
}

export function dismissError(id: number): void {
  shownErrors.update((list) => list.filter((item) => item.id !== id));
}

export function describe(error: unknown): { message: string; details: string[] } {
  if (error instanceof ApiError) {
    const details = (error.body.issues ?? []).map((problem) => {
      const where = problem.line
        ? `line ${problem.line}: `
        : problem.path
          ? `${problem.path}: `
          : "";
      return `${where}${problem.message}${problem.fix ? ` — ${problem.fix}` : ""}`;
    });
    return { message: error.message, details };
  }
  return { message: error instanceof Error ? error.message : String(error), details: [] };
}
