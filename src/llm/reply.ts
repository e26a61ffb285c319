import type { ChatReply } from "./client.js";

/** Why a reply cannot be used; undefined for a complete reply with content. */
export interface ReplyProblem {
  kind: "refusal" | "content_filter" | "length" | "empty";
  message: string;
}

/**
 * The one classification of a model's reply, for every caller (generate, fix, judge) and for the
 * cache (only complete replies are stored): a refusal, a provider's content filter, a reply cut
 * off at the token limit, or an empty reply.
 */
export function classifyReply(reply: ChatReply, maxTokens: number): ReplyProblem | undefined {
  if (reply.refusal) return { kind: "refusal", message: `the model refused: ${reply.refusal}` };
  if (reply.finishReason === "content_filter") return { kind: "content_filter", message: "the reply was withheld by the provider's content filter" };
  if (reply.finishReason === "length") {
    return { kind: "length", message: `the reply was cut off at --max-tokens ${maxTokens} (finish_reason: length); raise --max-tokens` };
  }
  if (!reply.content || reply.content.trim() === "") return { kind: "empty", message: "the model sent an empty reply" };
  return undefined;
}
