import { describe, expect, it } from "vitest";
import type { ChatReply, ChatRequest, Llm } from "./client.js";
import { CallTimeoutError, callBudget, trackActivity, withCallBudget } from "./activity.js";

const request = (signal?: AbortSignal): ChatRequest => ({ model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0, maxTokens: 10, ...(signal ? { signal } : {}) });
const reply: ChatReply = { content: "ok", refusal: null, finishReason: "stop", usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };

/** A model that answers only when told to, or fails when the request's signal aborts (as the SDK and node-llama-cpp do). */
function heldModel(partialUsage?: ChatReply["usage"]): Llm & { answer(): void } {
  const pending: Array<() => void> = [];
  return {
    answer: () => pending.shift()?.(),
    chat: (req) =>
      new Promise((resolve, reject) => {
        pending.push(() => resolve(reply));
        req.signal?.addEventListener("abort", () => reject(Object.assign(new Error("Request was aborted."), partialUsage ? { usage: partialUsage } : {})));
      }),
  };
}

describe("trackActivity", () => {
  it("counts calls in flight, calls made and the tokens of replies", async () => {
    const model = heldModel();
    const { llm, activity } = trackActivity(model);
    const first = llm.chat(request());
    const second = llm.chat(request());
    expect(activity).toMatchObject({ calls: 2, inFlight: 2, cutShort: 0 });
    model.answer();
    await first;
    expect(activity).toMatchObject({ calls: 2, inFlight: 1, usage: { total_tokens: 5 } });
    model.answer();
    await second;
    expect(activity).toMatchObject({ calls: 2, inFlight: 0, cutShort: 0, usage: { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 } });
  });

  it("counts a call cut short by Ctrl-C, with the tokens it had spent when the engine says", async () => {
    const { llm, activity } = trackActivity(heldModel({ prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 }));
    const abort = new AbortController();
    const call = llm.chat(request(abort.signal));
    abort.abort();
    await expect(call).rejects.toThrow("aborted");
    expect(activity).toMatchObject({ calls: 1, inFlight: 0, cutShort: 1, usage: { total_tokens: 52 } });
  });
});

describe("withCallBudget", () => {
  it("gives up on a call that has no reply within its budget, and says so", async () => {
    const { llm, activity } = trackActivity(withCallBudget(heldModel(), 50, "one retry after a timeout"));
    await expect(llm.chat(request())).rejects.toThrow(new CallTimeoutError("no reply within 0 s (one retry after a timeout)"));
    expect(activity).toMatchObject({ calls: 1, cutShort: 1 });
  });

  it("passes a reply within the budget and leaves a Ctrl-C as it is", async () => {
    const model = heldModel();
    const budgeted = withCallBudget(model, 60_000, "x");
    const answered = budgeted.chat(request());
    model.answer();
    await expect(answered).resolves.toEqual(reply);
    const abort = new AbortController();
    const interrupted = budgeted.chat(request(abort.signal));
    abort.abort();
    await expect(interrupted).rejects.not.toBeInstanceOf(CallTimeoutError);
  });

  it("allows an API call one retry after a timeout, and a local call its --timeout", () => {
    expect(callBudget(300, false).budgetMs).toBe(610_000);
    expect(callBudget(300, true).budgetMs).toBe(300_000);
  });
});
