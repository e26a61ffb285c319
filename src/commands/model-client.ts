import { defaultCacheDir, pruneCache } from "../llm/cache.js";
import { buildModelClient, type ModelClient } from "../llm/model-client.js";
import type { PriceTable } from "../llm/prices.js";
import type { Logger } from "../log.js";
import type { CliContext } from "./context.js";
import { requireApiKey, resolveBaseUrl } from "./shared.js";

export interface ModelClientFlags {
  baseUrl?: string | undefined;
  timeout: number;
  maxRetries: number;
  maxCost?: number | undefined;
  cache?: boolean | undefined;
  cacheDir?: string | undefined;
  cacheMaxMb: number;
  prices?: PriceTable | undefined;
}

/** The model client of a command (generate, validate) from its flags, and the clean-up after the run. */
export function openModelClient(ctx: CliContext, flags: ModelClientFlags, logger: Logger): ModelClient & { close(): Promise<void> } {
  const cacheDir = flags.cacheDir ?? defaultCacheDir(ctx.env);
  const client = buildModelClient({
    apiKey: requireApiKey(ctx),
    baseURL: resolveBaseUrl(flags.baseUrl),
    timeoutMs: flags.timeout * 1000,
    maxRetries: flags.maxRetries,
    prices: flags.prices,
    maxCost: flags.maxCost,
    // undefined: cache requests at temperature 0 only; --cache: any temperature; --no-cache: never.
    cache: flags.cache === false ? false : { dir: cacheDir, anyTemperature: flags.cache === true },
    onUnpricedModel: (model) => logger.info(`no price known for model ${model}: its cost is not counted (set "prices" in codeenhancer.config.json)`),
  });
  return {
    ...client,
    async close() {
      if (flags.cache !== false) await pruneCache(cacheDir, flags.cacheMaxMb * 1024 * 1024).catch(() => 0);
    },
  };
}

/** "$0.0123", or "cost unknown" when a model had no price. */
export function formatCost(usd: number | null): string {
  if (usd === null) return "cost unknown";
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

/** The line printed when --max-cost stopped the run. */
export function budgetLine(spent: number | null, maxCost: number | undefined, left: number): string {
  return `stopped at the budget: ${formatCost(spent)} of $${maxCost ?? 0} spent; ${left} items left; run again with a higher --max-cost to continue`;
}
