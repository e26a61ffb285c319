import path from "node:path";
import fs from "fs-extra";
import pLimit, { type LimitFunction } from "p-limit";
import { findingsByCwe, findingsByRule } from "../analyzers/count.js";
import type { AnalyzeFile, FileAnalysis } from "../analyzers/finding.js";
import { revisionFindings, seedLogFields } from "../analyzers/python-tools.js";
import { ItemWithdrawnError, describeError, stopsTheRun } from "../errors.js";
import type { ChatPurpose, ChatReply, Llm } from "../llm/client.js";
import { withSpend, type Meter } from "../llm/meter.js";
import { classifyReply } from "../llm/reply.js";
import { describeApiError } from "../llm/client.js";
import { buildFixPrompt, buildJudgePrompt, buildTestFixPrompt, buildValidationMessages, type Specification } from "../llm/prompts.js";
import type { TestRun, TestSpec } from "../sandbox/types.js";
import { readJsonIfValid, writeJsonAtomic, writeTextAtomic } from "../store/atomic.js";
import { readRegularFile } from "../store/input-files.js";
import { logMatches, sha256Hex } from "../store/resume.js";
import { validationLayout } from "../store/layout.js";
import { writeJsonArrayStreamed } from "../store/stream-json.js";
import {
  addUsage,
  emptyUsage,
  fileLogSchema,
  unresolvedSchema,
  validateResultsSchema,
  type FileLog,
  type Revision,
  type TestCount,
  type ValidateRow,
} from "../schemas.js";
import { runItems } from "./run-harness.js";
import { docstringLineCount, joinDocstring, splitDocstring } from "./docstring.js";
import { compareCandidate, precheckCandidate } from "./fix-policy.js";
import {
  advance,
  describeRun,
  nextAction,
  startMachine,
  type Action,
  type CandidateGate,
  type JudgeMode,
  type MachineConfig,
  type MachineEvent,
  type MachineRevision,
} from "./validate-machine.js";

/** What each of the machine's requests is for, as the model client names it (cost breakdown, cache, logs). */
const CHAT_PURPOSE: Record<Extract<Action, { kind: "ask" }>["purpose"], ChatPurpose> = {
  "fix-findings": "fix",
  "fix-tests": "test-fix",
  judge: "judge",
};

export interface ValidateOptions {
  outDir: string;
  model: string;
  concurrency: number;
  maxAttempts: number;
  temperature: number;
  maxTokens: number;
  force: boolean;
  /** Analyzers only, no model: an audit of any folder of Python files. */
  analyzeOnly: boolean;
  /** When the LLM judge runs: `auto` for files without tests. */
  judge: JudgeMode;
  /** Hash of the options that change a verdict: a log made with others is redone. */
  settingsHash?: string;
}

export interface ValidateDeps {
  /** Required unless analyzeOnly. */
  llm?: Llm;
  /** What each file's requests cost (rows get cost_usd and cached). */
  meter?: Meter;
  analyze: AnalyzeFile;
  /** Runs a version's code against a file's tests in the sandbox; required when a file has tests. */
  runTests?: (code: string, spec: TestSpec, signal: AbortSignal) => Promise<TestRun>;
  /** The dataset's prompt for an id: what a file without a docstring is judged against. */
  findPrompt?: (id: string) => Promise<string | undefined>;
  stop?: AbortSignal;
  abort?: AbortSignal;
  onFile?: (row: ValidateRow) => void;
}

export interface ValidateResult {
  rows: ValidateRow[];
  interrupted: boolean;
  /** --max-cost stopped the run before every file finished. */
  budgetStopped: boolean;
  total: number;
}

export interface SourceFile {
  id: string;
  file: string;
  /** The item's unit tests (a sidecar from generate, or --dataset). */
  tests?: TestSpec;
  /** The most bytes read from the file (--max-file-size). */
  maxBytes?: number;
}

/** The `.py` files of a folder, by file name. */
export async function listPythonFiles(dir: string): Promise<SourceFile[]> {
  const names = (await fs.readdir(dir)).filter((name) => name.endsWith(".py")).sort();
  return names.map((name) => ({ id: name.slice(0, -3), file: path.join(dir, name) }));
}

