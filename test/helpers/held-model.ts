import type { ChatReply, ChatRequest, Llm } from "../../src/llm/client.js";

export const heldReply: ChatReply = { content: "ok", refusal: null, finishReason: "stop", usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };

/**
 * An in-process model that answers only when told to (in the order asked), or fails when the
 * request's signal aborts, as the SDK and node-llama-cpp do (with the tokens spent, when given).
 */
export function heldModel(options: { reply?: ChatReply; partialUsage?: ChatReply["usage"] } = {}): Llm & { answer(): void; readonly asked: ChatRequest[] } {
  const pending: Array<() => void> = [];
  const asked: ChatRequest[] = [];
  return {
    asked,
    answer: () => pending.shift()?.(),
    chat: (req) =>
      new Promise((resolve, reject) => {
        asked.push(req);
        pending.push(() => resolve(options.reply ?? heldReply));
        req.signal?.addEventListener("abort", () =>
          reject(Object.assign(new Error("Request was aborted."), options.partialUsage ? { usage: options.partialUsage } : {})),
        );
      }),
  };
}
