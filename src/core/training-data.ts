import { lookupPrice, type PriceTable } from "../llm/prices.js";
import type { CostEstimate, ExportFormat, FinetuneMethod } from "../stage2-schemas.js";

// What OpenAI accepts in fine-tuning files, what a model's training context holds and what
// training costs: shared by `export` (before writing) and `finetune` (before uploading).

/** The export format each OpenAI fine-tuning method trains on. */
export const METHOD_FORMAT: Record<FinetuneMethod, "sft" | "dpo"> = { supervised: "sft", dpo: "dpo" };

/** OpenAI refuses a job whose training file has fewer examples than this. */
export const MIN_TRAINING_EXAMPLES = 10;

// ---- models ------------------------------------------------------------------------------------

export type EncodingName = "o200k_base" | "cl100k_base";

export interface ModelInfo {
  /** The most tokens one training example may hold. */
  contextLimit: number;
  /** USD per million training tokens; undefined when we do not know the price. */
  trainingUsdPerMillion: number | undefined;
  encoding: EncodingName;
  known: boolean;
}

// Training-example context lengths of OpenAI's self-serve fine-tunable models, from the fine-tuning
// guide's token limits (https://platform.openai.com/docs/guides/supervised-fine-tuning), as published
// in 2025; their training prices come from the one price table (src/llm/prices.ts). OpenAI changes
// both (and which models can be fine-tuned at all): the figures are estimates.
const MODELS: Record<string, Omit<ModelInfo, "known" | "trainingUsdPerMillion">> = {
  "gpt-4o-2024-08-06": { contextLimit: 65_536, encoding: "o200k_base" },
  "gpt-4o-mini-2024-07-18": { contextLimit: 65_536, encoding: "o200k_base" },
  "gpt-4.1-2025-04-14": { contextLimit: 65_536, encoding: "o200k_base" },
  "gpt-4.1-mini-2025-04-14": { contextLimit: 65_536, encoding: "o200k_base" },
  "gpt-4.1-nano-2025-04-14": { contextLimit: 65_536, encoding: "o200k_base" },
  "gpt-3.5-turbo-0125": { contextLimit: 16_385, encoding: "cl100k_base" },
};

const ALIASES: Record<string, string> = {
  "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
  "gpt-4.1": "gpt-4.1-2025-04-14",
  "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
  "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
  "gpt-3.5-turbo": "gpt-3.5-turbo-0125",
  "gpt-3.5-turbo-1106": "gpt-3.5-turbo-0125",
};

/** The smallest training context among the models above: a safe bound for a model we do not know. */
export const FALLBACK_CONTEXT_LIMIT = 16_385;

/** What we know of `model`; a fine-tuned `ft:<base>:...` id is looked up by its base model. */
export function lookupModel(model: string, prices?: PriceTable): ModelInfo {
  const base = model.startsWith("ft:") ? (model.split(":")[1] ?? model) : model;
  const info = MODELS[ALIASES[base] ?? base];
  if (info) return { ...info, trainingUsdPerMillion: lookupPrice(model, prices)?.training, known: true };
  return { contextLimit: FALLBACK_CONTEXT_LIMIT, trainingUsdPerMillion: lookupPrice(model, prices)?.training, encoding: "o200k_base", known: false };
}

// ---- tokens ------------------------------------------------------------------------------------

export interface Tokenizer {
  readonly name: EncodingName;
  count(text: string): number;
}

/** Loads the real BPE encoding of `model` (o200k_base for the GPT-4o and 4.1 families). */
export async function loadTokenizer(model: string): Promise<Tokenizer> {
  const name = lookupModel(model).encoding;
  const encoding =
    name === "cl100k_base" ? await import("gpt-tokenizer/encoding/cl100k_base") : await import("gpt-tokenizer/encoding/o200k_base");
  // Text such as "<|endoftext|>" inside code is ordinary text in a training file, not a special token.
  const options = { disallowedSpecial: new Set<string>() };
  return { name, count: (text) => encoding.countTokens(text, options) };
}

interface MessageLike {
  role?: unknown;
  content?: unknown;
  name?: unknown;
}

/**
 * Tokens of a conversation as OpenAI's cookbook counts them for fine-tuning
 * ("Data preparation and analysis for chat model fine-tuning"): 3 per message, its role and
 * content, 1 more for a name, and 3 that prime the reply.
 */
export function countMessageTokens(messages: readonly MessageLike[], tokenizer: Tokenizer): number {
  let total = 3;
  for (const message of messages) {
    total += 3;
    if (typeof message.role === "string") total += tokenizer.count(message.role);
    total += tokenizer.count(contentText(message.content));
    if (typeof message.name === "string") total += tokenizer.count(message.name) + 1;
  }
  return total;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => (isRecord(part) && typeof part["text"] === "string" ? part["text"] : "")).join("");
}