/**
 * Files in progress beyond `concurrency`: their analysis and tests run while the model calls of
 * the others are awaited, and the analyzers that work in batches (Semgrep) get larger batches.
 */
export const FILES_AHEAD = 64;

export async function validateAll(files: SourceFile[], options: ValidateOptions, deps: ValidateDeps): Promise<ValidateResult> {
  const layout = validationLayout(options.outDir);
  const mode = options.analyzeOnly ? "analyze-only" : "validate";
  // --concurrency bounds the model calls in flight; files do their analyzer and test work ahead of it.
  const modelSlots = pLimit(options.concurrency);
  const result = await runItems(files, {
    concurrency: options.concurrency + FILES_AHEAD,
    async work(source, signal) {
      const previous = options.force ? undefined : await readJsonIfValid(layout.fileLog(source.id), fileLogSchema);
      // Files that ended in error (API or analyzer failure) are tried again, like generate's.
      // A log counts only for the same input bytes and verdict-changing options; a file validated
      // without tests is validated again once it has some (e.g. a later --dataset).
      const testsMissing = source.tests !== undefined && !options.analyzeOnly && !previous?.revisions.some((revision) => revision.tests);
      if (
        previous &&
        previous.mode === mode &&
        previous.status !== "error" &&
        !testsMissing &&
        logMatches(previous, await readRegularFile(source.file, source.maxBytes), options.settingsHash) &&
        (await fs.pathExists(layout.finalCode(source.id)))
      ) {
        return { ...rowFromLog(source.id, previous), skipped: true };
      }
      return withSpend(await validateFile(source, options, deps, signal, modelSlots), deps.meter?.forItem(source.id));
    },
    errorRow: (source, error) => errorRow(source.id, error, mode),
    checkpoint: async (rows) => {
      await writeJsonAtomic(layout.results, validateResultsSchema, rows);
    },
    finish: (rows) => writeSummaries(options.outDir, rows),
    stop: deps.stop,
    abort: deps.abort,
    onRow: deps.onFile,
  });
  return { rows: result.rows, interrupted: result.interrupted, budgetStopped: result.budgetStopped, total: files.length };
}

function errorRow(id: string, error: string, mode: ValidateRow["mode"]): ValidateRow {
  return {
    id,
    status: "error",
    attempts: 0,
    initial_findings: 0,
    final_findings: 0,
    initial_by_rule: {},
    final_by_rule: {},
    initial_by_cwe: {},
    final_by_cwe: {},
    verdict: null,
    initial_tests: null,
    final_tests: null,
    mode,
    error,
  };
}

