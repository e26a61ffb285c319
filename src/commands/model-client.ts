import path from "node:path";
import type OpenAI from "openai";
import { callBudget, withCallBudget } from "../llm/call-budget.js";
import { defaultCacheDir, pruneCacheIfDue } from "../llm/cache.js";
import { createLlm, createOpenAIClient, type Llm } from "../llm/client.js";
import { createLocalLlm, physicalCoreCount } from "../llm/local.js";
import { buildModelClient, endpointOf, type ModelClient } from "../llm/model-client.js";
import { formatUsd, type PriceTable } from "../llm/prices.js";
import type { Logger } from "../log.js";
import type { CliContext } from "./context.js";
import { requireApiKey, resolveBaseUrl } from "./shared.js";

export interface ModelClientFlags {
  baseUrl?: string | undefined;
  modelFile?: string | undefined;
  threads?: number | undefined;
  /** Items in flight: a local model gets as many context sequences. */
  concurrency: number;
  timeout: number;
  maxRetries: number;
  maxCost?: number | undefined;
  cache?: boolean | undefined;
  cacheDir?: string | undefined;
  cacheMaxMb: number;
  prices?: PriceTable | undefined;
}

export interface OpenModelClient extends ModelClient {
  close(): Promise<void>;
}

export interface ApiConnectionFlags {
  baseUrl?: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

export interface ApiConnection {
  /** The SDK client: chat for generate and validate, files and fine-tuning jobs for finetune, models for doctor. */
  sdk: OpenAI;
  /** As configured (--base-url / OPENAI_BASE_URL); undefined means OpenAI's own. */
  baseURL: string | undefined;
}

/**
 * The OpenAI-compatible API for every command that calls it: the base URL checked, the key checked
 * and registered for redaction, and the SDK client built by the one builder (timeout, retries).
 * API faults are mapped by classifyApiError, whoever calls.
 */
export function connectApi(ctx: CliContext, flags: ApiConnectionFlags): ApiConnection {
  const baseURL = resolveBaseUrl(flags.baseUrl);
  const sdk = createOpenAIClient({ apiKey: requireApiKey(ctx), baseURL, timeoutMs: flags.timeoutMs, maxRetries: flags.maxRetries });
  return { sdk, baseURL };
}

/**
 * The model client of a command (generate, validate) from its flags: a local GGUF model
 * (--model-file, no key, no HTTP) or the OpenAI-compatible API, each call within its time budget,
 * then the response cache and the meter (calls, tokens, cost, the budget).
 */
export async function openModelClient(ctx: CliContext, flags: ModelClientFlags, logger: Logger): Promise<OpenModelClient> {
  const modelFile = flags.modelFile ? path.resolve(ctx.cwd, flags.modelFile) : undefined;
  const local = modelFile
    ? await createLocalLlm({ modelFile, label: flags.modelFile ?? modelFile, threads: flags.threads ?? physicalCoreCount(), sequences: flags.concurrency })
    : undefined;
  if (local) logger.info(`model: ${local.description}`);
  let engine: Llm;
  // What the cache keys the engine by: the endpoint's host and path, or the local model file.
  let endpoint: string;
  if (local) {
    engine = local;
    endpoint = `file:${modelFile}`;
  } else {
    const api = connectApi(ctx, { baseUrl: flags.baseUrl, timeoutMs: flags.timeout * 1000, maxRetries: flags.maxRetries });
    engine = createLlm(api.sdk);
    endpoint = endpointOf(api.baseURL);
  }
  const budget = callBudget(flags.timeout, local !== undefined);
  const cacheDir = flags.cacheDir ?? defaultCacheDir(ctx.env);
  const written = { bytes: 0 };
  const client = buildModelClient({
    base: withCallBudget(engine, budget.budgetMs, budget.describe),
    endpoint,
    prices: flags.prices,
    maxCost: flags.maxCost,
    // undefined: cache requests at temperature 0 only; --cache: any temperature; --no-cache: never.
    cache: flags.cache === false ? false : { dir: cacheDir, anyTemperature: flags.cache === true, written },
    onUnpricedModel: (model) =>
      local
        ? undefined
        : logger.info(
            `no price known for model ${model}: its cost is not counted${flags.maxCost !== undefined ? " and --max-cost cannot stop it" : ""} (set "prices" in codeenhancer.config.json)`,
          ),
  });
  return {
    ...client,
    async close() {
      await local?.close();
      if (flags.cache !== false) await pruneCacheIfDue(cacheDir, flags.cacheMaxMb * 1024 * 1024, written.bytes).catch(() => 0);
    },
  };
}

/** "$0.0123", or "cost unknown" when a model had no price. */
export function formatCost(usd: number | null): string {
  return usd === null ? "cost unknown" : formatUsd(usd);
}

/** The line printed when --max-cost stopped the run. */
export function budgetLine(spent: number | null, maxCost: number | undefined, left: number): string {
  return `stopped at the budget: ${formatCost(spent)} of $${maxCost ?? 0} spent; ${left} items left; run again with a higher --max-cost to continue`;
}