export interface ExampleTokens {
  /** Every token of the example: what training reads (both answers for a preference pair). */
  total: number;
  /** The longest single sequence (prompt + one answer): what must fit the training context. */
  longest: number;
}

/** Counts a line of any export format; the line must already have passed its format check. */
export function countExampleTokens(example: unknown, format: ExportFormat, tokenizer: Tokenizer): ExampleTokens {
  const line = example as Record<string, unknown>;
  if (format === "sft") {
    const total = countMessageTokens(line["messages"] as MessageLike[], tokenizer);
    return { total, longest: total };
  }
  const prompt = (format === "dpo" ? (line["input"] as { messages: MessageLike[] }).messages : line["prompt"]) as MessageLike[];
  const better = (format === "dpo" ? line["preferred_output"] : line["chosen"]) as MessageLike[];
  const worse = (format === "dpo" ? line["non_preferred_output"] : line["rejected"]) as MessageLike[];
  const withBetter = countMessageTokens([...prompt, ...better], tokenizer);
  const withWorse = countMessageTokens([...prompt, ...worse], tokenizer);
  const promptOnly = countMessageTokens(prompt, tokenizer);
  return { total: withBetter + withWorse - promptOnly, longest: Math.max(withBetter, withWorse) };
}

// ---- cost --------------------------------------------------------------------------------------

/**
 * The epochs OpenAI picks for `n_epochs: "auto"`, as its cookbook describes it: 3, raised for
 * small datasets towards 100 examples seen (at most 25 epochs), lowered above 25,000.
 */
export function autoEpochs(trainingExamples: number): number {
  if (trainingExamples <= 0) return 3;
  if (trainingExamples * 3 < 100) return Math.min(25, Math.floor(100 / trainingExamples));
  if (trainingExamples * 3 > 25_000) return Math.max(1, Math.floor(25_000 / trainingExamples));
  return 3;
}

/** An estimated training bill, or null when the model's price is unknown. */
export function estimateTrainingCost(
  model: string,
  trainingTokensPerEpoch: number,
  trainingExamples: number,
  epochs: number | undefined,
  prices?: PriceTable,
): CostEstimate | null {
  const price = lookupModel(model, prices).trainingUsdPerMillion;
  if (price === undefined) return null;
  const usedEpochs = epochs ?? autoEpochs(trainingExamples);
  const billed = trainingTokensPerEpoch * usedEpochs;
  return {
    model,
    usd_per_million_training_tokens: price,
    epochs: usedEpochs,
    epochs_source: epochs === undefined ? "auto" : "given",
    billed_tokens: billed,
    usd: Math.round((billed / 1_000_000) * price * 10_000) / 10_000,
  };
}

// ---- format checks -----------------------------------------------------------------------------

// The checks OpenAI applies to training files (its fine-tuning guide and the cookbook's format
// validation): a line is a JSON object; messages have a known role and string (or text/image part)
// content; an SFT example ends with an assistant message; a preference pair has one assistant
// message on each side.
const MESSAGE_KEYS = new Set(["role", "content", "name", "weight", "tool_calls", "tool_call_id", "function_call", "refusal"]);
const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkContent(content: unknown, where: string, role: unknown): string[] {
  if (typeof content === "string") return content.length === 0 ? [`${where}: content is empty`] : [];
  if (Array.isArray(content)) {
    if (content.length === 0) return [`${where}: content is an empty list`];
    const problems: string[] = [];
    content.forEach((part, i) => {
      const ok =
        isRecord(part) &&
        ((part["type"] === "text" && typeof part["text"] === "string") ||
          (part["type"] === "image_url" && isRecord(part["image_url"]) && role === "user"));
      if (!ok) problems.push(`${where}: content[${i}] is not a text part ({"type": "text", "text": "..."})`);
    });
    return problems;
  }
  return [`${where}: content must be a string, got ${content === null ? "null" : typeof content}`];
}

function checkMessage(message: unknown, where: string): string[] {
  if (!isRecord(message)) return [`${where} is not an object`];
  const problems: string[] = [];
  const unknown = Object.keys(message).filter((key) => !MESSAGE_KEYS.has(key));
  if (unknown.length > 0) problems.push(`${where} has unrecognised key(s) ${unknown.join(", ")}`);
  const role = message["role"];
  if (typeof role !== "string" || !ROLES.has(role)) problems.push(`${where} has an invalid role ${JSON.stringify(role ?? null)}`);
  const callsTools = message["tool_calls"] !== undefined || message["function_call"] !== undefined;
  if (!(role === "assistant" && callsTools && (message["content"] === undefined || message["content"] === null))) {
    problems.push(...checkContent(message["content"], where, role));
  }
  const weight = message["weight"];
  if (weight !== undefined && weight !== 0 && weight !== 1) problems.push(`${where}: weight must be 0 or 1`);
  return problems;
}

