import path from "node:path";
import fs from "fs-extra";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/helpers/run-cli.js";
import { BudgetExceededError } from "../errors.js";
import { cacheKey, clearCache, createCachedLlm, pruneCache, pruneCacheIfDue, readCacheInfo } from "./cache.js";
import type { ChatReply, ChatRequest, Llm } from "./client.js";
import { createMeteredLlm } from "./meter.js";
import { costOf, lookupPrice } from "./prices.js";

/** A plain fake model: answers with a numbered reply and records each request. */
function fakeLlm(reply: Partial<ChatReply> = {}): Llm & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    requests,
    async chat(request) {
      requests.push(request);
      return {
        content: `answer ${requests.length}`,
        refusal: null,
        finishReason: "stop",
        usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
        ...reply,
      };
    },
  };
}

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "gpt-4o",
  messages: [{ role: "user", content: "write a script" }],
  temperature: 0,
  maxTokens: 100,
  ...over,
});

describe("prices", () => {
  it("prices a model, its dated snapshots and its fine-tuned ids the same way; config entries win", () => {
    const gpt4o = lookupPrice("gpt-4o");
    expect(gpt4o).toEqual({ input: 2.5, cachedInput: 1.25, output: 10, training: 25 });
    expect(lookupPrice("gpt-4o-2024-08-06")).toEqual(gpt4o);
    expect(lookupPrice("ft:gpt-4o-2024-08-06:acme::abc123")).toEqual(gpt4o);
    expect(lookupPrice("qwen2.5-coder:7b")).toBeUndefined();
    expect(lookupPrice("qwen2.5-coder:7b", { "qwen2.5-coder:7b": { input: 0.1, output: 0.2 } })).toEqual({ input: 0.1, output: 0.2 });
    expect(lookupPrice("gpt-4o", { "gpt-4o": { input: 1, output: 2 } })).toEqual({ input: 1, output: 2 });
  });

  it("charges cached prompt tokens at the cached-input price", () => {
    const price = { input: 2.5, cachedInput: 1.25, output: 10 };
    expect(costOf({ prompt_tokens: 1_000_000, completion_tokens: 0, total_tokens: 1_000_000 }, price)).toBe(2.5);
    expect(costOf({ prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, cached_tokens: 400 }, price)).toBe(0.007);
    expect(costOf({ prompt_tokens: 1000, completion_tokens: 0, total_tokens: 1000, cached_tokens: 1000 }, { input: 3, output: 1 })).toBe(0.003);
  });

  it("keeps a fraction of a millionth of a dollar: a cost is its tokens at the price", () => {
    // gpt-4o-mini: 1234 x $0.15/M + 567 x $0.60/M = $0.0005253
    expect(costOf({ prompt_tokens: 1234, completion_tokens: 567, total_tokens: 1801 }, { input: 0.15, output: 0.6 })).toBe(0.0005253);
    expect(costOf({ prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 }, { input: 0.05, output: 0.4 })).toBe(5e-8);
  });
});

