import { createCachedLlm } from "./cache.js";
import type { Llm } from "./client.js";
import { createMeteredLlm, type Meter } from "./meter.js";
import type { PriceTable } from "./prices.js";

export interface ModelClientOptions {
  /** The engine: the OpenAI SDK client, or a local GGUF model (--model-file). */
  base: Llm;
  /** What the cache keys the engine by: the endpoint's host and path, or the local model file. */
  endpoint: string;
  prices?: PriceTable | undefined;
  /** --max-cost, USD. */
  maxCost?: number | undefined;
  /** The response cache, or false (--no-cache); `written` counts the bytes of the entries written. */
  cache: false | { dir: string; anyTemperature: boolean; written?: { bytes: number } };
  onUnpricedModel?: (model: string) => void;
}

export interface ModelClient {
  llm: Llm;
  meter: Meter;
}

/**
 * The model client of generate and validate, composed in this one place: the engine, the response
 * cache around it, and the cost meter (with the budget) around both, so a reply served from the
 * cache costs nothing and is still counted.
 */
export function buildModelClient(options: ModelClientOptions): ModelClient {
  const llm = options.cache ? createCachedLlm(options.base, { ...options.cache, endpoint: options.endpoint }) : options.base;
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
