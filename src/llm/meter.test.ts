import { describe, expect, it } from "vitest";
import { heldModel } from "../../test/helpers/held-model.js";
import { BudgetExceededError } from "../errors.js";
import type { ChatReply, ChatRequest } from "./client.js";
import { createMeteredLlm } from "./meter.js";

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({ model: "m", messages: [{ role: "user", content: "hi" }], temperature: 0, maxTokens: 10, ...over });
// 1000 in at $2/M + 200 out at $10/M = $0.004 a reply.
const PRICES = { m: { input: 2, output: 10 } };
const paid: ChatReply = { content: "ok", refusal: null, finishReason: "stop", usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 } };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the meter's count of calls", () => {
  it("counts calls as they start, those in flight, and the tokens of replies", async () => {
    const model = heldModel();
    const { llm, meter } = createMeteredLlm(model);
    const first = llm.chat(request());
    const second = llm.chat(request());
    await settle();
    expect(meter.total).toMatchObject({ calls: 2, inFlight: 2, cutShort: 0 });
    model.answer();
    await first;
    expect(meter.total).toMatchObject({ calls: 2, inFlight: 1, usage: { total_tokens: 5 } });
    model.answer();
    await second;
    expect(meter.total).toMatchObject({ calls: 2, inFlight: 0, cutShort: 0, usage: { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 } });
  });

  it("counts a call cut short by Ctrl-C, with the tokens it had spent when the engine says", async () => {
    const { llm, meter } = createMeteredLlm(heldModel({ partialUsage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } }));
    const abort = new AbortController();
    const call = llm.chat(request({ signal: abort.signal, item: "a" }));
    await settle();
    abort.abort();
    await expect(call).rejects.toThrow("aborted");
    expect(meter.total).toMatchObject({ calls: 1, inFlight: 0, cutShort: 1, usage: { total_tokens: 52 } });
    expect(meter.forItem("a")).toMatchObject({ calls: 1, usage: { total_tokens: 52 } });
  });

  it("does not count a request the budget refused", async () => {
    const model = heldModel({ reply: paid });
    const { llm, meter } = createMeteredLlm(model, { prices: PRICES, maxCost: 0.004 });
    const call = llm.chat(request());
    await settle();
    model.answer();
    await call;
    await expect(llm.chat(request())).rejects.toBeInstanceOf(BudgetExceededError);
    expect(meter.total).toMatchObject({ calls: 1, inFlight: 0, costUsd: 0.004 });
  });
});

describe("--max-cost with items in flight", () => {
  it("holds concurrent calls back when those in flight would spend the budget, instead of starting them all", async () => {
    const model = heldModel({ reply: paid });
    // Two calls' worth: ten concurrent items must not all start.
    const { llm, meter } = createMeteredLlm(model, { prices: PRICES, maxCost: 0.008 });
    const calls = Array.from({ length: 10 }, () => llm.chat(request()).then(() => "replied", (error: unknown) => error));
    await settle();
    // No price per call known yet: the first goes alone.
    expect(model.asked).toHaveLength(1);
    model.answer();
    await settle();
    // $0.004 spent, and one call in flight at $0.004 would reach the budget: the others wait for it.
    expect(model.asked).toHaveLength(2);
    model.answer();
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === "replied")).toHaveLength(2);
    expect(outcomes.filter((o) => o instanceof BudgetExceededError)).toHaveLength(8);
    expect(meter.total).toMatchObject({ calls: 2, costUsd: 0.008 });
  });

  it("lets as many calls run at once as the rest of the budget fits", async () => {
    const model = heldModel({ reply: paid });
    const { llm } = createMeteredLlm(model, { prices: PRICES, maxCost: 1 });
    const first = llm.chat(request());
    await settle();
    model.answer();
    await first;
    const calls = Array.from({ length: 10 }, () => llm.chat(request()));
    await settle();
    expect(model.asked).toHaveLength(11);
    for (let i = 0; i < 10; i += 1) model.answer();
    await Promise.all(calls);
  });

  it("gives up waiting when the request is aborted", async () => {
    const model = heldModel({ reply: paid });
    const { llm } = createMeteredLlm(model, { prices: PRICES, maxCost: 1 });
    const first = llm.chat(request());
    const abort = new AbortController();
    const waiting = llm.chat(request({ signal: abort.signal }));
    await settle();
    abort.abort();
    await expect(waiting).rejects.toThrow();
    expect(model.asked).toHaveLength(1);
    model.answer();
    await first;
  });
});