/** The bounded refinement loop for one file: drives the state machine of validate-machine.ts. */
async function validateFile(source: SourceFile, options: ValidateOptions, deps: ValidateDeps, signal: AbortSignal, modelSlots: LimitFunction): Promise<ValidateRow> {
  const layout = validationLayout(options.outDir);
  const started = Date.now();
  const original = await readRegularFile(source.file, source.maxBytes);
  const { docstring, body, bodyLine, templated } = splitDocstring(original.toString("utf8"));
  const usage = emptyUsage();
  const mode = options.analyzeOnly ? "analyze-only" : "validate";
  const filename = path.basename(source.file);
  // Without a docstring the code is held to the dataset's prompt when it is known (issue 14 item 5).
  const prompt = templated && !options.analyzeOnly ? await deps.findPrompt?.(source.id) : undefined;
  const spec: Specification | null = !templated ? { kind: "docstring", text: docstring } : prompt ? { kind: "task", text: prompt } : null;
  const tests = options.analyzeOnly ? undefined : source.tests;

  // The file as given stays byte for byte what it was (line numbers, docstring and all) while the
  // model has not changed it; a changed version is the docstring on top of the model's body.
  const contentOf = (version: string): string | Buffer => (version === body ? original : joinDocstring(docstring, version));
  // Each version checked is kept as attempt_<n>/<id>_attempt_<n>.py and analyzed and tested from there.
  const written = new Map<number, string>();
  const writeAttempt = async (version: string, attempt: number): Promise<string> => {
    const file = layout.attempt(source.id, attempt);
    if (written.get(attempt) !== version) await writeTextAtomic(file, contentOf(version));
    written.set(attempt, version);
    return file;
  };

  // Each revision's model call, by the revision's index: its tokens and whether the cache answered it.
  const replies = new Map<number, Pick<ChatReply, "usage" | "cached">>();
  const ask = async (prompt: string, purpose: ChatPurpose, revision: number): Promise<MachineEvent> => {
    const llm = deps.llm;
    if (!llm) throw new Error("validate needs a model unless --analyze-only");
    try {
      const reply = await modelSlots(() => {
        // Ctrl-C came before this file's first call: it leaves nothing that counts; the next run does it.
        if (replies.size === 0 && deps.stop?.aborted) throw new ItemWithdrawnError();
        return llm.chat({
          model: options.model,
          purpose,
          item: source.id,
          messages: buildValidationMessages(prompt),
          temperature: options.temperature,
          maxTokens: options.maxTokens,
          signal,
        });
      });
      addUsage(usage, reply.usage);
      replies.set(revision, reply);
      // The same classification as generate's: refused, filtered, cut off (or looping), empty.
      const failure = classifyReply(reply, options.maxTokens)?.message;
      return { kind: "replied", prompt, content: reply.content ?? "", failure };
    } catch (err) {
      if (stopsTheRun(err) || signal.aborted) throw err;
      return { kind: "llm-error", prompt, message: describeApiError(err) };
    }
  };

  const promptFor = (action: Extract<Action, { kind: "ask" }>): string => {
    if (action.purpose === "judge") return buildJudgePrompt(spec ?? { kind: "docstring", text: docstring }, action.body);
    if (action.purpose === "fix-tests") {
      return buildTestFixPrompt({ spec, body: action.body, summary: describeRun(action.tests), output: action.tests?.output ?? "", previousRejection: action.rejection });
    }
    return buildFixPrompt({
      docstring,
      body: action.body,
      findings: action.analysis.findings,
      bodyLineOffset: action.body === body ? bodyLine - 1 : docstringLineCount(docstring),
      previousRejection: action.rejection,
    });
  };

  const perform = async (action: Exclude<Action, { kind: "finish" }>, revision: number): Promise<MachineEvent> => {
    if (action.kind === "analyze") return { kind: "analyzed", analysis: await deps.analyze(await writeAttempt(action.body, action.attempt)) };
    // A model call belongs to the revision open when it is made (the machine records it there).
    if (action.kind === "ask") return ask(promptFor(action), CHAT_PURPOSE[action.purpose], revision);
    await writeAttempt(action.body, action.attempt);
    if (!tests || !deps.runTests) throw new Error("validate: tests requested for a file without tests or a sandbox");
    const code = contentOf(action.body);
    try {
      return { kind: "tested", run: await deps.runTests(typeof code === "string" ? code : code.toString("utf8"), tests, signal) };
    } catch (err) {
      if (stopsTheRun(err) || signal.aborted) throw err;
      return { kind: "test-error", message: describeError(err) };
    }
  };

  const config: MachineConfig = {
    maxAttempts: options.maxAttempts,
    analyzeOnly: options.analyzeOnly,
    hasTests: tests !== undefined,
    judge: options.judge,
    canJudge: spec !== null,
    gate: GATE,
  };
  let state = startMachine(config, body);
  let action = nextAction(state);
  while (action.kind !== "finish") {
    state = advance(state, await perform(action, state.revisions.length - 1));
    action = nextAction(state);
  }

  // A version carried over to the next attempt is written there too, so attempt_<n> is what attempt n checked.
  for (const revision of state.revisions) await writeAttempt(revision.body, revision.attempt);
  // A candidate refused in the last attempt must not linger as if it had been checked.
  await fs.remove(layout.attempt(source.id, state.revisions.length + 1));
  const final = state.revisions[state.revisions.length - 1];
  await writeTextAtomic(layout.finalCode(source.id), contentOf(final?.body ?? body));
  const log: FileLog = {
    filename,
    status: action.status,
    revisions: state.revisions.map((revision, index) => toRevision(revision, replies.get(index))),
    mode,
    model: options.analyzeOnly ? null : options.model,
    error: action.error,
    input_sha256: sha256Hex(original),
    settings_sha256: options.settingsHash ?? null,
  };
  await writeJsonAtomic(layout.fileLog(source.id), fileLogSchema, log);
  return {
    ...rowFromLog(source.id, log, { initial: state.revisions[0]?.analysis, final: final?.analysis, verdict: action.verdict }),
    usage,
    elapsed_ms: Date.now() - started,
  };
}

