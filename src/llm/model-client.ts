import { createCachedLlm } from "./cache.js";
import { createLlm, type Llm, type LlmOptions } from "./client.js";
import { createMeteredLlm, type Meter } from "./meter.js";
import type { PriceTable } from "./prices.js";

export interface ModelClientOptions extends LlmOptions {
  prices?: PriceTable | undefined;
  /** --max-cost, USD. */
  maxCost?: number | undefined;
  /** The response cache, or false (--no-cache). */
  cache: false | { dir: string; anyTemperature: boolean };
  onUnpricedModel?: (model: string) => void;
}

export interface ModelClient {
  llm: Llm;
  meter: Meter;
}

/**
 * The model client of generate and validate, built in this one place: the OpenAI SDK client, the
 * response cache around it, and the cost meter (with the budget) around both, so a reply served
 * from the cache costs nothing and is still counted.
 */
export function buildModelClient(options: ModelClientOptions): ModelClient {
  let llm = createLlm(options);
  if (options.cache) llm = createCachedLlm(llm, { ...options.cache, endpoint: endpointOf(options.baseURL) });
  return createMeteredLlm(llm, {
    ...(options.prices ? { prices: options.prices } : {}),
    maxCost: options.maxCost,
    ...(options.onUnpricedModel ? { onUnpricedModel: options.onUnpricedModel } : {}),
  });
}

/** The endpoint as the cache keys it: host, port and path, never credentials or query. */
export function endpointOf(baseURL: string | undefined): string {
  if (!baseURL) return "api.openai.com/v1";
  const url = new URL(baseURL);
  return `${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
