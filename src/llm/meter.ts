import { BudgetExceededError } from "../errors.js";
import { addUsage, emptyUsage, type Usage } from "../schemas.js";
import type { ChatPurpose, Llm } from "./client.js";
import { costOf, lookupPrice, roundUsd, type PriceTable } from "./prices.js";

export interface Spend {
  /** Replies received (from the model or the cache). */
  calls: number;
  /** Of which served from the response cache. */
  cachedCalls: number;
  usage: Usage;
  /** USD; null when some reply's model has no known price. */
  costUsd: number | null;
}

export interface Meter {
  /** The whole run so far. */
  readonly total: Spend;
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

/** A decorator around any Llm that counts tokens and cost, per run, item and purpose, and enforces --max-cost. */
export function createMeteredLlm(inner: Llm, options: MeterOptions = {}): { llm: Llm; meter: Meter } {
  const total = emptySpend();
  const items = new Map<string, Spend>();
  const byPurpose: Record<string, number> = {};
  const unpriced = new Set<string>();
  const add = (spend: Spend, usage: Usage, cost: number | null, cached: boolean) => {
    spend.calls += 1;
    if (cached) spend.cachedCalls += 1;
    addUsage(spend.usage, usage);
    spend.costUsd = spend.costUsd === null || cost === null ? null : roundUsd(spend.costUsd + cost);
  };
  const llm: Llm = {
    async chat(request) {
      // Checked before every request, so an item in flight stops at its next call too.
      if (options.maxCost !== undefined && (total.costUsd ?? 0) >= options.maxCost) throw new BudgetExceededError();
      const reply = await inner.chat(request);
      const price = lookupPrice(request.model, options.prices);
      if (!price && !reply.cached && !unpriced.has(request.model)) {
        unpriced.add(request.model);
        options.onUnpricedModel?.(request.model);
      }
      const cost = reply.cached ? 0 : price ? costOf(reply.usage, price) : null;
      const cached = reply.cached === true;
      add(total, reply.usage, cost, cached);
      if (request.item !== undefined) {
        let spend = items.get(request.item);
        if (!spend) items.set(request.item, (spend = emptySpend()));
        add(spend, reply.usage, cost, cached);
      }
      const purpose: ChatPurpose | "other" = request.purpose ?? "other";
      if (cost !== null) byPurpose[purpose] = roundUsd((byPurpose[purpose] ?? 0) + cost);
      return reply;
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