describe("the cost meter", () => {
  it("adds up tokens and cost per run, item and purpose", async () => {
    const { llm, meter } = createMeteredLlm(fakeLlm(), { prices: { m: { input: 2, output: 10 } } });
    await llm.chat(request({ model: "m", item: "a", purpose: "generate" }));
    await llm.chat(request({ model: "m", item: "a", purpose: "docstring-retry" }));
    await llm.chat(request({ model: "m", item: "b", purpose: "generate" }));
    // 1000 in at $2/M + 500 out at $10/M = $0.007 a call
    expect(meter.total.costUsd).toBe(0.021);
    expect(meter.total.calls).toBe(3);
    expect(meter.total.usage.total_tokens).toBe(4500);
    expect(meter.forItem("a").costUsd).toBe(0.014);
    expect(meter.forItem("c").calls).toBe(0);
    expect(meter.byPurpose).toEqual({ generate: 0.014, "docstring-retry": 0.007 });
  });

  it("leaves the cost of an unpriced model unknown and says so once", async () => {
    const said: string[] = [];
    const { llm, meter } = createMeteredLlm(fakeLlm(), { onUnpricedModel: (m) => said.push(m) });
    await llm.chat(request({ model: "local", item: "a" }));
    await llm.chat(request({ model: "local", item: "a" }));
    expect(said).toEqual(["local"]);
    expect(meter.total.costUsd).toBeNull();
    expect(meter.forItem("a").costUsd).toBeNull();
    expect(meter.total.usage.total_tokens).toBe(3000);
  });

  it("refuses the next request once the budget is spent, without sending it", async () => {
    const inner = fakeLlm();
    const { llm } = createMeteredLlm(inner, { prices: { m: { input: 2, output: 10 } }, maxCost: 0.01 });
    await llm.chat(request({ model: "m" }));
    await llm.chat(request({ model: "m" })); // $0.007 spent < $0.01: sent
    await expect(llm.chat(request({ model: "m" }))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(inner.requests).toHaveLength(2);
  });

  it("charges nothing for a reply served from the cache", async () => {
    const { llm, meter } = createMeteredLlm(fakeLlm({ cached: true }), { prices: { m: { input: 2, output: 10 } } });
    await llm.chat(request({ model: "m" }));
    expect(meter.total).toMatchObject({ costUsd: 0, calls: 1, cachedCalls: 1 });
  });
});

describe("the response cache", () => {
  const options = (dir: string) => ({ dir, endpoint: "127.0.0.1:9/v1", anyTemperature: false });

  it("answers an identical request from disk, in another process's place too", async () => {
    const dir = await makeTempDir();
    const inner = fakeLlm();
    const first = await createCachedLlm(inner, options(dir)).chat(request());
    const again = await createCachedLlm(inner, options(dir)).chat(request());
    expect(inner.requests).toHaveLength(1);
    expect(again).toMatchObject({ content: first.content, cached: true, usage: first.usage });
    expect(first.cached).toBeUndefined();
  });

  it("misses when the prompt, model, temperature, token limit or endpoint changes", async () => {
    const dir = await makeTempDir();
    const inner = fakeLlm();
    const cached = createCachedLlm(inner, { ...options(dir), anyTemperature: true });
    await cached.chat(request());
    await cached.chat(request({ messages: [{ role: "user", content: "write another script" }] }));
    await cached.chat(request({ model: "gpt-4o-mini" }));
    await cached.chat(request({ temperature: 0.5 }));
    await cached.chat(request({ maxTokens: 200 }));
    await createCachedLlm(inner, { ...options(dir), endpoint: "other:1/v1", anyTemperature: true }).chat(request());
    expect(inner.requests).toHaveLength(6);
    expect(cacheKey(request(), "a")).not.toBe(cacheKey(request(), "b"));
  });

  it("leaves requests above temperature 0 alone unless told to cache them", async () => {
    const dir = await makeTempDir();
    const inner = fakeLlm();
    const cached = createCachedLlm(inner, options(dir));
    await cached.chat(request({ temperature: 0.7 }));
    await cached.chat(request({ temperature: 0.7 }));
    expect(inner.requests).toHaveLength(2);
    expect((await readCacheInfo(dir)).entries).toBe(0);
  });

  it("stores no refusal, filtered, cut-off or empty reply", async () => {
    const dir = await makeTempDir();
    for (const bad of [{ refusal: "no" }, { finishReason: "content_filter" }, { finishReason: "length" }, { content: "  " }]) {
      const inner = fakeLlm(bad);
      const cached = createCachedLlm(inner, options(dir));
      await cached.chat(request());
      await cached.chat(request());
      expect(inner.requests, JSON.stringify(bad)).toHaveLength(2);
    }
    expect((await readCacheInfo(dir)).entries).toBe(0);
  });

  it("ignores and replaces a damaged entry, and reads past a temporary file left by a crash", async () => {
    const dir = await makeTempDir();
    const inner = fakeLlm();
    const cached = createCachedLlm(inner, options(dir));
    await cached.chat(request());
    const key = cacheKey(request(), options(dir).endpoint);
    const file = path.join(dir, "v1", key.slice(0, 2), `${key}.json`);
    await fs.writeFile(file, '{"model": "gpt-4o", "reply": {"cont');
    await fs.writeFile(`${file}.999.1.tmp`, "half");
    const reply = await cached.chat(request());
    expect(reply.cached).toBeUndefined();
    expect(inner.requests).toHaveLength(2);
    expect((await cached.chat(request())).cached).toBe(true);
  });

  it("is bounded in size, least recently used out; info and clear", async () => {
    const dir = await makeTempDir();
    const cached = createCachedLlm(fakeLlm(), options(dir));
    for (let i = 0; i < 5; i += 1) {
      await cached.chat(request({ messages: [{ role: "user", content: `task ${i}` }] }));
      // File times have a resolution; space the entries out.
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await cached.chat(request({ messages: [{ role: "user", content: "task 0" }] })); // used again: now the newest
    const info = await readCacheInfo(dir);
    expect(info.entries).toBe(5);
    const perEntry = info.bytes / 5;
    expect(await pruneCache(dir, perEntry * 2.5)).toBe(3);
    const inner = fakeLlm();
    const after = createCachedLlm(inner, options(dir));
    await after.chat(request({ messages: [{ role: "user", content: "task 0" }] }));
    await after.chat(request({ messages: [{ role: "user", content: "task 4" }] }));
    await after.chat(request({ messages: [{ role: "user", content: "task 1" }] }));
    expect(inner.requests.map((r) => r.messages[0]?.content)).toEqual(["task 1"]);
    expect(await clearCache(dir)).toBe(3);
    expect((await readCacheInfo(dir)).entries).toBe(0);
  });

  it("at the end of a run, lists the cache only when its ledger says it may be near the bound or is a day old", async () => {
    const dir = await makeTempDir();
    const written = { bytes: 0 };
    const cached = createCachedLlm(fakeLlm(), { ...options(dir), written });
    for (let i = 0; i < 4; i += 1) await cached.chat(request({ messages: [{ role: "user", content: `task ${i}` }] }));
    const info = await readCacheInfo(dir);
    expect(written.bytes).toBe(info.bytes);
    const ledgerFile = path.join(dir, "v1", "size-ledger.json");
    // No ledger yet: the cache is listed, and the ledger starts from what was found.
    expect(await pruneCacheIfDue(dir, info.bytes * 100, written.bytes)).toBe(0);
    const first = (await fs.readJson(ledgerFile)) as { bytes: number; listed: number };
    expect(first.bytes).toBe(info.bytes);

    // A listing removes a temporary file a crash left over an hour ago; a trusted ledger lists nothing.
    const stale = path.join(dir, "v1", "ab", "left-by-a-crash.json.1.1.tmp");
    await fs.outputFile(stale, "half");
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await fs.utimes(stale, hoursAgo, hoursAgo);
    expect(await pruneCacheIfDue(dir, info.bytes * 100, 500)).toBe(0);
    expect(await fs.pathExists(stale)).toBe(true);
    expect(((await fs.readJson(ledgerFile)) as { bytes: number }).bytes).toBe(info.bytes + 500);

    // Near the bound by the ledger's count: listed and pruned, least recently used out.
    const perEntry = info.bytes / 4;
    expect(await pruneCacheIfDue(dir, perEntry * 2.5, 0)).toBe(2);
    expect(await fs.pathExists(stale)).toBe(false);
    expect((await readCacheInfo(dir)).entries).toBe(2);
    expect(((await fs.readJson(ledgerFile)) as { bytes: number }).bytes).toBe(perEntry * 2);

    // A day-old ledger is not trusted: another process's entries may be missing from it.
    await fs.outputFile(stale, "half");
    await fs.utimes(stale, hoursAgo, hoursAgo);
    await fs.writeJson(ledgerFile, { bytes: 0, listed: Date.now() - 25 * 3_600_000 });
    expect(await pruneCacheIfDue(dir, info.bytes * 100, 0)).toBe(0);
    expect(await fs.pathExists(stale)).toBe(false);
    expect(((await fs.readJson(ledgerFile)) as { bytes: number }).bytes).toBe(perEntry * 2);
  });
});
