import { z } from "zod";
import type { Usage } from "../schemas.js";

/** USD per million tokens; `training` only for models OpenAI fine-tunes. */
export const priceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  /** Input tokens served from the provider's prompt cache; the input price when absent. */
  cachedInput: z.number().nonnegative().optional(),
  training: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof priceSchema>;

/** The config file's `prices`: model id -> price, overriding and extending the table below. */
export const priceTableSchema = z.record(z.string().min(1), priceSchema);
export type PriceTable = z.infer<typeof priceTableSchema>;

/** When the table below was taken from OpenAI's published prices. */
export const PRICES_TAKEN = "2025-08-15";

// OpenAI's standard (not Batch, not Priority) prices in USD per million tokens, and fine-tuning
// training prices, as published on https://openai.com/api/pricing/ and
// https://platform.openai.com/docs/pricing on PRICES_TAKEN. Providers change them: a config file's
// `prices` overrides any entry, and a model missing here has no cost (said once, not an error).
export const DEFAULT_PRICES: PriceTable = {
  "gpt-5": { input: 1.25, cachedInput: 0.125, output: 10 },
  "gpt-5-mini": { input: 0.25, cachedInput: 0.025, output: 2 },
  "gpt-5-nano": { input: 0.05, cachedInput: 0.005, output: 0.4 },
  "gpt-4.1": { input: 2, cachedInput: 0.5, output: 8, training: 25 },
  "gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6, training: 5 },
  "gpt-4.1-nano": { input: 0.1, cachedInput: 0.025, output: 0.4, training: 1.5 },
  "gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10, training: 25 },
  "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6, training: 3 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  "o4-mini": { input: 1.1, cachedInput: 0.275, output: 4.4 },
  "gpt-3.5-turbo": { input: 0.5, output: 1.5, training: 8 },
};

/**
 * The price of `model`: an exact entry (config first, then the table); a fine-tuned
 * `ft:<base>:<org>::<id>` id is priced as its base; a dated snapshot (`gpt-4o-2024-08-06`) as its
 * family (`gpt-4o`) when the snapshot has no entry of its own. Undefined when unknown.
 */
export function lookupPrice(model: string, overrides: PriceTable = {}): Price | undefined {
  const find = (id: string): Price | undefined => overrides[id] ?? DEFAULT_PRICES[id];
  const base = model.startsWith("ft:") ? (model.split(":")[1] ?? model) : model;
  for (const id of [model, base, base.replace(/-\d{4}-\d{2}-\d{2}$/, ""), base.replace(/-\d{4}$/, "")]) {
    const price = find(id);
    if (price) return price;
  }
  return undefined;
}

/** The USD cost of one reply's usage: its tokens at the price, exactly (see roundUsd). */
export function costOf(usage: Usage, price: Price): number {
  const cached = Math.min(usage.cached_tokens ?? 0, usage.prompt_tokens);
  const usd =
    ((usage.prompt_tokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.completion_tokens * price.output) /
    1_000_000;
  return roundUsd(usd);
}

/**
 * Rounds away floating-point noise (0.007000000000000001) and nothing a price can make: a token at
 * the cheapest price costs more than a millionth of a cent, so rounding to a millionth of a dollar
 * would drop real money (a row's cost must equal its tokens at its price).
 */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

/** "$0.0123" below a dollar (a small run costs fractions of a cent), "$12.34" above. */
export function formatUsd(usd: number): string {
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}
