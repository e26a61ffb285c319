import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import YAML from "yaml";
import { z } from "zod";
import { CliError, dependencyError } from "../errors.js";
import { writeTextAtomic } from "../store/atomic.js";
import { fingerprintOf, type Analyzer, type AnalyzerFileResult, type Finding, type Severity } from "./finding.js";
import { lineReader } from "./python-tools.js";
import { analyzerCwd, analyzerEnv, isNotFound, lastLine } from "./python.js";
import { parsePrefilters, prefilterJson, rulePrefilters, rulesThatMayMatch, sinkRules, type Prefilters } from "./semgrep-prefilter.js";

// Semgrep with the project's own rule pack (rules/), run through its engine binary semgrep-core.
//
// Why the engine and batches: the `semgrep` CLI costs ~2.2 s to start (Python, the rule registry,
// a version check) on this 2-core machine, far more than the analysis itself; the engine binary
// alone takes ~0.15 s for one file and one rule when the machine is quiet. With the project's rule
// pack (34 rules, many of them taint rules) an engine run has a fixed cost that dwarfs a file's:
// measured with the corpus of bench/detection on a loaded machine (load average 30 on 2 cores),
// one file took 2.3 s, 10 files 2.5 s, 50 files 3.0 s in one run: ~2.3 s per run, ~13 ms per file.
// So files are never scanned one process each: a request waits 20 ms for the requests that come
// with it, and every file that arrived meanwhile goes into one run together (up to `maxBatch`);
// while a run is in flight, new requests wait for it and go into the next. One run at a time is the
// default: validate keeps both cores busy (the Pylint/Bandit workers, the sandbox), and each run's
// fixed cost (~0.17 s of CPU: the engine's start, the rules) is paid again for every extra run; a
// second run in flight measured no faster on 2 cores and used more CPU. The combiner asks
// Pylint/Bandit and Semgrep at the same time, so these runs overlap with the workers' analysis.
//
// semgrep-core never talks to the network and reads no configuration: there is no registry, no
// metrics, no version check. The rule pack is read once at start-up and handed to every run as one
// JSON rules file. A broken rule shows in every run's output, so each run checks for one and stops
// the whole analysis on it (a CliError), rather than a start-up run on an empty file costing every
// validate a few hundred milliseconds; `check()` does that empty run for `doctor`.

/** The rule pack shipped in the npm package beside dist/ and src/. */
export const RULES_DIR = fileURLToPath(new URL("../../rules/", import.meta.url));

export interface RulePack {
  dir: string;
  /** rules/VERSION, or "unversioned". */
  version: string;
  /** sha256 of the rule files' names and contents, first 12 hex digits. */
  hash: string;
  rules: unknown[];
}

/**
 * Reads every `.yaml`/`.yml` rule file under `dir` (fixtures aside) into one list of rules.
 * Parsing the YAML costs a run's start ~0.15 s of CPU, so with `cacheDir` the parsed list is kept
 * there under the hash of the files' names and contents (a changed rule file is a new entry); a
 * cache that cannot be read or written only costs that time.
 */
