import { usageError } from "../errors.js";
import { combineAnalyzers, type CombinedAnalyzers } from "./combine.js";
import type { Analyzer } from "./finding.js";
import { createAnalyzerPool, type AnalyzerLevel } from "./pool.js";
import { createWorkerAnalyzers } from "./python-tools.js";
import { probeAnalyzers, type AnalyzerVersions, type PythonTool } from "./python.js";
import { createSarifAnalyzer, parseSarifAnalyzerSpec, type SarifAnalyzerSpec } from "./sarif.js";
import { createSemgrepAnalyzer, loadRulePack, type RulePack, type SemgrepAnalyzer } from "./semgrep.js";

// The analyzers a run uses, built from names: the only place that knows every kind of detector.

export const BUILTIN_ANALYZERS = ["pylint", "bandit", "semgrep"] as const;
export type BuiltinAnalyzer = (typeof BUILTIN_ANALYZERS)[number];

export interface BanditThresholds {
  banditSeverity: AnalyzerLevel;
  banditConfidence: AnalyzerLevel;
  banditSkip: string[];
}

export interface AnalyzerProfile extends BanditThresholds {
  analyzers: BuiltinAnalyzer[];
}

/**
 * Bandit in the default profile: severity medium and up, any confidence, without B310 and B413.
 * Measured on bench/detection (Bandit 1.9.4, 72 insecure and 102 secure programs, beside the
 * project's Semgrep rules; the tables are in bench/detection/README.md):
 * - Severity low holds Bandit's noisy tests: B101 (`assert`), B105-B107 ("hard-coded password" on
 *   any string near a password-like name), B311 (`random` anywhere), B403/B404/B406 (imports of
 *   pickle, subprocess, xml.sax), B603/B607 (any `subprocess` call with an argument list), B110/B112
 *   (try/except/pass). Every false finding they add is on secure code; the one insecure file only
 *   they find (a one-time code from `random.randint`, B311) is one of 72. Semgrep's rules of rules/
 *   flag the precise forms (a literal secret assigned to a credential name, `random` used for a
 *   token).
 * - B310 flags every `urllib.request.urlopen` and B413 every PyCryptodome import (AES-GCM too):
 *   their hits on secure files are their only effect beside Semgrep.
 * - Confidence stays low: B608 reports two of the three SQL injections at confidence low.
 * - B113 (requests without a timeout, severity medium) is left out by judgment, not measured (no
 *   case in the corpus): an availability matter outside the weaknesses this oracle looks for, and
 *   common in correct generated code.
 * Bandit alone then flags 24/72 insecure and 1/102 secure programs; with Semgrep, 61/72 and 8/102.
 */
export const DEFAULT_BANDIT: BanditThresholds = { banditSeverity: "medium", banditConfidence: "low", banditSkip: ["B113", "B310", "B413"] };

export const PROFILES = {
  /** Measured to be both sensitive and precise (README "Analyzers"). */
  default: { analyzers: ["pylint", "bandit", "semgrep"], ...DEFAULT_BANDIT },
  /** The original scripts exactly: Pylint E0001 and every Bandit finding, nothing else. */
  seed: { analyzers: ["pylint", "bandit"], banditSeverity: "low", banditConfidence: "low", banditSkip: [] },
} satisfies Record<string, AnalyzerProfile>;
export type ProfileName = keyof typeof PROFILES;

