import { describe, expect, it } from "vitest";
import type { ChatReply } from "./client.js";
import { classifyReply } from "./reply.js";

const reply = (over: Partial<ChatReply>): ChatReply => ({
  content: "Correct",
  refusal: null,
  finishReason: "stop",
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  ...over,
});

describe("classifyReply", () => {
  it("passes a complete reply and names every unusable kind", () => {
    expect(classifyReply(reply({}), 100)).toBeUndefined();
    expect(classifyReply(reply({ refusal: "I can't help with that" }), 100)).toEqual({ kind: "refusal", message: "the model refused: I can't help with that" });
    expect(classifyReply(reply({ finishReason: "content_filter", content: null }), 100)?.kind).toBe("content_filter");
    expect(classifyReply(reply({ content: " \n" }), 100)?.kind).toBe("empty");
    expect(classifyReply(reply({ content: null }), 100)?.kind).toBe("empty");
  });

  it("tells a reply cut off by the token limit from one that looped until it", () => {
    const cut = classifyReply(reply({ finishReason: "length", content: "def solve(values):\n    return sorted(" }), 256);
    expect(cut).toEqual({ kind: "length", message: "the reply was cut off at --max-tokens 256 (finish_reason: length); raise --max-tokens" });
    const looping = classifyReply(reply({ finishReason: "length", content: `def f():\n${"    print('again')\n".repeat(40)}` }), 256);
    expect(looping?.kind).toBe("length");
    expect(looping?.message).toMatch(/repeated itself until --max-tokens 256 .*a larger limit will not help/);
  });
});
