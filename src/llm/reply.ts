import type { ChatReply } from "./client.js";
import { detectRepetition } from "./extract.js";

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
  if (reply.finishReason === "length") return { kind: "length", message: describeCutOff(reply.content ?? "", maxTokens) };
  if (!reply.content || reply.content.trim() === "") return { kind: "empty", message: "the model sent an empty reply" };
  return undefined;
}

/** Why a reply that hit the token limit is unusable: a loop is not fixed by a larger limit. */
function describeCutOff(content: string, maxTokens: number): string {
  const loop = detectRepetition(content);
  if (loop) {
    const unit = loop.unit.trim().replace(/\s+/g, " ");
    const shown = unit.length > 60 ? `${unit.slice(0, 57)}...` : unit;
    return `the model repeated itself until --max-tokens ${maxTokens} cut it off (${JSON.stringify(shown)} ${loop.times} times); a larger limit will not help`;
  }
  return `the reply was cut off at --max-tokens ${maxTokens} (finish_reason: length); raise --max-tokens`;
}
