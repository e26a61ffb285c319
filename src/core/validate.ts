import path from "node:path";
import fs from "fs-extra";
import { findingsByCwe, findingsByRule } from "../analyzers/count.js";
import type { AnalyzeFile, FileAnalysis } from "../analyzers/finding.js";
import { revisionFindings, seedLogFields } from "../analyzers/python-tools.js";
import { CliError } from "../errors.js";
import type { ChatReply, Llm } from "../llm/client.js";
import { describeApiError } from "../llm/client.js";
import { extractTaggedCode, parseVerdict } from "../llm/extract.js";
import { buildFixPrompt, buildJudgePrompt, buildValidationMessages } from "../llm/prompts.js";
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
  type Usage,
  type ValidateRow,
} from "../schemas.js";
import { runItems } from "./run-harness.js";
import { docstringLineCount, joinDocstring, splitDocstring } from "./docstring.js";
import { compareCandidate, precheckCandidate } from "./fix-policy.js";

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
  /** Hash of the options that change a verdict: a log made with others is redone. */
  settingsHash?: string;
}

export interface ValidateDeps {
  /** Required unless analyzeOnly. */
  llm?: Llm;
  analyze: AnalyzeFile;
  stop?: AbortSignal;
  abort?: AbortSignal;
  onFile?: (row: ValidateRow) => void;
}

export interface ValidateResult {
  rows: ValidateRow[];
  interrupted: boolean;
  usage: Usage;
  total: number;
}

export interface SourceFile {
  id: string;
  file: string;
  /** The most bytes read from the file (--max-file-size). */
  maxBytes?: number;
}

/** The `.py` files of a folder, by file name. */
export async function listPythonFiles(dir: string): Promise<SourceFile[]> {
  const names = (await fs.readdir(dir)).filter((name) => name.endsWith(".py")).sort();
  return names.map((name) => ({ id: name.slice(0, -3), file: path.join(dir, name) }));
}

export async function validateAll(files: SourceFile[], options: ValidateOptions, deps: ValidateDeps): Promise<ValidateResult> {
  const layout = validationLayout(options.outDir);
  await fs.ensureDir(layout.root);
  const usage = emptyUsage();
  const mode = options.analyzeOnly ? "analyze-only" : "validate";
  const result = await runItems(files, {
    concurrency: options.concurrency,
    async work(source, signal) {
      const previous = options.force ? undefined : await readJsonIfValid(layout.fileLog(source.id), fileLogSchema);
      // Files that ended in error (API or analyzer failure) are tried again, like generate's.
      // A log counts only for the same input bytes and verdict-changing options.
      if (
        previous &&
        previous.mode === mode &&
        previous.status !== "error" &&
        logMatches(previous, await readRegularFile(source.file, source.maxBytes), options.settingsHash) &&
        (await fs.pathExists(layout.finalCode(source.id)))
      ) {
        return { ...rowFromLog(source.id, previous), skipped: true };
      }
      return validateFile(source, options, deps, signal);
    },
    errorRow: (source, error) => errorRow(source.id, error, mode),
    checkpoint: (rows) => writeJsonAtomic(layout.results, validateResultsSchema, rows),
    finish: (rows) => writeSummaries(options.outDir, rows),
    stop: deps.stop,
    abort: deps.abort,
    onRow(row) {
      if (row.usage && !row.skipped) addUsage(usage, row.usage);
      deps.onFile?.(row);
    },
  });
  return { rows: result.rows, interrupted: result.interrupted, usage, total: files.length };
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
    mode,
    error,
  };
}

interface Version {
  body: string;
  analysis: FileAnalysis;
}