function checkMessages(messages: unknown, where: string): string[] {
  if (!Array.isArray(messages)) return [`${where} is missing or not a list`];
  if (messages.length === 0) return [`${where} is empty`];
  return messages.flatMap((message, i) => checkMessage(message, `${where}[${i}]`));
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[]): string[] {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  return unknown.length > 0 ? [`unrecognised key(s) ${unknown.join(", ")}`] : [];
}

/** Problems of one line of OpenAI's chat (supervised) format; empty when it is valid. */
export function checkChatExample(example: unknown): string[] {
  if (!isRecord(example)) return ["not a JSON object"];
  const problems = checkKeys(example, ["messages", "tools", "functions", "parallel_tool_calls"]);
  const messages = example["messages"];
  problems.push(...checkMessages(messages, "messages"));
  if (Array.isArray(messages) && messages.length > 0) {
    const last: unknown = messages[messages.length - 1];
    if (!isRecord(last) || last["role"] !== "assistant") problems.push("the last message is not an assistant message");
  }
  return problems;
}

function checkPreferenceSide(side: unknown, where: string): string[] {
  if (!Array.isArray(side) || side.length !== 1) return [`${where} must hold exactly one assistant message`];
  const problems = checkMessage(side[0], `${where}[0]`);
  const message: unknown = side[0];
  if (isRecord(message) && message["role"] !== "assistant") problems.push(`${where}[0] is not an assistant message`);
  if (isRecord(message) && typeof message["content"] !== "string") problems.push(`${where}[0]: content must be a string`);
  return problems;
}

function checkPreferencePair(prompt: unknown, promptWhere: string, better: unknown, worse: unknown, names: [string, string]): string[] {
  const problems = checkMessages(prompt, promptWhere);
  if (Array.isArray(prompt) && prompt.length > 0) {
    const last: unknown = prompt[prompt.length - 1];
    if (!isRecord(last) || last["role"] !== "user") problems.push(`${promptWhere} must end with a user message`);
  }
  problems.push(...checkPreferenceSide(better, names[0]), ...checkPreferenceSide(worse, names[1]));
  if (problems.length === 0 && JSON.stringify(better) === JSON.stringify(worse)) {
    problems.push(`${names[0]} and ${names[1]} are identical`);
  }
  return problems;
}

/** Problems of one line of OpenAI's preference (DPO) format; empty when it is valid. */
export function checkPreferenceExample(example: unknown): string[] {
  if (!isRecord(example)) return ["not a JSON object"];
  const problems = checkKeys(example, ["input", "preferred_output", "non_preferred_output"]);
  const input = example["input"];
  if (!isRecord(input)) return [...problems, "input is missing or not an object"];
  problems.push(...checkKeys(input, ["messages", "tools", "parallel_tool_calls"]).map((p) => `input: ${p}`));
  problems.push(
    ...checkPreferencePair(input["messages"], "input.messages", example["preferred_output"], example["non_preferred_output"], [
      "preferred_output",
      "non_preferred_output",
    ]),
  );
  return problems;
}

/** Problems of one line of TRL's conversational preference format; empty when it is valid. */
export function checkTrlExample(example: unknown): string[] {
  if (!isRecord(example)) return ["not a JSON object"];
  return [
    ...checkKeys(example, ["prompt", "chosen", "rejected"]),
    ...checkPreferencePair(example["prompt"], "prompt", example["chosen"], example["rejected"], ["chosen", "rejected"]),
  ];
}

export const CHECKS: Record<ExportFormat, (example: unknown) => string[]> = {
  sft: checkChatExample,
  dpo: checkPreferenceExample,
  "trl-dpo": checkTrlExample,
};

export interface LineProblem {
  /** 1-based line number in the JSONL file. */
  line: number;
  message: string;
}

/** Parses JSON Lines (blank lines ignored); a line that is not JSON becomes a problem. */
export function parseJsonl(text: string): { lines: Array<{ line: number; value: unknown }>; problems: LineProblem[] } {
  const lines: Array<{ line: number; value: unknown }> = [];
  const problems: LineProblem[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      lines.push({ line: i + 1, value: JSON.parse(raw) });
    } catch {
      problems.push({ line: i + 1, message: "not valid JSON" });
    }
  });
  return { lines, problems };
}

/** One line for a list of problems: the first few, then how many more. */
export function summarizeProblems(file: string, problems: readonly LineProblem[], shown = 3): string {
  const head = problems.slice(0, shown).map((p) => `line ${p.line}: ${p.message}`);
  const more = problems.length > shown ? `; and ${problems.length - shown} more` : "";
  return `${file}: ${head.join("; ")}${more}`;
}
