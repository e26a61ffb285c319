import { addUsage, emptyUsage, usageSchema, type Usage } from "../schemas.js";
import type { Llm } from "./client.js";

/** What the model has been asked so far, for the progress line and the summary (also after Ctrl-C). */
export interface LlmActivity {
  /** Calls made, those still running and those cut short included. */
  calls: number;
  inFlight: number;
  /** Calls abandoned before their reply (Ctrl-C, the per-call time budget). */
  cutShort: number;
  /** Tokens of every reply received, plus those of calls cut short when the engine reports them (a local model does; an HTTP API does not). */
  usage: Usage;
}

/** A decorator around any Llm that counts calls as they start and end. */
export function trackActivity(inner: Llm): { llm: Llm; activity: Readonly<LlmActivity> } {
  const activity: LlmActivity = { calls: 0, inFlight: 0, cutShort: 0, usage: emptyUsage() };
  const llm: Llm = {
    async chat(request) {
      activity.calls += 1;
      activity.inFlight += 1;
      try {
        const reply = await inner.chat(request);
        addUsage(activity.usage, reply.usage);
        return reply;
      } catch (error) {
        if (request.signal?.aborted || error instanceof CallTimeoutError) activity.cutShort += 1;
        const partial = usageSchema.safeParse((error as { usage?: unknown } | null)?.usage);
        if (partial.success) addUsage(activity.usage, partial.data);
        throw error;
      } finally {
        activity.inFlight -= 1;
      }
    },
  };
  return { llm, activity };
}

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