/** `--analyzers` names checked against the built-in analyzers; one usage error lists the unknown ones. */
export function checkAnalyzerNames(names: readonly string[]): BuiltinAnalyzer[] {
  const unknown = names.filter((name) => !(BUILTIN_ANALYZERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw usageError(`--analyzers: unknown analyzer ${unknown.join(", ")}: expected some of ${BUILTIN_ANALYZERS.join(", ")} (add other tools with --sarif-analyzer NAME=COMMAND)`);
  }
  if (names.length === 0) throw usageError("--analyzers: name at least one analyzer");
  return [...new Set(names)] as BuiltinAnalyzer[];
}

export interface AnalyzerSetupOptions extends BanditThresholds {
  python: string;
  analyzers: readonly BuiltinAnalyzer[];
  pylintEnable: string[];
  sarif: readonly SarifAnalyzerSpec[];
  /** Per file (per batch for Semgrep). */
  timeoutMs: number;
  workers?: number | undefined;
  /** Where SARIF commands run: the user's working folder. */
  cwd: string;
  rulesDir?: string | undefined;
  /** Where the parsed rule pack is kept between runs (the user's cache folder). */
  cacheDir?: string | undefined;
}

export interface OpenedAnalyzers extends CombinedAnalyzers {
  versions: AnalyzerVersions;
  rulePack: RulePack | undefined;
}

/**
 * Starts the selected analyzers: the warm Pylint/Bandit workers begin importing while the probe
 * checks the Python packages, then Semgrep loads and checks its rule pack. Throws a one-line
 * dependencyError (and closes what it started) when something is missing.
 */
export async function openAnalyzers(options: AnalyzerSetupOptions): Promise<OpenedAnalyzers> {
  const selected = new Set(options.analyzers);
  const analyzers: Analyzer[] = [];
  let semgrep: SemgrepAnalyzer | undefined;
  const tools: PythonTool[] = [...selected];
  const closeAll = () => Promise.all(analyzers.map((analyzer) => analyzer.close()));
  try {
    if (selected.has("pylint") || selected.has("bandit")) {
      const pool = createAnalyzerPool({
        python: options.python,
        // The worker skips pylint when nothing is enabled.
        pylintEnable: selected.has("pylint") ? options.pylintEnable : [],
        banditSeverity: options.banditSeverity,
        banditConfidence: options.banditConfidence,
        banditSkip: options.banditSkip,
        workers: options.workers,
        timeoutMs: options.timeoutMs,
      });
      pool.warm();
      analyzers.push(...createWorkerAnalyzers(pool, { pylint: selected.has("pylint"), bandit: selected.has("bandit") }));
    }
    // The rule pack is read (from the cache, or ~0.15 s of YAML) while Python answers the probe.
    const packLoading = selected.has("semgrep") ? loadRulePack(options.rulesDir, options.cacheDir) : undefined;
    packLoading?.catch(() => undefined);
    const versions = await probeAnalyzers(options.python, tools);
    if (packLoading && versions.semgrep) {
      semgrep = createSemgrepAnalyzer({ core: versions.semgrep.core, version: versions.semgrep.version, rulePack: await packLoading, timeoutMs: options.timeoutMs, cacheDir: options.cacheDir });
      analyzers.push(semgrep);
      await semgrep.start();
    }
    for (const spec of options.sarif) analyzers.push(createSarifAnalyzer({ ...spec, cwd: options.cwd, timeoutMs: options.timeoutMs }));
    return { ...combineAnalyzers(analyzers), versions, rulePack: semgrep?.rulePack };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

export interface AnalyzerFlags {
  profile: ProfileName;
  analyzers?: string[] | undefined;
  banditSeverity?: AnalyzerLevel | undefined;
  banditConfidence?: AnalyzerLevel | undefined;
  banditSkip?: string[] | undefined;
  sarifAnalyzers: string[];
}

/** The analyzers and Bandit thresholds the flags ask for: each flag given wins over its profile's value. */
export function resolveAnalyzerFlags(flags: AnalyzerFlags): BanditThresholds & { analyzers: BuiltinAnalyzer[]; sarif: SarifAnalyzerSpec[] } {
  const profile: AnalyzerProfile = PROFILES[flags.profile];
  const sarif = flags.sarifAnalyzers.map(parseSarifAnalyzerSpec);
  const names = new Set<string>();
  for (const spec of sarif) {
    if (names.has(spec.name)) throw usageError(`--sarif-analyzer: two analyzers are named ${spec.name}`);
    names.add(spec.name);
  }
  return {
    analyzers: checkAnalyzerNames(flags.analyzers ?? profile.analyzers),
    banditSeverity: flags.banditSeverity ?? profile.banditSeverity,
    banditConfidence: flags.banditConfidence ?? profile.banditConfidence,
    banditSkip: flags.banditSkip ?? profile.banditSkip,
    sarif,
  };
}

/**
 * One line for `doctor`: each selected analyzer with its version, the rule pack's version and
 * hash (its rules checked by semgrep-core), and the SARIF commands. Throws like openAnalyzers.
 */
export async function describeAnalyzers(options: BanditThresholds & { python: string; analyzers: readonly BuiltinAnalyzer[]; sarif: readonly SarifAnalyzerSpec[]; rulesDir?: string | undefined; from?: string }): Promise<string> {
  const selected = new Set(options.analyzers);
  const versions = await probeAnalyzers(options.python, [...selected]);
  const parts: string[] = [];
  if (selected.has("pylint")) parts.push(`pylint ${versions.pylint}`);
  if (selected.has("bandit")) {
    const skips = options.banditSkip.length > 0 ? `, skips ${options.banditSkip.join(",")}` : "";
    parts.push(`bandit ${versions.bandit} (severity >= ${options.banditSeverity}, confidence >= ${options.banditConfidence}${skips})`);
  }
  if (selected.has("semgrep") && versions.semgrep) {
    const semgrep = createSemgrepAnalyzer({ core: versions.semgrep.core, version: versions.semgrep.version, rulesDir: options.rulesDir });
    try {
      await semgrep.check();
      const pack = semgrep.rulePack;
      parts.push(`semgrep ${versions.semgrep.version} with rule pack ${pack?.version ?? "?"} (sha256 ${pack?.hash ?? "?"}, ${pack?.rules.length ?? 0} rules)`);
    } finally {
      await semgrep.close();
    }
  }
  for (const spec of options.sarif) parts.push(`${spec.name} (SARIF: ${spec.argv.join(" ")})`);
  return `${versions.python} (Python ${versions.pythonVersion}${options.from ? `, from ${options.from}` : ""}): ${parts.join(", ")}`;
}
