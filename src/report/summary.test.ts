import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Finding } from "../analyzers/finding.js";
import { fingerprintOf } from "../analyzers/finding.js";
import type { Revision } from "../schemas.js";
import { revisionFindings } from "./input.js";
import type { FileReport, LoadedRun } from "./load.js";
import { renderMarkdown } from "./markdown.js";
import { compareRuns, summarizeRun } from "./summary.js";

const captured = JSON.parse(readFileSync(new URL("../../test/fixtures/analyzers/captured-results.json", import.meta.url), "utf8")) as Record<
  string,
  { pylint: Revision["pylint_issues"]; bandit: Revision["bandit_issues"]; banditErrors: Revision["bandit_errors"] }
>;

function revisionOf(name: string, extra: Partial<Revision> = {}): Revision {
  const result = captured[name];
  if (!result) throw new Error(`no captured result ${name}`);
  return {
    attempt: 1,
    pylint_issues: result.pylint,
    bandit_issues: result.bandit,
    bandit_errors: result.banditErrors,
    analyzer_error: null,
    sast_prompt: null,
    sast_response: null,
    functional_prompt: null,
    functional_response: null,
    status: "Analyzed",
    note: null,
    ...extra,
  };
}

function finding(tool: string, rule: string, extra: Partial<Finding> = {}): Finding {
  return { tool, rule, severity: "high", confidence: null, cwe: null, line: 3, column: 1, message: `${rule} found`, fingerprint: fingerprintOf(tool, rule, rule), ...extra };
}

function file(id: string, extra: Partial<FileReport> = {}): FileReport {
  return {
    id,
    status: "passed",
    attempts: 1,
    verdict: "Correct",
    mode: "validate",
    error: null,
    generateStatus: "success",
    initial: [],
    final: [],
    initialTests: null,
    finalTests: null,
    usage: null,
    model: "gpt-4o",
    initialPath: `code/${id}.py`,
    finalPath: `validation/Final_code/${id}.py`,
    ...extra,
  };
}

function run(name: string, files: FileReport[], generate = true): LoadedRun {
  return {
    name,
    outDir: `/tmp/${name}`,
    manifest: undefined,
    generateRows: generate ? files.map((f) => ({ prompt_id: f.id, status: "success" as const })) : null,
    files,
  };
}

describe("revisionFindings (logs without normalized findings)", () => {
  it("turns Pylint messages, Bandit results and Bandit parse errors into Findings", () => {
    const findings = revisionFindings(revisionOf("syntax_error"), "x = 1\ny = 2\nz = 3\nprint((\n");
    expect(findings.map((f) => [f.tool, f.rule, f.line, f.column, f.severity])).toEqual([
      ["pylint", "E0001", 4, 13, "high"],
      ["bandit", "bandit-error", 0, null, "high"],
    ]);
    expect(findings[0]?.message).toMatch(/\(syntax-error\)$/);
    // The fingerprint is over the flagged line's text, so it follows the code, not the line number.
    expect(findings[0]?.fingerprint).toBe(fingerprintOf("pylint", "E0001", "print(("));
  });

  it("keeps Bandit's CWE, severity and confidence, and makes its 0-based column 1-based", () => {
    const findings = revisionFindings(revisionOf("shell_injection"));
    expect(findings.map((f) => [f.rule, f.cwe, f.severity, f.confidence, f.line, f.column])).toEqual([
      ["B404", 78, "low", "high", 2, 1],
      ["B602", 78, "high", "high", 7, 12],
    ]);
  });

  it("uses a log's normalized findings when it has them", () => {
    const own = [finding("semgrep", "python.sqli", { cwe: 89 })];
    expect(revisionFindings(revisionOf("shell_injection", { findings: own }))).toEqual(own);
    expect(revisionFindings(undefined)).toEqual([]);
  });
});

