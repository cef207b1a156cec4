import type { Logger } from "pino";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { PhotoferryService } from "./service-contract.js";

/** What serve needs of `src/notify/notifier.ts`'s `Notifier` (the agreed shape). */
export interface NotifierLike {
  start(service: Pick<PhotoferryService, "subscribe">): void;
  stop(): Promise<void>;
  test(): Promise<{ ok: boolean; detail: string }>;
}

interface NotifierModule {
  Notifier: new (deps: { config: () => PhotoferryConfig; logger: Logger }) => NotifierLike;
}

// A variable, so TypeScript does not resolve it at build time: the notifier is written in
// parallel with the service and may not be in this build.
const notifierModule = "../notify/notifier.js";

/**
 * The notifier when this build has one; otherwise a stand-in that sends nothing and says so
 * when tested. Any other failure to load it is a real error and is thrown.
 */
export async function loadNotifier(deps: {
  config: () => PhotoferryConfig;
  logger: Logger;
}): Promise<NotifierLike> {
  let module: NotifierModule;
  try {
    module = (await import(notifierModule)) as NotifierModule;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "ERR_MODULE_NOT_FOUND" || !String(error).includes("notifier")) throw error;
    deps.logger.warn("this build has no notifications; nothing will be sent");
    return {
      start: () => undefined,
      stop: () => Promise.resolve(),
      test: () =>
        Promise.resolve({ ok: false, detail: "this photoferry build has no notifications" }),
    };
  }
  return new module.Notifier(deps);
}