export async function loadRulePack(dir: string = RULES_DIR, cacheDir?: string): Promise<RulePack> {
  const files = (await listRuleFiles(dir)).sort();
  if (files.length === 0) throw dependencyError(`no Semgrep rule files (*.yaml) in ${dir}`);
  const hash = createHash("sha256");
  const texts: Array<[string, string]> = [];
  for (const file of files) {
    const text = await fs.readFile(file, "utf8");
    hash.update(`${path.relative(dir, file)}\u0000${text}\u0000`);
    texts.push([file, text]);
  }
  const digest = hash.digest("hex");
  const version = (await fs.readFile(path.join(dir, "VERSION"), "utf8").catch(() => "unversioned")).trim();
  const cached = cacheDir ? path.join(cacheDir, "rule-packs", `${digest}.json`) : undefined;
  const fromCache = cached ? cachedRulesSchema.safeParse(await readJson(cached)) : undefined;
  if (fromCache?.success && fromCache.data.sha256 === digest) return { dir, version, hash: digest.slice(0, 12), rules: fromCache.data.rules };
  const rules: unknown[] = [];
  for (const [file, text] of texts) {
    let parsed: unknown;
    try {
      parsed = YAML.parse(text);
    } catch (error) {
      throw dependencyError(`Semgrep rule file ${file} is not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
    const list = (parsed as { rules?: unknown } | null)?.rules;
    if (!Array.isArray(list)) throw dependencyError(`Semgrep rule file ${file} has no \`rules:\` list`);
    rules.push(...(list as unknown[]));
  }
  if (cached) await writeTextAtomic(cached, JSON.stringify({ sha256: digest, rules })).catch(() => undefined);
  return { dir, version, hash: digest.slice(0, 12), rules };
}

const cachedRulesSchema = z.object({ sha256: z.string(), rules: z.array(z.unknown()) });

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}

async function listRuleFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Fixtures are the rules' test programs, and may hold YAML that is not a rule file.
    if (entry.isDirectory() && entry.name !== "fixtures" && entry.name !== "node_modules") out.push(...(await listRuleFiles(full)));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

const semgrepOutputSchema = z.object({
  version: z.string().optional(),
  results: z.array(
    z.object({
      check_id: z.string(),
      path: z.string(),
      start: z.object({ line: z.number().int(), col: z.number().int() }),
      end: z.object({ line: z.number().int(), col: z.number().int() }),
      extra: z.object({ message: z.string(), severity: z.string(), metadata: z.record(z.string(), z.unknown()).optional() }).loose(),
    }),
  ),
  errors: z.array(
    z
      .object({
        // A name ("Rule parse error") or a variant (["PartialParsing", [...locations]]).
        error_type: z.unknown().optional(),
        severity: z.string().optional(),
        message: z.string().optional(),
        path: z.string().optional(),
        location: z.object({ path: z.string() }).loose().optional(),
      })
      .loose(),
  ),
  paths: z.object({ scanned: z.array(z.string()).default([]) }).loose(),
});
export type SemgrepOutput = z.infer<typeof semgrepOutputSchema>;
type SemgrepResult = SemgrepOutput["results"][number];

// Semgrep's rule severities, old (ERROR/WARNING/INFO) and new (CRITICAL...LOW).
const SEVERITY: Record<string, Severity> = { CRITICAL: "high", ERROR: "high", HIGH: "high", WARNING: "medium", MEDIUM: "medium" };

/** One Semgrep result as a Finding: CWE and confidence come from the rule's metadata. */
export function normalizeSemgrep(result: SemgrepResult, lineText: (line: number) => string): Finding {
  const metadata = result.extra.metadata ?? {};
  const confidence = typeof metadata.confidence === "string" ? metadata.confidence.toLowerCase() : "";
  return {
    tool: "semgrep",
    rule: result.check_id,
    severity: SEVERITY[result.extra.severity.toUpperCase()] ?? "low",
    confidence: confidence === "low" || confidence === "medium" || confidence === "high" ? confidence : null,
    cwe: cweOf(metadata.cwe),
    line: Math.max(0, result.start.line),
    column: result.start.col > 0 ? result.start.col : null,
    ...(result.end.line > result.start.line ? { end_line: result.end.line } : {}),
    message: result.extra.message.replace(/\s+/g, " ").trim(),
    fingerprint: fingerprintOf("semgrep", result.check_id, lineText(result.start.line)),
  };
}

/** The first CWE number in a rule's `cwe` metadata ("CWE-89: ..." or a list of such). */
export function cweOf(value: unknown): number | null {
  const texts = Array.isArray(value) ? value : [value];
  for (const text of texts) {
    const match = typeof text === "string" ? /CWE-(\d+)/i.exec(text) : null;
    if (match) return Number(match[1]);
  }
  return null;
}

