import OpenAI from "openai";
import { CliError, ExitCode, describeError, redactSecrets } from "../errors.js";
import type { ChatMessage, Usage } from "../schemas.js";

export interface LlmOptions {
  /** From OPENAI_API_KEY only; never logged or written. */
  apiKey: string;
  /** OPENAI_BASE_URL or --base-url; undefined means the SDK's default (api.openai.com). */
  baseURL: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

/** What a chat request is for: the cost breakdown, the cache and the logs name it. */
export type ChatPurpose = "generate" | "docstring-retry" | "fix" | "judge" | "test-fix";

export interface ChatRequest {
  model: string;
  purpose?: ChatPurpose;
  /** The dataset item or file id the request belongs to. */
  item?: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  signal?: AbortSignal;
}

export interface ChatReply {
  content: string | null;
  refusal: string | null;
  finishReason: string | null;
  usage: Usage;
  /** Served from the response cache: nothing was sent, nothing was paid. */
  cached?: boolean;
}

/** The narrow surface of the model that the core needs: easy to fake with a plain object. */
export interface Llm {
  chat(request: ChatRequest): Promise<ChatReply>;
}

/** The one place that builds the SDK client. */
export function createOpenAIClient(options: LlmOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    // An explicit undefined would make the SDK ignore its own OPENAI_BASE_URL lookup; we read it ourselves.
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs,
    // The SDK retries 408/409/429/5xx and connection errors with back-off and honours Retry-After.
    maxRetries: options.maxRetries,
    fetch: fetchFailingFast,
  });
}

const UNREACHABLE_HEADER = "x-codeenhancer-unreachable";

/**
 * fetch, except that "nothing is there" (DNS failure, refused connection) is not retried: the SDK
 * retries every connection error, which made an unreachable host 20 s of silent back-off. It gets
 * an answer the SDK does not retry (`x-should-retry: false`), which classifyApiError turns back into
 * "cannot reach the API".
 */
async function fetchFailingFast(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    // The Fetch standard blocks some ports (9, 25, 6000, ...): undici fails them with "bad port".
    const code = causeCode(error) ?? (/bad port/.test(String((error as { cause?: unknown }).cause)) ? "a port fetch refuses (bad port)" : undefined);
    if (!code || !(UNREACHABLE.has(code) || code.includes("bad port"))) throw error;
    return new Response(JSON.stringify({ error: { message: `connection failed: ${code}` } }), {
      status: 503,
      headers: { "content-type": "application/json", "x-should-retry": "false", [UNREACHABLE_HEADER]: code },
    });
  }
}

/** Thrown when a server answers 2xx with something that is not the API's JSON (an HTML page, say). */
export function notApiReply(baseURL: string, what: string): CliError {
  return new CliError(`the server at ${baseURL} answered ${what} with something that is not the OpenAI API's JSON (an HTML page?)`, {
    exitCode: ExitCode.dependency,
    hint: "check --base-url / OPENAI_BASE_URL: it must end in the API's root, usually /v1",
  });
}

/** The chat surface over an SDK client built by createOpenAIClient: replies read, API faults classified. */
export function createLlm(client: OpenAI): Llm {
  const baseURL = client.baseURL;
  return {
    async chat(request) {
      try {
        const completion = await client.chat.completions.create(
          {
            model: request.model,
            messages: request.messages,
            temperature: request.temperature,
            max_tokens: request.maxTokens,
          },
          request.signal ? { signal: request.signal } : {},
        );
        if (typeof completion !== "object" || completion === null || !Array.isArray((completion as { choices?: unknown }).choices)) {
          throw notApiReply(baseURL, "a chat request");
        }
        const choice = completion.choices[0];
        const usage = completion.usage;
        return {
          content: choice?.message?.content ?? null,
          refusal: choice?.message?.refusal ?? null,
          finishReason: choice?.finish_reason ?? null,
          usage: {
            prompt_tokens: usage?.prompt_tokens ?? 0,
            completion_tokens: usage?.completion_tokens ?? 0,
            total_tokens: usage?.total_tokens ?? 0,
            ...(usage?.prompt_tokens_details?.cached_tokens ? { cached_tokens: usage.prompt_tokens_details.cached_tokens } : {}),
          },
        };
      } catch (error) {
        throw classifyApiError(error, { baseURL, model: request.model });
      }
    },
  };
}

/**
 * Faults that no retry can fix stop the whole run (exit 3) instead of failing every item;
 * everything else is returned as is and recorded on the item.
 */
export function classifyApiError(error: unknown, context: { baseURL: string; model: string }): unknown {
  if (error instanceof OpenAI.APIUserAbortError || error instanceof CliError) return error;
  const unreachable = error instanceof OpenAI.APIError ? error.headers?.get(UNREACHABLE_HEADER) : undefined;
  if (unreachable) {
    return new CliError(`cannot reach the API at ${context.baseURL}: ${unreachable}`, {
      exitCode: ExitCode.dependency,
      hint: "check --base-url / OPENAI_BASE_URL and that the server is running",
    });
  }
  // The SDK parses a JSON content type it was given; a body that is not JSON ends up here.
  if (error instanceof SyntaxError) return notApiReply(context.baseURL, "a request");
  if (error instanceof OpenAI.AuthenticationError || error instanceof OpenAI.PermissionDeniedError) {
    return new CliError(`the API refused the key (${error.status}): ${apiMessage(error)}`, {
      exitCode: ExitCode.dependency,
      hint: "check OPENAI_API_KEY (and OPENAI_BASE_URL if you use another provider)",
    });
  }
  if (error instanceof OpenAI.NotFoundError) {
    return new CliError(`model "${context.model}" was not found at ${context.baseURL} (404): ${apiMessage(error)}`, {
      exitCode: ExitCode.dependency,
      hint: "check --model, and --base-url / OPENAI_BASE_URL",
    });
  }
  if (error instanceof OpenAI.APIConnectionError && UNREACHABLE.has(causeCode(error) ?? "")) {
    return new CliError(`cannot reach the API at ${context.baseURL}: ${causeCode(error)}`, {
      exitCode: ExitCode.dependency,
      hint: "check --base-url / OPENAI_BASE_URL and that the server is running",
    });
  }
  return error;
}

function apiMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === "string" ? body.message : describeError(error);
}

/**
 * Connection errors that mean "nothing is there" (the SDK has already retried them). A reset or
 * dropped socket under load is not among them: it stays the item's error and the run goes on.
 */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"]);

/** The system error code somewhere down the cause chain (fetch wraps it: "fetch failed" <- ECONNREFUSED). */
function causeCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && code.length > 0) return code;
    current = cause;
  }
  return undefined;
}

/** A one-line description of an API failure recorded on an item, with anything key-like redacted. */
export function describeApiError(error: unknown): string {
  return redactSecrets(describeApiFailure(error));
}

function describeApiFailure(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return "request timed out (after the SDK's retries)";
  if (error instanceof OpenAI.APIConnectionError) return `connection failed (after the SDK's retries): ${causeCode(error) ?? describeError(error)}`;
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return `API error ${error.status}: ${apiMessage(error)}`;
  }
  return describeError(error);
}
