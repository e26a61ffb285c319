import { BudgetExceededError } from "../errors.js";
import { addUsage, emptyUsage, usageSchema, type Usage } from "../schemas.js";
import { CallTimeoutError } from "./call-budget.js";
import type { ChatPurpose, Llm } from "./client.js";
import { costOf, lookupPrice, roundUsd, type PriceTable } from "./prices.js";

export interface Spend {
  /** Calls made: replies from the model or the cache, failed calls and those still running. */
  calls: number;
  /** Of which answered from the response cache. */
  cachedCalls: number;
  /** Tokens of every reply, plus those of calls cut short when the engine reports them (a local model does; an HTTP API does not). */
  usage: Usage;
  /** USD; null when some reply's model has no known price. */
  costUsd: number | null;
}

/** The whole run: what the progress line, the summary, the manifest and --max-cost read. */
export interface RunSpend extends Spend {
  inFlight: number;
  /** Calls abandoned before their reply (Ctrl-C, the per-call time budget). */
  cutShort: number;
}

export interface Meter {
  /** The whole run so far (also after Ctrl-C). */
  readonly total: Readonly<RunSpend>;
  /** What one item's requests spent. */
  forItem(item: string): Spend;
  /** USD per purpose (generate, fix, judge, ...): where the money went. */
  readonly byPurpose: Record<string, number>;
  /** Models used that have no price (their cost is unknown, not zero). */
  readonly unpriced: ReadonlySet<string>;
}

export interface MeterOptions {
  prices?: PriceTable;
  /** USD: once spent, the next request throws BudgetExceededError instead of being sent. */
  maxCost?: number | undefined;
  /** Called once per model that has no price. */
  onUnpricedModel?: (model: string) => void;
}

const emptySpend = (): Spend => ({ calls: 0, cachedCalls: 0, usage: emptyUsage(), costUsd: 0 });

/**
 * A decorator around any Llm, the one count of the run's calls, tokens and cost (per run, item and
 * purpose), which also enforces --max-cost.
 */
export function createMeteredLlm(inner: Llm, options: MeterOptions = {}): { llm: Llm; meter: Meter } {
  const total: RunSpend = { ...emptySpend(), inFlight: 0, cutShort: 0 };
  const items = new Map<string, Spend>();
  const byPurpose: Record<string, number> = {};
  const unpriced = new Set<string>();
  // Replies from the model (not the cache) with a known price: what a call in flight is expected to cost.
  let paidReplies = 0;
  let waiting: Array<() => void> = [];
  const settled = () => {
    const wake = waiting;
    waiting = [];
    for (const resume of wake) resume();
  };

  /**
   * Counts the call in if the budget allows it. Calls in flight count at the mean cost of a paid
   * reply so far (the first one goes alone), so that concurrent items cannot all start on a budget
   * that only one of them fits; a call that does not fit waits for one in flight to end.
   */
  const admit = async (signal: AbortSignal | undefined): Promise<void> => {
    for (;;) {
      const spent = total.costUsd;
      // A model without a price cannot be held to a budget (said once, when its first reply comes).
      if (options.maxCost === undefined || spent === null) break;
      if (spent >= options.maxCost) throw new BudgetExceededError();
      const perCall = paidReplies > 0 ? spent / paidReplies : undefined;
      if (total.inFlight === 0 || (perCall !== undefined && spent + total.inFlight * perCall < options.maxCost)) break;
      await nextSettled(signal);
    }
    total.calls += 1;
    total.inFlight += 1;
  };
  const nextSettled = (signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = () => reject(signal?.reason as Error);
      signal?.addEventListener("abort", onAbort, { once: true });
      waiting.push(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
    });

  const itemSpend = (item: string | undefined): Spend | undefined => {
    if (item === undefined) return undefined;
    let spend = items.get(item);
    if (!spend) items.set(item, (spend = emptySpend()));
    return spend;
  };
  const add = (spend: Spend | undefined, usage: Usage, cost: number | null) => {
    if (!spend) return;
    addUsage(spend.usage, usage);
    spend.costUsd = spend.costUsd === null || cost === null ? null : roundUsd(spend.costUsd + cost);
  };
  const costFor = (model: string, usage: Usage): number | null => {
    const price = lookupPrice(model, options.prices);
    if (!price && !unpriced.has(model)) {
      unpriced.add(model);
      options.onUnpricedModel?.(model);
    }
    return price ? costOf(usage, price) : null;
  };

  const llm: Llm = {
    async chat(request) {
      // Checked before every request, so an item in flight stops at its next call too.
      await admit(request.signal);
      const spend = itemSpend(request.item);
      if (spend) spend.calls += 1;
      try {
        const reply = await inner.chat(request);
        const cached = reply.cached === true;
        const cost = cached ? 0 : costFor(request.model, reply.usage);
        if (cached) {
          total.cachedCalls += 1;
          if (spend) spend.cachedCalls += 1;
        } else if (cost !== null) paidReplies += 1;
        add(total, reply.usage, cost);
        add(spend, reply.usage, cost);
        const purpose: ChatPurpose | "other" = request.purpose ?? "other";
        if (cost !== null) byPurpose[purpose] = roundUsd((byPurpose[purpose] ?? 0) + cost);
        return reply;
      } catch (error) {
        if (request.signal?.aborted || error instanceof CallTimeoutError) total.cutShort += 1;
        // Tokens a cut-short call spent, when the engine says (a local model's partial reply).
        const partial = usageSchema.safeParse((error as { usage?: unknown } | null)?.usage);
        if (partial.success) {
          const cost = costFor(request.model, partial.data);
          add(total, partial.data, cost);
          add(spend, partial.data, cost);
        }
        throw error;
      } finally {
        total.inFlight -= 1;
        settled();
      }
    },
  };
  return { llm, meter: { total, byPurpose, unpriced, forItem: (item) => items.get(item) ?? emptySpend() } };
}

/** A row with what its item spent: `cost_usd` (null when unknown) and `cached` when every reply came from the cache. */
export function withSpend<Row extends object>(row: Row, spend: Spend | undefined): Row & { cost_usd?: number | null; cached?: true } {
  if (!spend) return row;
  const cached = spend.calls > 0 && spend.cachedCalls === spend.calls;
  return { ...row, cost_usd: spend.costUsd, ...(cached ? { cached: true as const } : {}) };
}
