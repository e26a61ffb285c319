import type { Finding, Severity } from "../analyzers/finding.js";
import { addUsage, emptyUsage, type Usage } from "../schemas.js";
import type { LoadedRun } from "./load.js";
import { costOf, lookupPrice, roundUsd } from "../llm/prices.js";

/** A count in the first version (attempt 1) and in the final one. */
export interface BeforeAfter {
  initial: number;
  final: number;
}

export interface RuleCount extends BeforeAfter {
  tool: string;
  rule: string;
  cwe: number | null;
  severity: Severity;
}

export interface RunSummary {
  name: string;
  files: number;
  funnel: {
    /** Items generate was given (null without generate's results.json). */
    prompts: number | null;
    generated: number | null;
    docstringOk: number | null;
    validated: number;
    cleanFirstTime: number;
    passed: number;
    unresolved: number;
    errors: { generate: number | null; validate: number };
  };
  findings: BeforeAfter;
  filesWithFindings: BeforeAfter;
  byRule: RuleCount[];
  byCwe: Array<BeforeAfter & { cwe: number | null }>;
  bySeverity: Record<Severity, BeforeAfter>;
  /** Files by the number of attempts they took, ascending. */
  attempts: Array<{ attempts: number; files: number }>;
  verdicts: { correct: number; incorrect: number; none: number };
  tokens: { generate: Usage | null; validate: Usage; total: number };
  /**
   * USD: the `cost_usd` the rows recorded (what was paid, at the prices of the run; replies from the
   * response cache cost nothing), else `estimated` from the tokens at the published price. `complete`
   * is false when some tokens were spent on a model without a known price.
   */
  cost: { usd: number; complete: boolean; estimated: boolean } | null;
  /** Only when some file had tests. */
  tests: { files: number; allPassedFirst: number; allPassedFinal: number; passedFirst: number; passedFinal: number; total: number } | null;
}

export const SEVERITIES: readonly Severity[] = ["high", "medium", "low"];

