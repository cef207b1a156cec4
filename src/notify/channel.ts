import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { SendOutcome, PostOptions } from "./http-post.js";
import type { NotifyLevel } from "./levels.js";
import type { Notification } from "./notification.js";

export type ChannelName = "ntfy" | "webhook";

export type ChannelTarget =
  | {
      configured: true;
      /** Where it goes, safe to show: never a secret or a full URL. */ where: string;
    }
  | { configured: false; why: string };

/** One way out (ntfy, webhook): what it needs from the config and how it sends. */
export interface Channel {
  name: ChannelName;
  target(config: PhotoferryConfig): ChannelTarget;
  threshold(config: PhotoferryConfig): NotifyLevel;
  send(
    notification: Notification,
    config: PhotoferryConfig,
    options: PostOptions,
  ): Promise<SendOutcome>;
  /** What to check when the server refuses with this status. */
  refusalHint(status: number): string;
}
