import { describe, expect, it } from "vitest";
import { heldModel, heldReply } from "../../test/helpers/held-model.js";
import type { ChatRequest } from "./client.js";
import { CallTimeoutError, callBudget, withCallBudget } from "./call-budget.js";
import { createMeteredLlm } from "./meter.js";

const request = (signal?: AbortSignal): ChatRequest => ({ model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0, maxTokens: 10, ...(signal ? { signal } : {}) });

describe("withCallBudget", () => {
  it("gives up on a call that has no reply within its budget, and says so", async () => {
    const { llm, meter } = createMeteredLlm(withCallBudget(heldModel(), 50, "one retry after a timeout"));
    await expect(llm.chat(request())).rejects.toThrow(new CallTimeoutError("no reply within 0 s (one retry after a timeout)"));
    expect(meter.total).toMatchObject({ calls: 1, cutShort: 1 });
  });

  it("passes a reply within the budget and leaves a Ctrl-C as it is", async () => {
    const model = heldModel();
    const budgeted = withCallBudget(model, 60_000, "x");
    const answered = budgeted.chat(request());
    model.answer();
    await expect(answered).resolves.toEqual(heldReply);
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
