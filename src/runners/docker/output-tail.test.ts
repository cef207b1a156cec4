import { describe, expect, it } from "vitest";
import { OutputTail } from "./output-tail.js";

describe("OutputTail", () => {
  it("keeps everything under the limit", () => {
    const tail = new OutputTail(10);
    tail.append(Buffer.from("abc"));
    tail.append(Buffer.from("def"));
    expect(tail.text()).toBe("abcdef");
    expect(tail.droppedBytes).toBe(0);
  });

  it("keeps exactly the last bytes, across and inside chunks", () => {
    const tail = new OutputTail(5);
    for (const part of ["012", "3456", "", "789"]) tail.append(Buffer.from(part));
    expect(tail.text()).toBe("56789");
    expect(tail.droppedBytes).toBe(5);
    tail.append(Buffer.from("abcdefgh"));
    expect(tail.text()).toBe("defgh");
  });

  it("works as a stream sink", async () => {
    const tail = new OutputTail(4);
    await new Promise<void>((resolve) => tail.end(Buffer.from("hello world"), () => resolve()));
    expect(tail.text()).toBe("orld");
  });
});
