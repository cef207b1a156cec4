import type { RunSummary, ServiceEvent, StatusSnapshot } from "../api/types.js";
import { Store } from "./store.js";

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  at: string;
}

export interface LiveState {
  status: StatusSnapshot | null;
  /** False while the event stream is down; the UI says so instead of showing stale data as live. */
  connected: boolean;
  /** The newest log events, newest first. */
  log: LogLine[];
  /** Bumped when a run finishes, so lists of runs know to reload. */
  runsVersion: number;
  lastFinished: RunSummary | null;
}

const MAX_LOG_LINES = 200;

export const liveState = new Store<LiveState>({
  status: null,
  connected: false,
  log: [],
  runsVersion: 0,
  lastFinished: null,
});

/** Applies one server event to the live state; pure, so it is tested without a browser. */
export function applyEvent(state: LiveState, event: ServiceEvent): LiveState {
  switch (event.type) {
    case "state":
      return { ...state, status: event.status };
    case "progress":
      return state.status ? { ...state, status: { ...state.status, current: event.run } } : state;
    case "run-finished":
      return {
        ...state,
        runsVersion: state.runsVersion + 1,
        lastFinished: event.run,
        status: state.status
          ? { ...state.status, current: null, lastRun: event.run }
          : state.status,
      };
    case "log":
      return {
        ...state,
        log: [{ level: event.level, message: event.message, at: event.at }, ...state.log].slice(
          0,
          MAX_LOG_LINES,
        ),
      };
  }
}

let source: EventSource | null = null;

/**
 * Opens `/api/events`. EventSource reconnects by itself (the server asks for 5 s); the
 * first event after each (re)connect is a full `state`, so nothing is missed for long.
 */
export function connectLiveStatus(): () => void {
  source?.close();
  const events = new EventSource("/api/events");
  source = events;
  const onEvent = (message: MessageEvent<string>): void => {
    try {
      const event = JSON.parse(message.data) as ServiceEvent;
      liveState.update((state) => applyEvent({ ...state, connected: true }, event));
    } catch {
      // A malformed event is ignored; the next `state` event brings everything again.
    }
  };
  for (const type of ["state", "progress", "run-finished", "log"]) {
    events.addEventListener(type, onEvent as EventListener);
  }
  events.onopen = () => liveState.update((state) => ({ ...state, connected: true }));
  events.onerror = () => liveState.update((state) => ({ ...state, connected: false }));
  return () => {
    events.close();
    if (source === events) source = null;
  };
}