type SemgrepError = SemgrepOutput["errors"][number];

function errorName(error: SemgrepError): string {
  const type = error.error_type;
  if (typeof type === "string") return type;
  if (Array.isArray(type) && typeof type[0] === "string") return type[0];
  return "error";
}

function describeSemgrepError(error: SemgrepError): string {
  return `${errorName(error)}: ${(error.message ?? "").split("\n")[0]}`;
}

// A file semgrep cannot parse is Pylint's E0001 and a bandit-error already; semgrep's own parse
// errors and warnings are not a failure of the analysis (it still matches what it could parse).
function isParseError(error: SemgrepError): boolean {
  const name = errorName(error);
  if (/rule/i.test(name)) return false;
  return /syntax|pars|lexical/i.test(name) || /^warn/i.test(error.severity ?? "");
}

export interface SemgrepOptions {
  /** The semgrep-core binary (from `probeAnalyzers(python, ["semgrep"])`). */
  core: string;
  /** Semgrep's package version, for reports. */
  version: string;
  rulesDir?: string;
  /** The rule pack, already read (else it is read from rulesDir on start). */
  rulePack?: RulePack;
  /** Per run (a batch of files); default 60000. A run that times out is retried one file at a time. */
  timeoutMs?: number;
  /** Files per run at most; default 128. */
  maxBatch?: number;
  /** Runs in flight at most; default 1. */
  maxRuns?: number;
  /** Where the rules' prefilters are kept between runs (beside the parsed rule pack). */
  cacheDir?: string | undefined;
}

interface Job {
  file: string;
  resolve: (result: AnalyzerFileResult) => void;
  reject: (error: Error) => void;
}

export interface SemgrepAnalyzer extends Analyzer {
  /** Loads the rule pack; analyze() does it on first use. Rejects when it cannot be read. */
  start(): Promise<void>;
  /** Loads the rule pack and runs it on an empty file: rejects on a rule Semgrep refuses. */
  check(): Promise<void>;
  readonly rulePack: RulePack | undefined;
  /** Runs made, files scanned, the most runs in flight at once, and files no rule could match (given to no run). */
  readonly stats: { runs: number; files: number; peakRuns: number; skipped: number };
}

/** Semgrep as an Analyzer: files from concurrent requests are scanned together, one run at a time. */
export function createSemgrepAnalyzer(options: SemgrepOptions): SemgrepAnalyzer {
  return new BatchingSemgrep(options);
}

// semgrep-core's per-rule-per-file time limit, and how many rules may time out before the file
// is given up: a pathological file costs seconds, not the whole batch's time limit.
const RULE_TIMEOUT_S = 5;
const RULE_TIMEOUT_THRESHOLD = 3;

// How long the first request of a batch waits for the requests made with it (the items of a
// run start within a few milliseconds of each other; a run costs 150 ms and more).
const GATHER_MS = 20;

class BatchingSemgrep implements SemgrepAnalyzer {
  readonly name = "semgrep";
  readonly version: string;
  rulePack: RulePack | undefined;
  readonly stats = { runs: 0, files: 0, peakRuns: 0, skipped: 0 };

  private readonly timeoutMs: number;
  private readonly maxBatch: number;
  private readonly maxRuns: number;
  private readonly queue: Job[] = [];
  private starting: Promise<void> | undefined;
  private tempDir: string | undefined;
  private rulesFile: string | undefined;
  private inFlight = 0;
  private gathering: NodeJS.Timeout | undefined;
  private broken: CliError | undefined;
  private closed = false;
  private runs = 0;
  private prefilters: Prefilters | undefined;
  private prefiltersLoading: Promise<void> | undefined;
  /** The rules file of each subset of the pack a run used, by the subset's rule ids. */
  private readonly subsets = new Map<string, string>();

