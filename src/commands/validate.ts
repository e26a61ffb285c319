import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import type { z } from "zod";
import { findPython } from "../analyzers/python.js";
import { openAnalyzers, resolveAnalyzerFlags } from "../analyzers/registry.js";
import { DatasetError, parseDataset, type DatasetItem } from "../core/dataset.js";
import { validateAll } from "../core/validate.js";
import { attachTests, createPromptFinder } from "../core/validate-items.js";
import { ExitCode, usageError } from "../errors.js";
import { defaultCacheDir } from "../llm/cache.js";
import type { RunSpend } from "../llm/meter.js";
import { createLogger, type Logger } from "../log.js";
import { createProgress } from "../progress.js";
import { createTestRunner, type TestRunner, type TestSpec } from "../sandbox/index.js";
import type { ValidateRow } from "../schemas.js";
import { unsafeIdReason } from "../store/ids.js";
import { countBy, writeRunManifest } from "../store/manifest.js";
import { listInputFiles } from "../store/input-files.js";
import { settingsHash } from "../store/resume.js";
import { resolveCommandOptions } from "./config.js";
import { budgetLine, formatCost, openModelClient } from "./model-client.js";
import type { CliContext, RegisterCommand } from "./context.js";
import { validateOptions, type validateOptionsSchema } from "./option-schemas.js";
import { addOptions, verdictSettings } from "./options.js";
import { writeReportAfterRun } from "./report.js";
import { ensureWritableDir, formatCalls, formatCounts, formatDuration, lockOutput, readInput } from "./shared.js";

type ValidateCliOptions = z.output<typeof validateOptionsSchema>;

export const registerValidate: RegisterCommand = (program, ctx, done) => {
  addOptions(
    program.command("validate").description("Check every script with Pylint, Bandit and Semgrep (and any SARIF tool), have the model fix what they report and judge the result, in a bounded loop."),
    validateOptions,
  ).action(async (flags: Record<string, unknown>) => {
      done(await runValidate(await resolveCommandOptions(ctx, "validate", flags), ctx));
    });
};