/** The bounded refinement loop for one file. */
async function validateFile(source: SourceFile, options: ValidateOptions, deps: ValidateDeps, signal: AbortSignal): Promise<ValidateRow> {
  const layout = validationLayout(options.outDir);
  const started = Date.now();
  const original = await readRegularFile(source.file, source.maxBytes);
  const { docstring, body, bodyLine } = splitDocstring(original.toString("utf8"));
  const usage = emptyUsage();
  const revisions: Revision[] = [];
  const mode = options.analyzeOnly ? "analyze-only" : "validate";
  const filename = path.basename(source.file);

  // The file as given stays byte for byte what it was (line numbers, docstring and all) while the
  // model has not changed it; a changed version is the docstring on top of the model's body.
  const contentOf = (version: string): string | Buffer => (version === body ? original : joinDocstring(docstring, version));
  // Each version checked is kept as attempt_<n>/<id>_attempt_<n>.py and analyzed from there.
  const written = new Map<number, string>();
  const writeAttempt = async (version: string, attempt: number): Promise<string> => {
    const file = layout.attempt(source.id, attempt);
    if (written.get(attempt) !== version) await writeTextAtomic(file, contentOf(version));
    written.set(attempt, version);
    return file;
  };
  const check = async (candidate: string, attempt: number): Promise<FileAnalysis> => deps.analyze(await writeAttempt(candidate, attempt));

  // Attempt 1 analyzes the file as given, so its findings are exactly the tools' own on that file.
  let current: Version = { body, analysis: await check(body, 1) };
  const initial = current.analysis;
  let verdict: ValidateRow["verdict"] = null;
  let status: FileLog["status"] = "unresolved";
  let error: string | null = null;
  let rejection: string | undefined;
  // A version produced by the model that still needs the judge (it was analyzed clean when accepted).
  let unjudged = false;

  const ask = async (prompt: string): Promise<{ reply?: ChatReply; failure?: string }> => {
    if (!deps.llm) throw new Error("validate needs a model unless --analyze-only");
    try {
      const reply = await deps.llm.chat({
        model: options.model,
        messages: buildValidationMessages(prompt),
        temperature: options.temperature,
        maxTokens: options.maxTokens,
        signal,
      });
      addUsage(usage, reply.usage);
      if (reply.refusal) return { reply, failure: `the model refused: ${reply.refusal}` };
      if (reply.finishReason === "length") return { reply, failure: `the reply was cut off at --max-tokens ${options.maxTokens}` };
      return { reply };
    } catch (err) {
      if (err instanceof CliError || signal.aborted) throw err;
      return { failure: describeApiError(err) };
    }
  };

  for (let attempt = 1; attempt <= options.maxAttempts + 1; attempt += 1) {
    const last = attempt > options.maxAttempts;
    // Past the last attempt there is only the final check of a version the model produced in it.
    if (last && !unjudged) break;
    // A fix accepted in the previous attempt was already written (and analyzed) as this attempt's file.
    await writeAttempt(current.body, attempt);
    const revision = newRevision(attempt, current.analysis);
    revisions.push(revision);

    if (current.analysis.error) {
      revision.status = "Analyzer-Error";
      error = `analyzers failed: ${current.analysis.error}`;
      status = "error";
      break;
    }
    const findings = current.analysis.findings.length;
    if (options.analyzeOnly) {
      revision.status = "Analyzed";
      status = findings === 0 ? "passed" : "unresolved";
      break;
    }

    if (findings > 0) {
      if (last) {
        revision.note = "final check: findings remain and no attempts are left";
        break;
      }
      const prompt = buildFixPrompt({
        docstring,
        body: current.body,
        findings: current.analysis.findings,
        bodyLineOffset: current.body === body ? bodyLine - 1 : docstringLineCount(docstring),
        previousRejection: rejection,
      });
      revision.sast_prompt = prompt;
      const { reply, failure } = await ask(prompt);
      revision.sast_response = reply?.content ?? null;
      if (failure && !reply) {
        revision.status = "LLM-Error";
        revision.note = failure;
        error = failure;
        status = "error";
        break;
      }
      const candidate = failure ? undefined : bodyOfReply(reply?.content ?? "");
      if (candidate === undefined) {
        revision.status = "Unparseable-Reply";
        revision.note = failure ?? "no code in <Code> tags or a fenced block";
        rejection = "your reply held no code between <Code> and </Code>";
        continue;
      }
      const accepted = await tryCandidate(current, candidate, () => check(candidate, attempt + 1));
      revision.note = accepted.note;
      if (accepted.version) {
        revision.status = "SAST-Fixed";
        current = accepted.version;
        unjudged = true;
        rejection = undefined;
      } else {
        revision.status = "SAST-Fix-Rejected";
        rejection = accepted.note;
      }
      continue;
    }

    // Clean in both analyzers: does the code do what its docstring says?
    const prompt = buildJudgePrompt(docstring, current.body);
    revision.functional_prompt = prompt;
    const { reply, failure } = await ask(prompt);
    revision.functional_response = reply?.content ?? null;
    if (failure && !reply) {
      revision.status = "LLM-Error";
      revision.note = failure;
      error = failure;
      status = "error";
      break;
    }
    const verdictReply = failure ? ({ kind: "unparseable", why: failure } as const) : parseVerdict(reply?.content ?? "");
    const parsed = verdictReply.kind === "incorrect" ? { ...verdictReply, body: withoutDocstring(verdictReply.body) } : verdictReply;
    unjudged = false;
    if (parsed.kind === "correct") {
      revision.status = "Correct";
      verdict = "Correct";
      status = "passed";
      break;
    }
    if (parsed.kind === "unparseable") {
      revision.status = "Unparseable-Reply";
      revision.note = parsed.why;
      unjudged = true; // the same version may still be judged in the next attempt
      continue;
    }
    revision.status = "Incorrect";
    verdict = "Incorrect";
    if (last) {
      revision.note = "judged incorrect in the final check; its correction was not applied";
      break;
    }
    const replaced = await tryCandidate(current, parsed.body, () => check(parsed.body, attempt + 1), { allowNewFindings: true });
    revision.note = [parsed.reason ? `reason: ${parsed.reason}` : null, replaced.note].filter(Boolean).join("; ") || null;
    if (replaced.version) {
      current = replaced.version;
      unjudged = true;
    }
  }

  // A candidate refused in the last attempt must not linger as if it had been checked.
  await fs.remove(layout.attempt(source.id, revisions.length + 1));
  await writeTextAtomic(layout.finalCode(source.id), contentOf(current.body));
  const log: FileLog = {
    filename,
    status,
    revisions,
    mode,
    model: options.analyzeOnly ? null : options.model,
    error,
    input_sha256: sha256Hex(original),
    settings_sha256: options.settingsHash ?? null,
  };
  await writeJsonAtomic(layout.fileLog(source.id), fileLogSchema, log);
  return {
    ...rowFromLog(source.id, log, { initial, final: current.analysis, verdict }),
    usage,
    elapsed_ms: Date.now() - started,
  };
}

