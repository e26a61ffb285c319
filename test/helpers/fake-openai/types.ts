import type { ChatCompletionCreateParams } from "openai/resources/chat/completions";
import type { FineTuningJob } from "openai/resources/fine-tuning/jobs";

/** The body of a chat completion request as the SDK sends it (parsed from the wire, unvalidated). */
export type ChatCompletionRequestBody = ChatCompletionCreateParams;

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

/** A normal `chat.completion` reply. */
export interface FakeCompletionReply {
  content: string | null;
  finishReason?: "stop" | "length" | "content_filter";
  refusal?: string | null;
  /** Defaults to a rough estimate from the text lengths (about 4 characters a token). */
  usage?: FakeUsage;
  delayMs?: number;
}

/** An HTTP error with an OpenAI-style `{error: {...}}` body. */
export interface FakeFaultReply {
  status: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Milliseconds, sent as `retry-after-ms` (the SDK prefers it over `Retry-After`). */
  retryAfterMs?: number;
  /** Defaults to a realistic error for the status. */
  error?: { message: string; type?: string; code?: string | null };
  delayMs?: number;
}

/** Never answer: the connection stays open until the client gives up or the server closes. */
export interface FakeHangReply {
  hang: true;
}

/** Destroy the socket without answering. */
export interface FakeDestroyReply {
  destroy: true;
  delayMs?: number;
}

export type FakeReply = FakeCompletionReply | FakeFaultReply | FakeHangReply | FakeDestroyReply;

export interface ResponderContext {
  /** 0-based index of this call among all chat completion requests the server received, retries included. */
  callIndex: number;
  /** How many HTTP requests (any route) the server has recorded, this one included. */
  requestsSoFar: number;
}

export type Responder = (
  request: ChatCompletionRequestBody,
  ctx: ResponderContext,
) => FakeReply | Promise<FakeReply>;

export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  bytes: number;
  /** Decoded as UTF-8. */
  content: string;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: MultipartFile[];
}

export interface RecordedRequest {
  method: string;
  /** The URL path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON, a {@link MultipartBody} for multipart/form-data, the raw text otherwise, or null when empty. */
  body: unknown;
}

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  createdAt: number;
  /** Decoded as UTF-8. */
  content: string;
}

/** OpenAI's job shape plus the suffix it was created with (the API reports it as `user_provided_suffix`). */
export type FakeFineTuningJob = FineTuningJob & { suffix: string | null; user_provided_suffix: string | null };

export interface FakeFineTuneOptions {
  /** Retrievals (`GET /v1/fine_tuning/jobs/:id`) until the job ends; default 3 (queued, running, done). 0 ends it at creation. */
  stepsToFinish?: number;
  /** Also advance one step per this many milliseconds since creation, whichever is further along. */
  stepIntervalMs?: number;
  /** Every job ends "failed" with this error instead of succeeding. */
  fail?: { code: string; message: string };
  /** Every create is refused, e.g. `{ status: 403, message: "fine-tuning not available" }`. */
  refuseCreate?: { status: number; message: string };
  /** Every events listing fails with this status (a provider without, or with a broken, events API). */
  failEvents?: number;
  /** The owner segment of `ft:<model>:<owner>:<suffix>:<id>`; default "personal". */
  owner?: string;
}

export interface FakeOpenAIOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  responder?: Responder;
  /** Added before every response. */
  latencyMs?: number;
  /** Default ["gpt-4o", "gpt-4o-2024-08-06", "gpt-4o-mini"]; fine-tuned models are added as jobs succeed. */
  models?: string[];
  /** Answer 404 model_not_found to a chat completion for a model that is not listed. */
  rejectUnknownModels?: boolean;
  /** When set, every request must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  fineTune?: FakeFineTuneOptions;
}

export interface FakeOpenAI {
  /** The base URL to give the SDK, e.g. `http://127.0.0.1:43210/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  readonly files: readonly StoredFile[];
  readonly jobs: readonly FakeFineTuningJob[];
  /** Chat completion requests received, retries included. */
  readonly chatCallCount: number;
  /** Chat completion requests received but not yet answered. */
  readonly inFlight: number;
  /** The highest {@link inFlight} seen since start or the last reset. */
  readonly maxInFlight: number;
  /** The bodies of the chat completion requests, in arrival order. */
  chatRequests(): ChatCompletionRequestBody[];
  setResponder(responder: Responder): void;
  /** Replies used first-in first-out before the responder is asked. */
  enqueue(...replies: FakeReply[]): void;
  /** Forget requests, counters, queued replies, files and jobs, and restore the responder from the options. */
  reset(): void;
  close(): Promise<void>;
}