async function runValidate(options: ValidateCliOptions, ctx: CliContext): Promise<number> {
  const logger = createLogger(ctx.stderr, { quiet: options.quiet });
  const outDir = path.resolve(ctx.cwd, options.out);
  const inputDir = path.resolve(ctx.cwd, options.input ?? path.join(options.out, "code"));
  if (!(await fs.pathExists(inputDir))) {
    throw usageError(
      options.input
        ? `--input folder not found: ${options.input}`
        : `${options.out} has no code/ folder: run \`npx codeenhancer generate --out ${options.out}\` first, or pass --input <dir>`,
    );
  }
  const { files, skipped } = await listInputFiles(inputDir, options.maxFileSize, options.input ? `--input ${options.input}` : path.join(options.out, "code"));
  const shown = path.relative(ctx.cwd, inputDir) || inputDir;
  // Listed once, even with --quiet: these files are left out of the run.
  const skippedLine = skipped.length > 0 ? `skipped ${skipped.length} file(s) in ${shown} that are not read: ${skipped.map((s) => `${s.name} (${s.reason})`).join(", ")}` : "";
  if (files.length === 0) throw usageError(skipped.length > 0 ? `no regular .py files to read: ${skippedLine}` : `no .py files in ${shown}`);
  if (skippedLine) ctx.stderr.write(`codeenhancer: ${skippedLine}\n`);
  for (const file of files) {
    const unsafe = unsafeIdReason(file.id);
    if (unsafe) throw usageError(`cannot use ${file.file} as an id: ${unsafe}`);
  }
  // Tests and prompts are read and checked before any work: a malformed item stops the run here.
  const dataset = options.dataset ? await readDataset(options.dataset, ctx) : undefined;
  const sources = await attachTests(files, { outDir, dataset, tests: options.tests && !options.analyzeOnly });
  const selection = resolveAnalyzerFlags(options);
  const concurrency = options.concurrency ?? (options.modelFile ? 1 : 10);
  const { python } = findPython({ flag: options.python, env: ctx.env, cwd: ctx.cwd });
  // The key (or the local model) is checked before anything is written or started.
  const model = options.analyzeOnly ? undefined : await openModelClient(ctx, { ...options, concurrency }, logger);
  // The workers import pylint and bandit while the sandbox is checked and the folder locked; their
  // errors are reported in this order where they are awaited below.
  const opening = openAnalyzers({
    ...selection,
    python,
    pylintEnable: options.pylintEnable,
    workers: Math.min(options.workers ?? os.availableParallelism(), os.availableParallelism()),
    timeoutMs: options.analyzerTimeout * 1000,
    cwd: ctx.cwd,
    cacheDir: defaultCacheDir(ctx.env),
  });
  // No sandbox, no tests: exit 3 with what is missing (unless --no-tests), never an unsandboxed run.
  const sandboxing = sources.some((file) => file.tests) ? createTestRunner({ python, timeoutMs: options.testTimeout * 1000 }) : Promise.resolve(undefined);
  opening.catch(() => undefined);
  sandboxing.catch(() => undefined);
  const closeOpened = () =>
    Promise.all([opening.then((a) => a.close(), () => undefined), sandboxing.then((r) => r?.close(), () => undefined), model?.close()]);

  let release: () => Promise<void>;
  try {
    await ensureWritableDir(outDir, "--out");
    release = await lockOutput(ctx, outDir, options.out, "validate", options.waitLock);
  } catch (error) {
    await closeOpened();
    throw error;
  }
  let analyzers: Awaited<typeof opening>;
  let runner: TestRunner | undefined;
  try {
    analyzers = await opening;
    runner = await sandboxing;
  } catch (error) {
    await closeOpened();
    await release();
    throw error;
  }

  const started = Date.now();
  try {
    const tests = runner;
    const progress = createProgress(logger, options.analyzeOnly ? "analyze" : "validate", files.length, { activity: model?.meter.total });
    const result = await validateAll(
      sources,
      {
        outDir,
        model: options.modelFile ? path.basename(options.modelFile) : options.model,
        concurrency,
        maxAttempts: options.maxAttempts,
        temperature: options.temperature,
        maxTokens: options.maxTokens,
        force: options.force,
        analyzeOnly: options.analyzeOnly,
        judge: options.judge,
        settingsHash: settingsHash(verdictSettings(validateOptions, options)),
      },
      {
        ...(model ? { llm: model.llm, meter: model.meter } : {}),
        analyze: analyzers.analyzeFile,
        ...(tests ? { runTests: (code: string, spec: TestSpec, signal: AbortSignal) => tests.run(code, spec, signal) } : {}),
        findPrompt: createPromptFinder({ outDir, dataset }),
        stop: ctx.stop,
        abort: ctx.abort,
        onFile(row) {
          progress.tick(`${row.id} ${row.status}`);
          if (options.jsonl) ctx.stdout.write(`${JSON.stringify(row)}\n`);
          if (row.status === "error") logger.info(`${row.id}: error: ${row.error ?? ""}`);
        },
      },
    ).finally(() => progress.stop());
    const spent = model?.meter.total;
    printSummary(logger, result, spent, Date.now() - started, outDir);
    await writeRunManifest(outDir, { command: "validate", options, started, counts: countBy(result.rows, (row) => (row.skipped ? "skipped" : row.status)), model: options.analyzeOnly ? null : options.modelFile ? path.basename(options.modelFile) : options.model, baseUrl: options.modelFile ? null : options.baseUrl, interrupted: result.interrupted, analyzers: Object.fromEntries(analyzers.analyzers.map((a) => [a.name, a.version])), rulePacks: analyzers.rulePack ? { semgrep: `${analyzers.rulePack.version} (sha256 ${analyzers.rulePack.hash})` } : {}, python: { path: analyzers.versions.python, version: analyzers.versions.pythonVersion }, spent });
    // Ctrl-C (or a spent budget) means "stop now": the report is one `codeenhancer report` away.
    if (options.report && !result.interrupted && !result.budgetStopped) await writeReportAfterRun(outDir, logger);
    if (result.budgetStopped) {
      logger.info(budgetLine(spent?.costUsd ?? null, options.maxCost, result.total - result.rows.length));
      return ExitCode.budget;
    }
    if (result.interrupted) {
      logger.info(`interrupted: ${result.rows.length} of ${result.total} files finished; run the same command again to resume`);
      return ExitCode.interrupted;
    }
    const failed = result.rows.some((row) => row.status !== "passed");
    return options.strict && failed ? ExitCode.itemsFailed : ExitCode.ok;
  } finally {
    await Promise.all([analyzers.close(), model?.close(), runner?.close()]);
    await release();
  }
}

