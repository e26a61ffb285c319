import fs from "fs-extra";
import { stopsTheRun } from "../errors.js";
import type { Llm } from "../llm/client.js";
import { withSpend, type Meter } from "../llm/meter.js";
import { describeApiError } from "../llm/client.js";
import { extractCodeFrom, missingSections } from "../llm/extract.js";
import { classifyReply } from "../llm/reply.js";
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
  /** What each item's requests cost (rows get cost_usd and cached). */
  meter?: Meter;
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
  /** --max-cost stopped the run before every item finished. */
  budgetStopped: boolean;
}

/** Generates a script for every item; resumable, items in dataset order. */
export async function generateAll(items: DatasetItem[], options: GenerateOptions, deps: GenerateDeps): Promise<GenerateResult> {
  const layout = generateLayout(options.outDir);
  const result = await runItems(items, {
    concurrency: options.concurrency,
    work: async (item, signal) => withSpend(await processItem(item, options, deps.llm, signal), deps.meter?.forItem(item.id)),
    errorRow: (item, error): GenerateRow => ({ prompt_id: item.id, status: "error", error, model: options.model }),
    checkpoint: async (rows) => {
      await writeJsonAtomic(layout.results, generateResultsSchema, rows);
    },
    finish: (rows) => writeSummaries(options.outDir, rows),
    stop: deps.stop,
    abort: deps.abort,
    onRow: deps.onItem,
  });
  return { rows: result.rows, interrupted: result.interrupted, budgetStopped: result.budgetStopped };
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
    ...(outcome.stopped ? { stopped: outcome.stopped } : {}),
    ...(outcome.taken ? { extracted: outcome.taken } : {}),
    finish_reason: outcome.finishReason,
    model: options.model,
    usage: outcome.usage,
    elapsed_ms: Date.now() - started,
  };
  if (outcome.status === "error") {
    // An item in error keeps its dialogue (what the model said is how the user finds out why) but
    // no code file, so that it is not taken for finished and the next run tries it again.
    await fs.remove(layout.code(item.id));
  } else {
    await writeTextAtomic(layout.code(item.id), outcome.code);
    await writePromptRecord(layout.promptRecord(item.id), item.prompt);
  }
  // The dialogue is written last: an item counts as finished only when both files exist.
  await writeJsonAtomic(layout.dialogue(item.id), dialogueSchema, toDialogue(outcome.messages));
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
  /** Why the corrective retries ended before --docstring-retries was used up. */
  stopped?: "repeated_reply";
  /** Which part of the last reply the code came from. */
  taken?: string;
}

async function converse(item: DatasetItem, options: GenerateOptions, llm: Llm, signal: AbortSignal): Promise<Conversation> {
  const messages = buildGenerationMessages(item.prompt);
  const usage = emptyUsage();
  let answers = 0;
  let finishReason: string | null = null;
  const failed = (error: string): Conversation => ({ status: "error", code: "", messages, answers, finishReason, usage, error });

  // The code of every answer so far: at temperature 0 a model often sends the same reply again.
  const earlier = new Set<string>();

  for (;;) {
    let reply;
    try {
      reply = await llm.chat({
        model: options.model,
        purpose: answers === 0 ? "generate" : "docstring-retry",
        item: item.id,
        messages,
        temperature: options.temperature,
        maxTokens: options.maxTokens,
        signal,
      });
    } catch (error) {
      if (stopsTheRun(error) || signal.aborted) throw error;
      return failed(describeApiError(error));
    }
    answers += 1;
    addUsage(usage, reply.usage);
    finishReason = reply.finishReason;
    // Whatever the model said stays in the dialogue, also when it is not usable.
    if (reply.content) messages.push({ role: "assistant", content: reply.content });
    const problem = classifyReply(reply, options.maxTokens);
    if (problem || !reply.content) return failed(problem?.message ?? "the model sent an empty reply");

    const { code, taken } = extractCodeFrom(reply.content);
    const missing = missingSections(code);
    const answered = { code, messages, answers, finishReason, usage, taken };
    if (missing.length === 0) return { status: "success", ...answered };
    if (earlier.has(code)) return { status: "fail_docstring", ...answered, stopped: "repeated_reply" };
    if (answers > options.docstringRetries) return { status: "fail_docstring", ...answered };
    earlier.add(code);
    messages.push(buildDocstringCorrection(missing));
  }
}

/** all_dialogues.json (streamed from the per-item files, errors included) and missing_docstrings.txt. */
async function writeSummaries(outDir: string, rows: GenerateRow[]): Promise<void> {
  const layout = generateLayout(outDir);
  async function* dialogues() {
    for (const row of rows) {
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
