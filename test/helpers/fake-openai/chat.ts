import type { ChatCompletion, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { FakeHttpError, nowSeconds, randomId } from "./http.js";
import type {
  ChatCompletionRequestBody,
  FakeCompletionReply,
  FakeFaultReply,
  FakeReply,
  FakeUsage,
} from "./types.js";

export function isHang(reply: FakeReply): reply is { hang: true } {
  return "hang" in reply && reply.hang;
}

export function isDestroy(reply: FakeReply): reply is { destroy: true; delayMs?: number } {
  return "destroy" in reply && reply.destroy;
}

export function isFault(reply: FakeReply): reply is FakeFaultReply {
  return "status" in reply;
}

/** The text of one message, or of every message of a request joined by newlines; parts without text are skipped. */
export function promptText(source: ChatCompletionRequestBody | ChatCompletionMessageParam): string {
  if (!("messages" in source)) return contentText(source.content);
  const messages: readonly unknown[] = Array.isArray(source.messages) ? source.messages : [];
  return messages.map((message) => contentText((message as { content?: unknown }).content)).join("\n");
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => {
      const text = (part as { text?: unknown } | null)?.text;
      return typeof text === "string" ? text : "";
    })
    .join("");
}

/** About four characters a token, as OpenAI's rule of thumb for English. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** 400 for a body the real API would reject before it reached a model. */
export function validateChatRequest(body: unknown): ChatCompletionRequestBody {
  const candidate = body as Partial<ChatCompletionRequestBody> | null;
  if (typeof candidate?.model !== "string" || candidate.model === "") {
    throw new FakeHttpError(400, "you must provide a model parameter", { param: "model" });
  }
  if (!Array.isArray(candidate.messages) || candidate.messages.length === 0) {
    throw new FakeHttpError(400, "'messages' must contain at least one message.", { param: "messages" });
  }
  if (candidate.stream === true) {
    throw new FakeHttpError(400, "The fake OpenAI server does not support stream: true.", { param: "stream" });
  }
  return candidate as ChatCompletionRequestBody;
}

export function buildCompletion(request: ChatCompletionRequestBody, reply: FakeCompletionReply): ChatCompletion {
  const refusal = reply.refusal ?? null;
  const usage = reply.usage ?? {
    // Chat formatting costs a few tokens per message on top of the text.
    prompt_tokens: estimateTokens(promptText(request)) + 4 * request.messages.length,
    completion_tokens: estimateTokens(reply.content ?? refusal ?? ""),
  };
  return {
    id: `chatcmpl-${randomId(29)}`,
    object: "chat.completion",
    created: nowSeconds(),
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: reply.content, refusal, annotations: [] },
        logprobs: null,
        finish_reason: reply.finishReason ?? "stop",
      },
    ],
    usage: completeUsage(usage),
    service_tier: "default",
    system_fingerprint: "fp_fake0openai",
  };
}

function completeUsage(usage: FakeUsage): NonNullable<ChatCompletion["usage"]> {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const DEFAULT_FAULTS: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: "Invalid request.", type: "invalid_request_error", code: null },
  401: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" },
  403: { message: "You are not allowed to perform this request.", type: "invalid_request_error", code: null },
  404: { message: "The model does not exist or you do not have access to it.", type: "invalid_request_error", code: "model_not_found" },
  408: { message: "Request timed out.", type: "server_error", code: null },
  429: { message: "Rate limit reached for requests. Please try again later.", type: "requests", code: "rate_limit_exceeded" },
  500: { message: "The server had an error while processing your request. Sorry about that!", type: "server_error", code: null },
  502: { message: "Bad gateway.", type: "server_error", code: null },
  503: { message: "The engine is currently overloaded, please try again later.", type: "server_error", code: null },
};

export function faultToError(fault: FakeFaultReply): FakeHttpError {
  const fallback = DEFAULT_FAULTS[fault.status] ?? { message: `Fake error ${fault.status}.`, type: "api_error", code: null };
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = String(fault.retryAfterMs);
  return new FakeHttpError(fault.status, fault.error?.message ?? fallback.message, {
    type: fault.error?.type ?? fallback.type,
    code: fault.error?.code === undefined ? fallback.code : fault.error.code,
    headers,
  });
}
