import type { PriceTable } from "../llm/prices.js";
import { createHash } from "node:crypto";
import fs from "fs-extra";
import { revisionFindings } from "../analyzers/python-tools.js";
import { CliError, ExitCode, usageError } from "../errors.js";
import { normalizeCode } from "../llm/extract.js";
import { type ChatMessage, type ValidateRow, dialogueSchema, fileLogSchema, fromDialogue, validateResultsSchema } from "../schemas.js";
import { type ExportFormat, type ExportStats, type LeftOutReason, type TokenSummary, exportStatsSchema } from "../stage2-schemas.js";
import { readJsonIfValid, writeJsonAtomic, writeTextAtomic } from "../store/atomic.js";
import { unsafeIdReason } from "../store/ids.js";
import { finetuneLayout, generateLayout, validationLayout } from "../store/layout.js";
import {
  CHECKS,
  MIN_TRAINING_EXAMPLES,
  countExampleTokens,
  estimateTrainingCost,
  lookupModel,
  loadTokenizer,
} from "./training-data.js";

export interface ExportOptions {
  /** The `--out` folder that `generate` and `validate` wrote. */
  outDir: string;
  format: ExportFormat;
  /** Share of the examples held out for validation, chosen by a hash of each id. */
  valFraction: number;
  /** The model to be fine-tuned: its tokenizer, training context and price. */
  model: string;
  /** The config file's prices, over the built-in table. */
  prices?: PriceTable | undefined;
  /** Overrides the model's training context limit, in tokens per example. */
  maxTokens?: number;
}

export interface ExportItem {
  id: string;
  included: boolean;
  split?: "train" | "val";
  tokens?: number;
  reason?: LeftOutReason;
  detail?: string;
}

export interface ExportResult {
  files: { train: string; val: string; stats: string };
  stats: ExportStats;
  /** One entry per validated file, in validation order. */
  items: ExportItem[];
}

interface Candidate {
  id: string;
  example: unknown;
  tokens: number;
}

type Built = { example: unknown; code: string } | { reason: LeftOutReason; detail: string };

/** Turns the passed files of a validate run into fine-tuning data under `<out>/finetune/`. */
export async function exportTrainingData(options: ExportOptions): Promise<ExportResult> {
  const rows = await readValidationResults(options.outDir);
  const tokenizer = await loadTokenizer(options.model);
  const modelInfo = lookupModel(options.model);
  const limit = options.maxTokens ?? modelInfo.contextLimit;
  const forOpenAI = options.format !== "trl-dpo";
  const warnings: string[] = [];
  if (!modelInfo.known && options.maxTokens === undefined) {
    warnings.push(`no training context or price known for ${options.model}: using ${limit} tokens per example and no cost estimate`);
  }

  const items: ExportItem[] = [];
  const candidates: Candidate[] = [];
  const seenCode = new Map<string, string>();
  const formatProblems: string[] = [];
  for (const row of rows) {
    const built = await buildExample(row, options);
    if ("reason" in built) {
      items.push({ id: row.id, included: false, reason: built.reason, detail: built.detail });
      continue;
    }
    const firstWithCode = seenCode.get(built.code);
    if (firstWithCode !== undefined) {
      items.push({ id: row.id, included: false, reason: "duplicate_code", detail: `same final code as ${firstWithCode}` });
      continue;
    }
    const problems = CHECKS[options.format](built.example);
    if (problems.length > 0) {
      formatProblems.push(`${row.id}: ${problems.join(", ")}`);
      continue;
    }
    const tokens = countExampleTokens(built.example, options.format, tokenizer);
    if (tokens.longest > limit) {
      items.push({ id: row.id, included: false, reason: "over_token_limit", detail: `${tokens.longest} tokens > ${limit}` });
      continue;
    }
    seenCode.set(built.code, row.id);
    candidates.push({ id: row.id, example: built.example, tokens: tokens.total });
    items.push({ id: row.id, included: true, tokens: tokens.total });
  }

  if (formatProblems.length > 0) {
    const more = formatProblems.length > 3 ? `; and ${formatProblems.length - 3} more` : "";
    throw usageError(
      `nothing written: ${formatProblems.length} example(s) fail OpenAI's training file checks: ${formatProblems.slice(0, 3).join("; ")}${more}`,
      `fix their generation dialogue or final code under ${options.outDir}, or run generate and validate again`,
    );
  }

  const { valIds, reducedFrom } = chooseValidationIds(
    candidates.map((c) => c.id),
    options.valFraction,
    forOpenAI ? MIN_TRAINING_EXAMPLES : 0,
  );
  if (reducedFrom !== undefined) {
    warnings.push(`validation split reduced from ${reducedFrom} to ${valIds.size} to keep OpenAI's minimum of ${MIN_TRAINING_EXAMPLES} training examples`);
  }
  for (const item of items) if (item.included) item.split = valIds.has(item.id) ? "val" : "train";
  const train = candidates.filter((c) => !valIds.has(c.id));
  const val = candidates.filter((c) => valIds.has(c.id));
  if (forOpenAI && train.length < MIN_TRAINING_EXAMPLES) {
    warnings.push(
      `${train.length} training example(s): OpenAI needs at least ${MIN_TRAINING_EXAMPLES} to start a job, so \`npx codeenhancer finetune\` will refuse`,
    );
  }
  const missing = items.filter((item) => item.reason === "missing_input").length;
  if (missing > 0) warnings.push(`${missing} passed file(s) left out because an input file is missing or malformed (see stats.json)`);

  const layout = finetuneLayout(options.outDir);
  const files = { train: layout.train(options.format), val: layout.val(options.format), stats: layout.stats };
  const stats = buildStats({ options, items, train, val, limit, tokenizerName: tokenizer.name, validated: rows.length, warnings });
  await writeTextAtomic(files.train, toJsonl(train));
  await writeTextAtomic(files.val, toJsonl(val));
  await writeJsonAtomic(files.stats, exportStatsSchema, stats);
  return { files, stats, items };
}