const GATE: CandidateGate = { precheck: precheckCandidate, compare: compareCandidate };

/** A log revision; one that asked the model says whether its reply came from the response cache (and its tokens). */
function toRevision(revision: MachineRevision, reply: Pick<ChatReply, "usage" | "cached"> | undefined): Revision {
  const fixFindings = revision.request === "fix-findings";
  return {
    attempt: revision.attempt,
    // The seed's fields, in Pylint's and Bandit's own shapes, beside every analyzer's findings.
    ...seedLogFields(revision.analysis.raw),
    analyzer_error: revision.analysis.error,
    findings: revision.analysis.findings,
    sast_prompt: fixFindings ? revision.prompt : null,
    sast_response: fixFindings ? revision.response : null,
    // The judge and fix requests for failing tests are both about what the code does.
    functional_prompt: fixFindings ? null : revision.prompt,
    functional_response: fixFindings ? null : revision.response,
    status: revision.status,
    note: revision.note,
    tests: revision.tests,
    ...(reply ? { usage: reply.usage } : {}),
    ...(revision.request ? { cached: reply?.cached === true } : {}),
    ...(revision.finalCheck ? { final_check: true } : {}),
  };
}

const countOf = (run: TestRun | null | undefined): TestCount | null => (run ? { passed: run.passed, total: run.total } : null);

/** A results.json row from a per-file log (also how a skipped file is reported on a re-run). */
export function rowFromLog(
  id: string,
  log: FileLog,
  known?: { initial: FileAnalysis | undefined; final: FileAnalysis | undefined; verdict: ValidateRow["verdict"] },
): ValidateRow {
  const first = log.revisions[0];
  const last = log.revisions[log.revisions.length - 1];
  const initial = known?.initial?.findings ?? revisionFindings(first);
  const final = known?.final?.findings ?? revisionFindings(last);
  const lastJudged = [...log.revisions].reverse().find((r) => r.status === "Correct" || r.status === "Incorrect");
  return {
    id,
    status: log.status,
    // The final check of a last-attempt fix asks the model nothing: it is not an attempt.
    attempts: log.revisions.filter((r) => !r.final_check).length,
    initial_findings: initial.length,
    final_findings: final.length,
    initial_by_rule: findingsByRule(initial),
    final_by_rule: findingsByRule(final),
    initial_by_cwe: findingsByCwe(initial),
    final_by_cwe: findingsByCwe(final),
    verdict: known ? known.verdict : ((lastJudged?.status as ValidateRow["verdict"] | undefined) ?? null),
    initial_tests: countOf(first?.tests),
    final_tests: countOf(last?.tests),
    mode: log.mode,
    ...(log.model ? { model: log.model } : {}),
    ...(log.error ? { error: log.error } : {}),
  };
}

/** all_result.json (streamed from the per-file logs) and unresolved.json. */
async function writeSummaries(outDir: string, rows: ValidateRow[]): Promise<void> {
  const layout = validationLayout(outDir);
  const unresolved: Array<{ filename: string; final_status: string }> = [];
  async function* logs() {
    for (const row of rows) {
      const log = await readJsonIfValid(layout.fileLog(row.id), fileLogSchema);
      if (!log) {
        // A file that failed before its log was written (e.g. unreadable) is still listed.
        if (row.status !== "passed") unresolved.push({ filename: `${row.id}.py`, final_status: row.status });
        continue;
      }
      if (log.status !== "passed") {
        unresolved.push({ filename: log.filename, final_status: log.revisions[log.revisions.length - 1]?.status ?? log.status });
      }
      yield JSON.stringify(log);
    }
  }
  await writeJsonArrayStreamed(layout.allResult, logs());
  await writeJsonAtomic(layout.unresolved, unresolvedSchema, unresolved);
}