async function readDataset(file: string, ctx: CliContext): Promise<DatasetItem[]> {
  const input = await readInput(file, ctx, "--dataset");
  try {
    return parseDataset(input.text, input.source);
  } catch (error) {
    if (error instanceof DatasetError) throw usageError(error.message);
    throw error;
  }
}

function printSummary(
  logger: Logger,
  result: { rows: ValidateRow[]; interrupted: boolean },
  spent: Readonly<RunSpend> | undefined,
  elapsedMs: number,
  outDir: string,
): void {
  const { rows } = result;
  const counts = { passed: 0, unresolved: 0, error: 0, skipped: 0 };
  const before: Record<string, number> = {};
  const after: Record<string, number> = {};
  const cweBefore: Record<string, number> = {};
  const cweAfter: Record<string, number> = {};
  const add = (into: Record<string, number>, counts: Record<string, number>) => {
    for (const [key, n] of Object.entries(counts)) into[key] = (into[key] ?? 0) + n;
  };
  for (const row of rows) {
    counts[row.status] += 1;
    if (row.skipped) counts.skipped += 1;
    add(before, row.initial_by_rule);
    add(after, row.final_by_rule);
    add(cweBefore, row.initial_by_cwe);
    add(cweAfter, row.final_by_cwe);
  }
  const rules = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const cwes = [...new Set([...Object.keys(cweBefore), ...Object.keys(cweAfter)])].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  logger.info(
    `validate: ${formatCounts({ passed: counts.passed, unresolved: counts.unresolved, error: counts.error }) || (result.interrupted ? "nothing finished" : "nothing to do")}` +
      `${counts.skipped ? ` (${counts.skipped} already done)` : ""} | findings ${total(before)} -> ${total(after)}${describePassAt1(rows)} | ` +
      // What was spent, counted per call: after Ctrl-C it includes the files that did not finish.
      `${spent ? `${formatCalls(spent)}${spent.cachedCalls ? `, ${spent.cachedCalls} from the cache` : ""} | ${spent.usage.total_tokens} tokens | ${formatCost(spent.costUsd)} | ` : ""}` +
      `${formatDuration(elapsedMs)} | ${path.join(outDir, "validation")}`,
  );
  if (rules.length > 0) logger.info(`  by rule: ${rules.map((rule) => `${rule} ${before[rule] ?? 0} -> ${after[rule] ?? 0}`).join(", ")}`);
  if (cwes.length > 0) logger.info(`  by CWE: ${cwes.map((cwe) => `${cwe} ${cweBefore[cwe] ?? 0} -> ${cweAfter[cwe] ?? 0}`).join(", ")}`);
}

/** pass@1 before and after the loop: files whose tests all passed as given, and at the end. */
function describePassAt1(rows: ValidateRow[]): string {
  const tested = rows.filter((row) => row.initial_tests || row.final_tests);
  if (tested.length === 0) return "";
  const allPassed = (count: ValidateRow["initial_tests"]) => Boolean(count && count.total > 0 && count.passed === count.total);
  const first = tested.filter((row) => allPassed(row.initial_tests)).length;
  const last = tested.filter((row) => allPassed(row.final_tests)).length;
  return ` | tests passed: ${first}/${tested.length} first time -> ${last}/${tested.length} at the end`;
}
