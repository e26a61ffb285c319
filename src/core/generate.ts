import fs from "fs-extra";
import { CliError } from "../errors.js";
import type { Llm } from "../llm/client.js";
import { describeApiError } from "../llm/client.js";
import { extractCode, missingSections } from "../llm/extract.js";
import { buildDocstringCorrection, buildGenerationMessages } from "../llm/prompts.js";
import { syncTestSidecar } from "../sandbox/sidecar.js";
import { writeJsonAtomic, writeTextAtomic } from "../store/atomic.js";
import { generateLayout } from "../store/layout.js";
import { promptUnchanged, writePromptRecord } from "../store/resume.js";
import { writeJsonArrayStreamed } from "../store/stream-json.js";
import {
  addUsage,
  dialogueSchema,
  emptyUsage,
  generateResultsSchema,
  toDialogue,
  type ChatMessage,
  type GenerateRow,
  type Usage,
} from "../schemas.js";
import type { DatasetItem } from "./dataset.js";
import { runItems } from "./run-harness.js";

export interface GenerateOptions {
  outDir: string;
  model: string;
  concurrency: number;
  docstringRetries: number;
  temperature: number;
  maxTokens: number;
  force: boolean;
}

export interface GenerateDeps {
  llm: Llm;
  /** Aborted: start no new item. */
  stop?: AbortSignal;
  /** Aborted: abandon calls in flight. */
  abort?: AbortSignal;
  /** Called once per finished item, in completion order (for --jsonl and progress). */
  onItem?: (row: GenerateRow) => void;
}

export interface GenerateResult {
  /** Finished items in dataset order (an interrupted run lists only what finished). */
  rows: GenerateRow[];
  interrupted: boolean;
  usage: Usage;
}

/** Generates a script for every item; resumable, items in dataset order. */
export async function generateAll(items: DatasetItem[], options: GenerateOptions, deps: GenerateDeps): Promise<GenerateResult> {
  const layout = generateLayout(options.outDir);
  await fs.ensureDir(layout.codeDir);
  const usage = emptyUsage();
  const result = await runItems(items, {
    concurrency: options.concurrency,
    work: (item, signal) => processItem(item, options, deps.llm, signal),
    errorRow: (item, error): GenerateRow => ({ prompt_id: item.id, status: "error", error, model: options.model }),
    checkpoint: (rows) => writeJsonAtomic(layout.results, generateResultsSchema, rows),
    finish: (rows) => writeSummaries(options.outDir, rows),
    stop: deps.stop,
    abort: deps.abort,
    onRow(row) {
      if (row.usage) addUsage(usage, row.usage);
      deps.onItem?.(row);
    },
  });
  return { rows: result.rows, interrupted: result.interrupted, usage };
}

async function processItem(item: DatasetItem, options: GenerateOptions, llm: Llm, signal: AbortSignal): Promise<GenerateRow> {
  const layout = generateLayout(options.outDir);
  // The tests travel with the item to validate, also for items a resumed run skips.
  await syncTestSidecar(options.outDir, item.id, item.tests);
  if (!options.force) {
    const existing = await readFinished(layout.code(item.id), layout.dialogue(item.id));
    // Code made from another prompt (the dataset changed) is not finished.
    if (existing !== undefined && (await promptUnchanged(layout.promptRecord(item.id), item.prompt))) {
      return { prompt_id: item.id, status: "skipped", previous_status: existing };
    }
  }
  const started = Date.now();
  const outcome = await converse(item, options, llm, signal);
  const row: GenerateRow = {
    prompt_id: item.id,
    status: outcome.status,
    ...(outcome.error ? { error: outcome.error } : {}),
    attempts: outcome.answers,
    finish_reason: outcome.finishReason,
    model: options.model,
    usage: outcome.usage,
    elapsed_ms: Date.now() - started,
  };
  if (outcome.status !== "error") {
    // The dialogue is written last: an item counts as finished only when both files exist.
    await writeTextAtomic(layout.code(item.id), outcome.code);
    await writePromptRecord(layout.promptRecord(item.id), item.prompt);
    await writeJsonAtomic(layout.dialogue(item.id), dialogueSchema, toDialogue(outcome.messages));
  }
  return row;
}

/** `success`/`fail_docstring` for a finished item (code and dialogue on disk), else undefined. */
async function readFinished(codeFile: string, dialogueFile: string): Promise<"success" | "fail_docstring" | undefined> {
  const [code, hasDialogue] = await Promise.all([fs.readFile(codeFile, "utf8").catch(() => undefined), fs.pathExists(dialogueFile)]);
  if (code === undefined || !hasDialogue) return undefined;
  return missingSections(code).length === 0 ? "success" : "fail_docstring";
}

interface Conversation {
  status: "success" | "fail_docstring" | "error";
  code: string;
  messages: ChatMessage[];
  answers: number;
  finishReason: string | null;
  usage: Usage;
  error?: string;
}

async function converse(item: DatasetItem, options: GenerateOptions, llm: Llm, signal: AbortSignal): Promise<Conversation> {
  const messages = buildGenerationMessages(item.prompt);
  const usage = emptyUsage();
  let answers = 0;
  let finishReason: string | null = null;
  const failed = (error: string): Conversation => ({ status: "error", code: "", messages, answers, finishReason, usage, error });

  for (;;) {
    let reply;
    try {
      reply = await llm.chat({ model: options.model, messages, temperature: options.temperature, maxTokens: options.maxTokens, signal });
    } catch (error) {
      if (error instanceof CliError || signal.aborted) throw error;
      return failed(describeApiError(error));
    }
    answers += 1;
    addUsage(usage, reply.usage);
    finishReason = reply.finishReason;
    if (reply.refusal) return failed(`the model refused: ${reply.refusal}`);
    if (reply.finishReason === "length") {
      return failed(`the reply was cut off at --max-tokens ${options.maxTokens} (finish_reason: length); raise --max-tokens`);
    }
    if (reply.finishReason === "content_filter") return failed("the reply was withheld by the provider's content filter");
    if (!reply.content || reply.content.trim() === "") return failed("the model sent an empty reply");

    messages.push({ role: "assistant", content: reply.content });
    const code = extractCode(reply.content);
    const missing = missingSections(code);
    if (missing.length === 0) return { status: "success", code, messages, answers, finishReason, usage };
    if (answers > options.docstringRetries) return { status: "fail_docstring", code, messages, answers, finishReason, usage };
    messages.push(buildDocstringCorrection(missing));
  }
}

/** all_dialogues.json (streamed from the per-item files) and missing_docstrings.txt. */
async function writeSummaries(outDir: string, rows: GenerateRow[]): Promise<void> {
  const layout = generateLayout(outDir);
  async function* dialogues() {
    for (const row of rows) {
      if (row.status === "error") continue;
      const text = await fs.readFile(layout.dialogue(row.prompt_id), "utf8").catch(() => undefined);
      if (text === undefined) continue;
      yield JSON.stringify({ prompt_id: row.prompt_id, dialogue: JSON.parse(text) as unknown });
    }
  }
  await writeJsonArrayStreamed(layout.allDialogues, dialogues());
  const missing = rows
    .filter((row) => row.status === "fail_docstring" || row.previous_status === "fail_docstring")
    .map((row) => `${row.prompt_id}\n`);
  await writeTextAtomic(layout.missingDocstrings, missing.join(""));
}
