import type { Llm } from "./client.js";

/** A call that got no reply within its time budget; recorded on the item, the run goes on. */
export class CallTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CallTimeoutError";
  }
}

/**
 * Bounds the time of each call, the client's own retries included: without it a slow server could
 * hold one item for (1 + --max-retries) x --timeout (7 x 300 s by default) before it failed.
 */
export function withCallBudget(inner: Llm, budgetMs: number, describe: string): Llm {
  return {
    async chat(request) {
      const deadline = AbortSignal.timeout(budgetMs);
      const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
      try {
        return await inner.chat({ ...request, signal });
      } catch (error) {
        if (deadline.aborted && !request.signal?.aborted) {
          const timeout = new CallTimeoutError(`no reply within ${Math.round(budgetMs / 1000)} s (${describe})`);
          throw Object.assign(timeout, { usage: (error as { usage?: unknown } | null)?.usage });
        }
        throw error;
      }
    },
  };
}

/**
 * Each call's time budget: an API call that times out is retried once (2 x --timeout, plus 10 s
 * for the client's back-off); a local model has nothing to retry and gets --timeout.
 */
export function callBudget(timeoutSeconds: number, local: boolean): { budgetMs: number; describe: string } {
  if (local) return { budgetMs: timeoutSeconds * 1000, describe: `--timeout ${timeoutSeconds} s per call to the local model` };
  return {
    budgetMs: (2 * timeoutSeconds + 10) * 1000,
    describe: `the per-call budget: --timeout ${timeoutSeconds} s, one retry after a timeout`,
  };
}