  constructor(private readonly options: SemgrepOptions) {
    this.version = options.version;
    this.timeoutMs = Math.max(1, options.timeoutMs ?? 60_000);
    this.maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 128));
    this.maxRuns = Math.max(1, Math.floor(options.maxRuns ?? 1));
  }

  start(): Promise<void> {
    this.starting ??= this.prepare();
    return this.starting;
  }

  async check(): Promise<void> {
    await this.start();
    const probe = path.join(this.tempDir as string, "empty.py");
    await fs.writeFile(probe, "");
    const outcome = await this.run([probe], this.rulesFile as string);
    if ("failure" in outcome) throw dependencyError(`semgrep cannot run the rule pack ${this.rulePack?.dir ?? ""}: ${outcome.failure}`);
    const problem = this.ruleProblem(outcome.output);
    if (problem) throw problem;
  }

  async analyze(files: readonly string[]): Promise<Map<string, AnalyzerFileResult>> {
    if (this.closed) throw new Error("semgrep was closed");
    await this.start();
    if (this.broken) throw this.broken;
    const results = await Promise.all(
      files.map(
        (file) =>
          new Promise<AnalyzerFileResult>((resolve, reject) => {
            this.queue.push({ file: path.resolve(file), resolve, reject });
            this.schedule();
          }),
      ),
    );
    return new Map(files.map((file, i) => [file, results[i] as AnalyzerFileResult]));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.gathering);
    for (const job of this.queue.splice(0)) job.resolve({ findings: [], error: "semgrep was closed" });
    if (this.tempDir) await fs.rm(this.tempDir, { recursive: true, force: true });
  }

  private async prepare(): Promise<void> {
    const pack = this.options.rulePack ?? (await loadRulePack(this.options.rulesDir));
    this.tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "codeenhancer-semgrep-"));
    // semgrep-core takes one rules file; JSON is YAML it reads as well.
    this.rulesFile = path.join(this.tempDir, "rules.json");
    await fs.writeFile(this.rulesFile, JSON.stringify({ rules: pack.rules }));
    this.rulePack = pack;
    // Known from the cache in a few milliseconds, or from a run of their own the first time; the
    // first batch waits for them. Without them, runs take the whole pack and every file.
    this.prefiltersLoading = this.loadPrefilters(pack).catch(() => undefined);
  }

  private async loadPrefilters(pack: RulePack): Promise<void> {
    const cached = this.options.cacheDir ? path.join(this.options.cacheDir, "rule-packs", `${pack.hash}-prefilters-v2-${this.version}.json`) : undefined;
    let json = cached ? await fs.readFile(cached, "utf8").catch(() => undefined) : undefined;
    let prefilters = json === undefined ? undefined : parsePrefilters(json);
    if (!prefilters) {
      // The pack and its taint rules' sinks; if semgrep-core refuses the sink rules, the pack alone.
      const withSinks = path.join(this.tempDir as string, "prefilter-rules.json");
      await fs.writeFile(withSinks, JSON.stringify({ rules: [...pack.rules, ...sinkRules(pack.rules)] }));
      for (const rulesFile of [withSinks, this.rulesFile as string]) {
        json = await prefilterJson(this.options.core, rulesFile, this.timeoutMs);
        prefilters = json === undefined ? undefined : parsePrefilters(json);
        if (prefilters) break;
      }
      if (prefilters && cached && json !== undefined) await writeTextAtomic(cached, json).catch(() => undefined);
    }
    if (!this.closed && prefilters) this.prefilters = rulePrefilters(prefilters, pack.rules);
  }

  /**
   * The rules a file may match, by id: those whose prefilter holds for it, and every rule the
   * prefilters do not name. Undefined: any rule may (no prefilters yet, or the file was not read).
   */
  private rulesMayMatch(text: string | undefined): Set<string> | undefined {
    const prefilters = this.prefilters;
    if (!prefilters || text === undefined) return undefined;
    const out = rulesThatMayMatch(prefilters, [text]);
    for (const rule of (this.rulePack?.rules ?? []) as Array<{ id?: unknown }>) {
      if (typeof rule.id !== "string" || !prefilters.has(rule.id)) out.add(String(rule.id));
    }
    return out;
  }

  /** The rules file for a run over files that may match these rules (see rulesMayMatch), or the whole pack. */
  private async rulesFor(mayMatch: ReadonlyArray<Set<string> | undefined>): Promise<string> {
    const whole = this.rulesFile as string;
    const rules = (this.rulePack?.rules ?? []) as Array<{ id?: unknown }>;
    if (rules.length === 0 || mayMatch.some((ids) => ids === undefined)) return whole;
    // An empty subset keeps one rule (a run needs one).
    const kept = rules.filter((rule) => mayMatch.some((ids) => ids?.has(String(rule.id))));
    if (kept.length === rules.length) return whole;
    const subset = kept.length > 0 ? kept : rules.slice(0, 1);
    const key = subset.map((rule) => String(rule.id)).join("\n");
    let file = this.subsets.get(key);
    if (!file) {
      file = path.join(this.tempDir as string, `rules-${this.subsets.size + 1}.json`);
      await fs.writeFile(file, JSON.stringify({ rules: subset }));
      this.subsets.set(key, file);
    }
    return file;
  }

  // A rule Semgrep refuses is reported against the rules file, in every run.
  private ruleProblem(output: SemgrepOutput): CliError | undefined {
    const rulesFile = (error: SemgrepError) => {
      const where = error.path ?? error.location?.path;
      return where !== undefined && path.dirname(where) === this.tempDir && /^rules(-\d+)?\.json$/.test(path.basename(where));
    };
    const problem = output.errors.find((error) => /rule/i.test(errorName(error)) || rulesFile(error));
    if (!problem) return undefined;
    return dependencyError(`the Semgrep rule pack ${this.rulePack?.dir ?? ""} is invalid: ${describeSemgrepError(problem)}`);
  }

  // Called whenever a job is queued: the first job of a batch waits GATHER_MS for the others.
  private schedule(): void {
    if (this.gathering || this.inFlight >= this.maxRuns) return;
    this.gathering = setTimeout(() => {
      this.gathering = undefined;
      this.pump();
    }, GATHER_MS);
  }

  // Starts runs with everything waiting, while fewer than maxRuns are in flight.
  private pump(): void {
    while (this.inFlight < this.maxRuns && this.queue.length > 0) {
      this.inFlight += 1;
      this.stats.peakRuns = Math.max(this.stats.peakRuns, this.inFlight);
      const batch = this.queue.splice(0, this.maxBatch);
      void this.scan(batch)
        .catch((error: unknown) => {
          for (const job of batch) {
            if (error instanceof CliError) job.reject(error);
            else job.resolve({ findings: [], error: error instanceof Error ? error.message : String(error) });
          }
        })
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }

  private async scan(batch: Job[]): Promise<void> {
    if (this.broken) throw this.broken;
    await this.prefiltersLoading;
    const all = [...new Set(batch.map((job) => job.file))];
    // Read once: for the rules the files may match, then for the flagged lines' text.
    const texts = new Map(await Promise.all(all.map(async (file) => [file, await fs.readFile(file, "utf8").catch(() => undefined)] as const)));
    const mayMatch = new Map(all.map((file) => [file, this.rulesMayMatch(texts.get(file))]));
    // A file no rule can match has no findings: it needs no engine run.
    const files = all.filter((file) => mayMatch.get(file)?.size !== 0);
    this.stats.skipped += all.length - files.length;
    const unmatched = (): AnalyzerFileResult => ({ findings: [], raw: { results: [], errors: [] }, error: null });
    if (files.length === 0) {
      for (const job of batch) job.resolve(unmatched());
      return;
    }
    const scanOne = async (some: string[]) => this.run(some, await this.rulesFor(some.map((file) => mayMatch.get(file))));
    const outcome = await scanOne(files);
    if ("output" in outcome) {
      this.broken ??= this.ruleProblem(outcome.output);
      if (this.broken) throw this.broken;
    }
    let results: Map<string, AnalyzerFileResult>;
    if ("failure" in outcome && files.length > 1) {
      // One file that hangs or crashes the engine must not fail the others: one at a time.
      results = new Map();
      for (const file of files) {
        const [alone] = this.toResults([file], await scanOne([file]), texts);
        if (alone) results.set(...alone);
      }
    } else {
      results = this.toResults(files, outcome, texts);
    }
    for (const file of all) if (!files.includes(file)) results.set(file, unmatched());
    for (const job of batch) job.resolve(results.get(job.file) ?? { findings: [], error: "semgrep gave no result" });
  }

  private toResults(files: string[], outcome: RunOutcome, texts: ReadonlyMap<string, string | undefined>): Map<string, AnalyzerFileResult> {
    const out = new Map<string, AnalyzerFileResult>();
    if ("failure" in outcome) {
      for (const file of files) out.set(file, { findings: [], error: outcome.failure });
      return out;
    }
    const { output } = outcome;
    const scanned = new Set(output.paths.scanned);
    for (const file of files) {
      const results = output.results.filter((result) => result.path === file);
      const errors = output.errors.filter((error) => (error.path ?? error.location?.path) === file && !isParseError(error));
      const text = texts.get(file);
      let error: string | null = null;
      if (text === undefined) error = "cannot read the file";
      else if (!scanned.has(file)) error = "semgrep did not scan the file";
      else if (errors.length > 0) error = errors.map(describeSemgrepError).join("; ");
      const lineText = lineReader(text ?? "");
      out.set(file, {
        findings: results.map((result) => normalizeSemgrep(result, lineText)),
        raw: { results, errors },
        error,
      });
    }
    return out;
  }

  private async run(files: string[], rulesFile: string): Promise<RunOutcome> {
    const dir = this.tempDir as string;
    const targets = path.join(dir, `targets-${(this.runs += 1)}.json`);
    // semgrep-core's -targets format (Input_to_core.atd): ["Targets", [["CodeTarget", {...}], ...]].
    const entries = files.map((file) => ["CodeTarget", { path: { fpath: file, ppath: file }, analyzer: "python", products: ["sast"] }]);
    await fs.writeFile(targets, JSON.stringify(["Targets", entries]));
    try {
      const result = await execa(
        this.options.core,
        [
          "-rules",
          rulesFile,
          "-targets",
          targets,
          "-json_nodots",
          "-j",
          "1",
          "-timeout",
          String(RULE_TIMEOUT_S),
          "-timeout_threshold",
          String(RULE_TIMEOUT_THRESHOLD),
        ],
        { cwd: analyzerCwd(), env: analyzerEnv(), extendEnv: false, reject: false, timeout: this.timeoutMs, stdin: "ignore", maxBuffer: 256 * 1024 * 1024 },
      );
      this.stats.runs += 1;
      this.stats.files += files.length;
      if (isNotFound(result)) throw dependencyError(`semgrep-core not found: ${this.options.core} (run \`npm run setup\`)`);
      if (result.timedOut) return { failure: `semgrep timed out after ${this.timeoutMs / 1000}s` };
      const parsed = semgrepOutputSchema.safeParse(parseJson(result.stdout));
      if (!parsed.success) {
        const how = result.signal ? `signal ${result.signal}` : `exit status ${result.exitCode ?? "unknown"}`;
        return { failure: `semgrep gave no report (${how}): ${lastLine(result.stderr)}` };
      }
      return { output: parsed.data };
    } finally {
      await fs.rm(targets, { force: true });
    }
  }
}

type RunOutcome = { output: SemgrepOutput } | { failure: string };

function parseJson(stdout: unknown): unknown {
  if (typeof stdout !== "string") return undefined;
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}