describe("summarizeRun", () => {
  const files = [
    file("a", { initial: [finding("bandit", "B602", { cwe: 78 }), finding("bandit", "B404", { cwe: 78, severity: "low" })], attempts: 2 }),
    file("b", { status: "unresolved", verdict: "Incorrect", initial: [finding("pylint", "E0001")], final: [finding("pylint", "E0001")], attempts: 5 }),
    file("c", { usage: { prompt_tokens: 1_000_000, completion_tokens: 100_000, total_tokens: 1_100_000 } }),
    file("d", { status: "error", verdict: null, error: "analyzers failed", attempts: 1 }),
  ];
  const summary = summarizeRun(run("base", files));

  it("counts the funnel", () => {
    expect(summary.funnel).toEqual({
      prompts: 4,
      generated: 4,
      docstringOk: 4,
      validated: 4,
      cleanFirstTime: 1, // c; d has no findings but ended in error
      passed: 2,
      unresolved: 1,
      errors: { generate: 0, validate: 1 },
    });
  });

  it("counts findings before and after by rule, CWE and severity", () => {
    expect(summary.findings).toEqual({ initial: 3, final: 1 });
    expect(summary.filesWithFindings).toEqual({ initial: 2, final: 1 });
    expect(summary.byRule.map((r) => [r.tool, r.rule, r.initial, r.final])).toEqual([
      ["pylint", "E0001", 1, 1],
      ["bandit", "B404", 1, 0],
      ["bandit", "B602", 1, 0],
    ]);
    expect(summary.byCwe).toEqual([
      { cwe: 78, initial: 2, final: 0 },
      { cwe: null, initial: 1, final: 1 },
    ]);
    expect(summary.bySeverity).toEqual({ high: { initial: 2, final: 1 }, medium: { initial: 0, final: 0 }, low: { initial: 1, final: 0 } });
  });

  it("makes the attempts histogram, verdicts, tokens and cost", () => {
    expect(summary.attempts).toEqual([
      { attempts: 1, files: 2 },
      { attempts: 2, files: 1 },
      { attempts: 5, files: 1 },
    ]);
    expect(summary.verdicts).toEqual({ correct: 2, incorrect: 1, none: 1 });
    expect(summary.tokens.total).toBe(1_100_000);
    // gpt-4o: $2.50 per million prompt tokens, $10 per million completion tokens.
    expect(summary.cost).toEqual({ usd: 3.5, complete: true, estimated: true });
    expect(summary.tests).toBeNull();
  });

  it("says when the cost leaves out tokens of a model without a known price", () => {
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 0, total_tokens: 1_000_000 };
    const mixed = summarizeRun(run("m", [file("a", { usage }), file("b", { usage, model: "qwen2.5-coder:7b" })]));
    expect(mixed.cost).toEqual({ usd: 2.5, complete: false, estimated: true });
    expect(summarizeRun(run("q", [file("b", { usage, model: "qwen2.5-coder:7b" })])).cost).toBeNull();
  });

  it("takes the cost the rows recorded over an estimate: configured prices, nothing for replies from the cache", () => {
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 0, total_tokens: 1_000_000 };
    const recorded = summarizeRun(
      run("r", [file("a", { usage, costUsd: 0.2 }), file("b", { usage, model: "qwen2.5-coder:7b", costUsd: 0.1 }), file("c", { usage, costUsd: 0 })], false),
    );
    expect(recorded.cost).toEqual({ usd: 0.3, complete: true, estimated: false });
    const unpriced = summarizeRun(run("u", [file("a", { usage, costUsd: 0.2 }), file("b", { usage, model: "qwen2.5-coder:7b", costUsd: null })], false));
    expect(unpriced.cost).toEqual({ usd: 0.2, complete: false, estimated: false });
    expect(renderMarkdown(recorded, undefined)).toContain("| cost (USD) | $0.3000 |");
  });

  it("counts tests passed first time and at the end when files had tests", () => {
    const withTests = summarizeRun(
      run("t", [
        file("x", { initialTests: { passed: 1, total: 3 }, finalTests: { passed: 3, total: 3 } }),
        file("y", { initialTests: { passed: 2, total: 2 }, finalTests: { passed: 2, total: 2 } }),
        file("z"),
      ]),
    );
    expect(withTests.tests).toEqual({ files: 2, allPassedFirst: 1, allPassedFinal: 2, passedFirst: 3, passedFinal: 5, total: 5 });
  });

  it("leaves out generate's numbers for a folder without generate's results", () => {
    const alone = summarizeRun(run("input", [file("a")], false));
    expect(alone.funnel.prompts).toBeNull();
    expect(alone.funnel.errors.generate).toBeNull();
    expect(alone.tokens.generate).toBeNull();
  });
});

describe("compareRuns", () => {
  it("compares only the ids both runs validated, and says how many", () => {
    const baseline = run("baseline", [file("a", { initial: [finding("bandit", "B602")] }), file("b", { initial: [finding("bandit", "B602")] }), file("only-a")]);
    const current = run("finetuned", [file("a"), file("b", { initial: [finding("bandit", "B602")] }), file("new-1"), file("new-2", { initial: [finding("bandit", "B324")] })]);
    const comparison = compareRuns(baseline, current);
    expect(comparison.commonIds).toBe(2);
    expect(comparison.onlyBaseline).toBe(1);
    expect(comparison.onlyCurrent).toBe(2);
    expect(comparison.baseline.files).toBe(2);
    expect(comparison.baseline.findings.initial).toBe(2);
    expect(comparison.current.findings.initial).toBe(1);
    expect(comparison.current.funnel.prompts).toBe(2);

    const markdown = renderMarkdown(summarizeRun(current), undefined, comparison);
    expect(markdown).toContain("| | baseline | finetuned | difference |");
    expect(markdown).toContain("Compared over the 2 ids validated in both runs (1 only in baseline, 2 only in finetuned).");
    expect(markdown).toContain("| findings, first version | 2 | 1 | -1 |");
  });
});