/** The body in a fix reply; a model that repeats the docstring despite being asked not to gets it removed. */
function bodyOfReply(reply: string): string | undefined {
  const code = extractTaggedCode(reply);
  return code === undefined ? undefined : withoutDocstring(code);
}

function withoutDocstring(code: string): string {
  const split = splitDocstring(code);
  return split.templated ? code : split.body;
}

async function tryCandidate(
  current: Version,
  candidate: string,
  analyze: () => Promise<FileAnalysis>,
  policy: { allowNewFindings?: boolean } = {},
): Promise<{ version?: Version; note: string }> {
  const refused = precheckCandidate(current.body, candidate);
  if (refused) return { note: `kept the previous version: ${refused}` };
  const analysis = await analyze();
  const worse = policy.allowNewFindings && !analysis.error ? undefined : compareCandidate(current.analysis, analysis);
  if (worse) return { note: `kept the previous version: ${worse}` };
  return { version: { body: candidate, analysis }, note: `findings ${current.analysis.findings.length} -> ${analysis.findings.length}` };
}

function newRevision(attempt: number, analysis: FileAnalysis): Revision {
  return {
    attempt,
    // The seed's fields, in Pylint's and Bandit's own shapes, beside every analyzer's findings.
    ...seedLogFields(analysis.raw),
    analyzer_error: analysis.error,
    findings: analysis.findings,
    sast_prompt: null,
    sast_response: null,
    functional_prompt: null,
    functional_response: null,
    status: "Analyzed",
    note: null,
  };
}

/** A results.json row from a per-file log (also how a skipped file is reported on a re-run). */
export function rowFromLog(
  id: string,
  log: FileLog,
  known?: { initial: FileAnalysis; final: FileAnalysis; verdict: ValidateRow["verdict"] },
): ValidateRow {
  const initial = known?.initial.findings ?? revisionFindings(log.revisions[0]);
  const final = known?.final.findings ?? revisionFindings(log.revisions[log.revisions.length - 1]);
  const lastJudged = [...log.revisions].reverse().find((r) => r.status === "Correct" || r.status === "Incorrect");
  return {
    id,
    status: log.status,
    attempts: log.revisions.length,
    initial_findings: initial.length,
    final_findings: final.length,
    initial_by_rule: findingsByRule(initial),
    final_by_rule: findingsByRule(final),
    initial_by_cwe: findingsByCwe(initial),
    final_by_cwe: findingsByCwe(final),
    verdict: known ? known.verdict : ((lastJudged?.status as ValidateRow["verdict"] | undefined) ?? null),
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
