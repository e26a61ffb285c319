import path from "node:path";
import { CliError } from "../errors.js";
import type { AnalyzeFile, Analyzer, AnalyzerFileResult, FileAnalysis } from "./finding.js";

export interface CombinedAnalyzers {
  /** Every analyzer on one file, at the same time; what the validate loop calls. */
  analyzeFile: AnalyzeFile;
  analyzers: readonly Analyzer[];
  close(): Promise<void>;
}

/**
 * One AnalyzeFile over a list of analyzers: the only place that knows there are several. A new
 * detector is one more Analyzer in the list; the loop, prompts and schemas do not change.
 */
export function combineAnalyzers(analyzers: readonly Analyzer[]): CombinedAnalyzers {
  const analyzeFile: AnalyzeFile = async (file) => {
    const started = performance.now();
    const absolute = path.resolve(file);
    const answers = await Promise.all(analyzers.map((analyzer) => answerOf(analyzer, absolute)));
    return mergeAnswers(
      analyzers.map((analyzer, i) => ({ name: analyzer.name, result: answers[i] as AnalyzerFileResult })),
      Math.round(performance.now() - started),
    );
  };
  return {
    analyzeFile,
    analyzers,
    async close() {
      await Promise.all(analyzers.map((analyzer) => analyzer.close()));
    },
  };
}

// An analyzer that throws or leaves the file out fails on this file only; the others' findings stand.
async function answerOf(analyzer: Analyzer, file: string): Promise<AnalyzerFileResult> {
  try {
    const results = await analyzer.analyze([file]);
    return results.get(file) ?? { findings: [], error: "gave no result for the file" };
  } catch (error) {
    // A missing dependency (the workers cannot start) stops the run; it is not one file's problem.
    if (error instanceof CliError) throw error;
    return { findings: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/** Several analyzers' results for one file as the FileAnalysis the loop works on. */
export function mergeAnswers(answers: ReadonlyArray<{ name: string; result: AnalyzerFileResult }>, elapsedMs: number): FileAnalysis {
  const raw: Record<string, unknown> = {};
  // Analyzers that failed for the same reason (one worker serves pylint and bandit) are named together.
  const failures = new Map<string, string[]>();
  for (const { name, result } of answers) {
    if (result.raw !== undefined) raw[name] = result.raw;
    if (result.error) failures.set(result.error, [...(failures.get(result.error) ?? []), name]);
  }
  const error = [...failures].map(([reason, names]) => `${names.join(", ")}: ${reason}`).join("; ");
  return {
    findings: answers.flatMap(({ result }) => result.findings),
    raw,
    error: error || null,
    elapsedMs,
  };
}