/** The headline numbers of a run, over every file or only over `ids`. */
export function summarizeRun(run: LoadedRun, ids?: ReadonlySet<string>): RunSummary {
  const files = ids ? run.files.filter((file) => ids.has(file.id)) : run.files;
  const generateRows = run.generateRows && ids ? run.generateRows.filter((row) => ids.has(row.prompt_id)) : run.generateRows;

  const rules = new Map<string, RuleCount>();
  const cwes = new Map<number | null, BeforeAfter & { cwe: number | null }>();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, { initial: 0, final: 0 }])) as Record<Severity, BeforeAfter>;
  const count = (findings: Finding[], side: keyof BeforeAfter): void => {
    for (const finding of findings) {
      const key = `${finding.tool}\u0000${finding.rule}`;
      let rule = rules.get(key);
      if (!rule) {
        rule = { tool: finding.tool, rule: finding.rule, cwe: finding.cwe, severity: finding.severity, initial: 0, final: 0 };
        rules.set(key, rule);
      }
      rule[side] += 1;
      let cwe = cwes.get(finding.cwe);
      if (!cwe) {
        cwe = { cwe: finding.cwe, initial: 0, final: 0 };
        cwes.set(finding.cwe, cwe);
      }
      cwe[side] += 1;
      bySeverity[finding.severity][side] += 1;
    }
  };

  const attempts = new Map<number, number>();
  const validateUsage = emptyUsage();
  let cost = 0;
  let costComplete = true;
  let costKnown = false;
  let costEstimated = false;
  const addCost = (model: string | null | undefined, usage: Usage, recorded: number | null | undefined): void => {
    if (usage.total_tokens === 0) return;
    if (recorded !== undefined) {
      if (recorded === null) costComplete = false;
      else {
        cost += recorded;
        costKnown = true;
      }
      return;
    }
    // Rows written before cost_usd existed: their tokens at the published price.
    const price = model ? lookupPrice(model) : undefined;
    if (!price) costComplete = false;
    else {
      cost += costOf(usage, price);
      costKnown = true;
      costEstimated = true;
    }
  };
  const tests = { files: 0, allPassedFirst: 0, allPassedFinal: 0, passedFirst: 0, passedFinal: 0, total: 0 };
  const verdicts = { correct: 0, incorrect: 0, none: 0 };
  let cleanFirstTime = 0;
  let withFindingsFirst = 0;
  let withFindingsFinal = 0;
  for (const file of files) {
    count(file.initial, "initial");
    count(file.final, "final");
    if (file.status !== "error" && file.initial.length === 0) cleanFirstTime += 1;
    if (file.initial.length > 0) withFindingsFirst += 1;
    if (file.final.length > 0) withFindingsFinal += 1;
    attempts.set(file.attempts, (attempts.get(file.attempts) ?? 0) + 1);
    if (file.verdict === "Correct") verdicts.correct += 1;
    else if (file.verdict === "Incorrect") verdicts.incorrect += 1;
    else verdicts.none += 1;
    if (file.usage) {
      addUsage(validateUsage, file.usage);
      addCost(file.model ?? run.manifest?.validate?.model, file.usage, file.costUsd);
    }
    if (file.initialTests || file.finalTests) {
      tests.files += 1;
      const first = file.initialTests;
      const final = file.finalTests;
      if (first && first.total > 0 && first.passed === first.total) tests.allPassedFirst += 1;
      if (final && final.total > 0 && final.passed === final.total) tests.allPassedFinal += 1;
      tests.passedFirst += first?.passed ?? 0;
      tests.passedFinal += final?.passed ?? 0;
      tests.total += first?.total ?? final?.total ?? 0;
    }
  }

  let generateUsage: Usage | null = null;
  let generateErrors: number | null = null;
  let generated: number | null = null;
  let docstringOk: number | null = null;
  if (generateRows) {
    generateUsage = emptyUsage();
    generateErrors = 0;
    generated = 0;
    docstringOk = 0;
    for (const row of generateRows) {
      const status = row.status === "skipped" ? (row.previous_status ?? "success") : row.status;
      if (status === "error") generateErrors += 1;
      else generated += 1;
      if (status === "success") docstringOk += 1;
      if (row.usage) {
        addUsage(generateUsage, row.usage);
        addCost(row.model ?? run.manifest?.generate?.model, row.usage, row.cost_usd);
      }
    }
  }

  const byStatus = (status: string) => files.filter((file) => file.status === status).length;
  return {
    name: run.name,
    files: files.length,
    funnel: {
      prompts: generateRows ? generateRows.length : null,
      generated,
      docstringOk,
      validated: files.length,
      cleanFirstTime,
      passed: byStatus("passed"),
      unresolved: byStatus("unresolved"),
      errors: { generate: generateErrors, validate: byStatus("error") },
    },
    findings: { initial: sum(files.map((f) => f.initial.length)), final: sum(files.map((f) => f.final.length)) },
    filesWithFindings: { initial: withFindingsFirst, final: withFindingsFinal },
    byRule: [...rules.values()].sort((a, b) => b.initial + b.final - (a.initial + a.final) || a.rule.localeCompare(b.rule)),
    byCwe: [...cwes.values()].sort((a, b) => b.initial + b.final - (a.initial + a.final) || (a.cwe ?? Infinity) - (b.cwe ?? Infinity)),
    bySeverity,
    attempts: [...attempts.entries()].sort(([a], [b]) => a - b).map(([n, filesCount]) => ({ attempts: n, files: filesCount })),
    verdicts,
    tokens: {
      generate: generateUsage,
      validate: validateUsage,
      total: validateUsage.total_tokens + (generateUsage?.total_tokens ?? 0),
    },
    cost: costKnown ? { usd: roundUsd(cost), complete: costComplete, estimated: costEstimated } : null,
    tests: tests.files > 0 ? tests : null,
  };
}

export interface Comparison {
  baseline: RunSummary;
  current: RunSummary;
  /** Ids validated in both runs: the only ones compared. */
  commonIds: number;
  onlyBaseline: number;
  onlyCurrent: number;
}

/** Two runs over the ids both validated. */
export function compareRuns(baseline: LoadedRun, current: LoadedRun): Comparison {
  const before = new Set(baseline.files.map((file) => file.id));
  const after = new Set(current.files.map((file) => file.id));
  const common = new Set([...after].filter((id) => before.has(id)));
  return {
    baseline: summarizeRun(baseline, common),
    current: summarizeRun(current, common),
    commonIds: common.size,
    onlyBaseline: before.size - common.size,
    onlyCurrent: after.size - common.size,
  };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
