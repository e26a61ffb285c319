import path from "node:path";
import { execa, type Result } from "execa";
import { z } from "zod";
import { dependencyError } from "../errors.js";
import { banditErrorSchema, banditFindingSchema, pylintFindingSchema } from "../schemas.js";
import type { AnalysisResult, AnalyzerConfig } from "./pool.js";
import { EMPTY_PYLINTRC } from "./pool.js";
import { PYTHON_FLAGS, analyzerCwd, analyzerEnv, isNotFound, lastLine } from "./python.js";

export interface AnalyzerCliOptions extends AnalyzerConfig {
  /** Per tool; default 60000. */
  timeoutMs?: number;
}

const pylintOutputSchema = z.array(pylintFindingSchema);
const banditOutputSchema = z.object({
  results: z.array(banditFindingSchema),
  errors: z.array(banditErrorSchema),
});

// pylint's exit status is a bitmask: 1 fatal, 2 error, 4 warning, 8 refactor, 16 convention
// messages were issued; only 32 means that its command line was wrong.
const PYLINT_USAGE_ERROR = 32;

/** pylint's command line for one file, as the warm worker runs it in-process. */
export function pylintArgs(file: string, config: AnalyzerConfig): string[] {
  return [
    "--output-format=json",
    "--disable=all",
    `--enable=${config.pylintEnable.join(",")}`,
    // An explicit empty rcfile: no pylintrc, .pylintrc, setup.cfg or pyproject.toml is read.
    `--rcfile=${EMPTY_PYLINTRC}`,
    "--persistent=n",
    "--score=n",
    escapeGlob(file),
  ];
}

/** bandit's command line for one file, as the warm worker runs it in-process. */
export function banditArgs(file: string, config: AnalyzerConfig): string[] {
  return [
    "-f",
    "json",
    "-q",
    `--severity-level=${config.banditSeverity}`,
    `--confidence-level=${config.banditConfidence}`,
    ...(config.banditSkip.length > 0 ? [`--skip=${config.banditSkip.join(",")}`] : []),
    // bandit matches its default --exclude list as substrings of the path (".git" is in
    // "my.github.io") and would skip the file silently: exclude nothing.
    "--exclude=",
    file,
  ];
}

// pylint expands each argument with glob(); a path with [, * or ? must not match other files
// (Python's glob.escape).
function escapeGlob(file: string): string {
  return file.replace(/[*?[]/g, "[$&]");
}

/**
 * Runs the command-line pylint and bandit on one file, one new process each: the slow way,
 * kept to check the warm workers against and to benchmark them.
 */
export async function runAnalyzerClis(python: string, file: string, options: AnalyzerCliOptions): Promise<AnalysisResult> {
  const started = performance.now();
  const absolute = path.resolve(file);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const errors: string[] = [];
  let pylint: AnalysisResult["pylint"] = [];
  let bandit: AnalysisResult["bandit"] = [];
  let banditErrors: AnalysisResult["banditErrors"] = [];

  // pylint with nothing enabled prints "No files to lint" and exits 32; the worker skips it too.
  if (options.pylintEnable.length > 0) {
    const result = await runModule(python, "pylint", pylintArgs(absolute, options), timeoutMs);
    const parsed = pylintOutputSchema.safeParse(parseJson(result.stdout));
    if (result.timedOut) errors.push(`pylint/bandit timed out after ${timeoutMs / 1000}s`);
    else if (typeof result.exitCode === "number" && result.exitCode & PYLINT_USAGE_ERROR) {
      errors.push(`pylint: usage error: ${lastLine(result.stderr) || lastLine(result.stdout)}`);
    } else if (!parsed.success) errors.push(`pylint: no JSON report (${describe(result)})`);
    else pylint = parsed.data;
  }

  const result = await runModule(python, "bandit", banditArgs(absolute, options), timeoutMs);
  const parsed = banditOutputSchema.safeParse(parseJson(result.stdout));
  // bandit exits 1 when it reports issues, 0 when it cannot parse the file (that is in errors[]).
  if (result.timedOut) errors.push(`pylint/bandit timed out after ${timeoutMs / 1000}s`);
  else if (!parsed.success || (result.exitCode !== 0 && result.exitCode !== 1)) {
    errors.push(`bandit: no JSON report (${describe(result)})`);
  } else {
    bandit = parsed.data.results;
    banditErrors = parsed.data.errors;
  }

  return {
    pylint,
    bandit,
    banditErrors,
    error: errors.length > 0 ? [...new Set(errors)].join("; ") : null,
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function runModule(python: string, module: string, args: string[], timeoutMs: number): Promise<Result> {
  const result = await execa(python, [...PYTHON_FLAGS, "-m", module, ...args], {
    cwd: analyzerCwd(),
    env: analyzerEnv(),
    extendEnv: false,
    reject: false,
    timeout: timeoutMs,
    stdin: "ignore",
  });
  if (isNotFound(result)) throw dependencyError(`Python not found: ${python}`);
  return result;
}

function parseJson(stdout: unknown): unknown {
  if (typeof stdout !== "string") return undefined;
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

function describe(result: Result): string {
  const status = result.signal ? `signal ${result.signal}` : `exit status ${result.exitCode ?? "unknown"}`;
  const detail = lastLine(result.stderr);
  return detail ? `${status}: ${detail}` : status;
}