async function readValidationResults(outDir: string): Promise<ValidateRow[]> {
  const file = validationLayout(outDir).results;
  if (!(await fs.pathExists(file))) {
    throw usageError(`no validation results at ${file}`, "run `npx codeenhancer validate` first (with the same --out)");
  }
  const rows = await readJsonIfValid(file, validateResultsSchema);
  if (!rows) throw usageError(`${file} is not a codeenhancer validation results file`, "run `npx codeenhancer validate` again");
  for (const row of rows) {
    // Ids name files under --out: one that could escape it is refused before anything is read.
    const unsafe = unsafeIdReason(row.id);
    if (unsafe) throw usageError(`${file} lists the id ${JSON.stringify(row.id)}, which cannot name a file: ${unsafe}`);
  }
  return rows;
}

async function buildExample(row: ValidateRow, options: ExportOptions): Promise<Built> {
  if (row.status !== "passed") return { reason: "not_passed", detail: row.status };
  // --analyze-only marks clean files "passed" without any judge: not validated code.
  if (row.mode === "analyze-only") return { reason: "not_passed", detail: "validated with --analyze-only: never judged" };
  const validation = validationLayout(options.outDir);
  const generation = generateLayout(options.outDir);
  const finalCode = await readTextIfExists(validation.finalCode(row.id));
  if (finalCode === undefined) return { reason: "missing_input", detail: "no validation/Final_code file" };
  const prompt = await readGenerationPrompt(generation.dialogue(row.id));
  if (!prompt) return { reason: "missing_input", detail: "no generation dialogue starting with its system and user messages" };
  const preferred = { role: "assistant" as const, content: fencePython(finalCode) };
  if (options.format === "sft") return { example: { messages: [...prompt, preferred] }, code: normalizeCode(finalCode) };

  const firstVersion = await readTextIfExists(generation.code(row.id));
  if (firstVersion === undefined) return { reason: "missing_input", detail: "no code/ file with the first generated version" };
  const why = await firstVersionProblem(row, validation.fileLog(row.id));
  if (!why) return { reason: "no_preference", detail: "the first version had no findings and was judged correct" };
  if (normalizeCode(firstVersion) === normalizeCode(finalCode)) {
    return { reason: "identical_versions", detail: "the first version is the final one" };
  }
  const rejected = { role: "assistant" as const, content: fencePython(firstVersion) };
  const example =
    options.format === "dpo"
      ? { input: { messages: prompt }, preferred_output: [preferred], non_preferred_output: [rejected] }
      : { prompt, chosen: [preferred], rejected: [rejected] };
  return { example, code: normalizeCode(finalCode) };
}

