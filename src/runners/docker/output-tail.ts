import { Writable } from "node:stream";
import { MAX_CAPTURED_OUTPUT_BYTES } from "../runner.js";

/**
 * A sink that keeps only the last `limit` bytes written to it, so a command printing
 * gigabytes cannot exhaust memory while its final lines (where errors are) survive.
 */
export class OutputTail extends Writable {
  private chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly limit = MAX_CAPTURED_OUTPUT_BYTES) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void) {
    this.append(chunk);
    done();
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept > this.limit) {
      const head = this.chunks[0];
      if (!head) break;
      const excess = this.kept - this.limit;
      if (head.length <= excess) {
        this.chunks.shift();
        this.kept -= head.length;
        this.dropped += head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.kept -= excess;
        this.dropped += excess;
      }
    }
  }

  /** Bytes discarded from the front so far. */
  get droppedBytes(): number {
    return this.dropped;
  }

  /**
   * The kept bytes as UTF-8. A character cut in half at the front by the limit becomes a
   * replacement character; that is acceptable for a log tail.
   */
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}
