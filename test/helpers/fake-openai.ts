/**
 * A loopback fake of the OpenAI HTTP API (chat completions, models, files, fine-tuning) that the real
 * `openai` SDK talks to through `baseURL`. Scripted replies and faults, recorded requests.
 */
export { startFakeOpenAI, DEFAULT_MODELS } from "./fake-openai/server.js";
export { promptText, estimateTokens } from "./fake-openai/chat.js";
export type {
  ChatCompletionRequestBody,
  FakeCompletionReply,
  FakeDestroyReply,
  FakeFaultReply,
  FakeFineTuneOptions,
  FakeFineTuningJob,
  FakeHangReply,
  FakeOpenAI,
  FakeOpenAIOptions,
  FakeReply,
  FakeUsage,
  MultipartBody,
  MultipartFile,
  RecordedRequest,
  Responder,
  ResponderContext,
  StoredFile,
} from "./fake-openai/types.js";