/** The messages sent before the model's first answer: the tool's system and user generation messages. */
async function readGenerationPrompt(file: string): Promise<ChatMessage[] | undefined> {
  const dialogue = await readJsonIfValid(file, dialogueSchema);
  if (!dialogue) return undefined;
  const messages = fromDialogue(dialogue);
  const firstAnswer = messages.findIndex((m) => m.role === "assistant");
  const prompt = messages.slice(0, firstAnswer === -1 ? messages.length : firstAnswer);
  return prompt.at(-1)?.role === "user" ? prompt : undefined;
}

/** Why the first version was worse, from attempt 1 of the validation log (the row's counts if the log is gone). */
async function firstVersionProblem(row: ValidateRow, logFile: string): Promise<string | undefined> {
  const log = await readJsonIfValid(logFile, fileLogSchema);
  const first = log?.revisions[0];
  if (!first) return row.initial_findings > 0 ? "findings" : undefined;
  if (revisionFindings(first).length > 0) return "findings";
  if (first.status === "Incorrect") return "judged incorrect";
  return undefined;
}

/** The answer as the model is asked to give it: the script in one fenced python block. */
export function fencePython(code: string): string {
  return `\`\`\`python\n${code.replace(/\s+$/, "")}\n\`\`\``;
}

/** Code compared for duplicates and identical versions: trailing whitespace is not a difference. */
async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`, { exitCode: ExitCode.usage });
  }
}

/**
 * The ids held out for validation: those with the smallest SHA-256, so an id's split depends on
 * the id alone and the share, not on the run. The split never takes the training set below `minTrain`.
 */
export function chooseValidationIds(
  ids: readonly string[],
  fraction: number,
  minTrain: number,
): { valIds: Set<string>; reducedFrom: number | undefined } {
  const wanted = Math.floor(ids.length * fraction);
  const count = Math.min(wanted, Math.max(0, ids.length - minTrain));
  const byHash = [...ids].sort((a, b) => compare(hashId(a), hashId(b)) || compare(a, b));
  return { valIds: new Set(byHash.slice(0, count)), reducedFrom: count < wanted ? wanted : undefined };
}

function hashId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toJsonl(candidates: readonly Candidate[]): string {
  return candidates.map((c) => `${JSON.stringify(c.example)}\n`).join("");
}

function summarize(tokens: readonly number[]): TokenSummary {
  const total = tokens.reduce((sum, n) => sum + n, 0);
  return {
    min: tokens.length ? Math.min(...tokens) : 0,
    max: tokens.length ? Math.max(...tokens) : 0,
    mean: tokens.length ? Math.round((total / tokens.length) * 10) / 10 : 0,
    total,
  };
}

function buildStats(input: {
  options: ExportOptions;
  items: readonly ExportItem[];
  train: readonly Candidate[];
  val: readonly Candidate[];
  limit: number;
  tokenizerName: string;
  validated: number;
  warnings: string[];
}): ExportStats {
  const { options, items, train, val } = input;
  const leftOut = items.filter((item) => !item.included);
  const byReason: Record<string, number> = {};
  for (const item of leftOut) if (item.reason) byReason[item.reason] = (byReason[item.reason] ?? 0) + 1;
  const trainTokens = summarize(train.map((c) => c.tokens));
  const valTokens = summarize(val.map((c) => c.tokens));
  const splitOf = new Map<string, "train" | "val">([...train.map((c) => [c.id, "train"] as const), ...val.map((c) => [c.id, "val"] as const)]);
  const layout = finetuneLayout(options.outDir);
  return {
    format: options.format,
    files: { train: layout.train(options.format), val: layout.val(options.format) },
    model: options.model,
    tokenizer: input.tokenizerName,
    context_limit: input.limit,
    val_fraction: options.valFraction,
    examples: { train: train.length, val: val.length, total: train.length + val.length },
    validated_files: input.validated,
    left_out: {
      total: leftOut.length,
      by_reason: byReason,
      files: leftOut.map((item) => ({ id: item.id, reason: item.reason ?? "missing_input", detail: item.detail ?? "" })),
    },
    tokens: {
      train: trainTokens,
      val: valTokens,
      total: trainTokens.total + valTokens.total,
      per_example: items
        .filter((item) => item.included)
        .map((item) => ({ id: item.id, split: splitOf.get(item.id) ?? "train", tokens: item.tokens ?? 0 })),
    },
    estimated_cost:
      options.format === "trl-dpo" || train.length === 0 ? null : estimateTrainingCost(options.model, trainTokens.total, train.length, undefined, options.prices),
    warnings: input.warnings,
  };
}
