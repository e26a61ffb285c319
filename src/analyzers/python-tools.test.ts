import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { combineAnalyzers } from "./combine.js";
import { fingerprintOf } from "./finding.js";
import { createAnalyzerPool, type AnalysisResult, type AnalyzerPool } from "./pool.js";
import { createWorkerAnalyzers, revisionFindings, seedLogFields } from "./python-tools.js";

const python = process.env.CODEENHANCER_PYTHON ?? path.resolve(".venv/bin/python");
const fixturesDir = fileURLToPath(new URL("../../test/fixtures/analyzers/", import.meta.url));
const fixture = (name: string): string => path.join(fixturesDir, `${name}.py`);
const lineOf = (name: string, line: number): string => readFileSync(fixture(name), "utf8").split("\n")[line - 1] ?? "";

describe("pylint and bandit as analyzers over the warm pool (real tools)", () => {
  const pool = createAnalyzerPool({ python, pylintEnable: ["E0001", "E0602", "W0611"], banditSeverity: "low", banditConfidence: "low", banditSkip: [], workers: 1 });
  const combined = combineAnalyzers(createWorkerAnalyzers(pool, { pylint: true, bandit: true }));
  afterAll(() => combined.close());

  it("normalizes Bandit's severity, confidence and CWE, and keeps its report as raw", async () => {
    const analysis = await combined.analyzeFile(fixture("shell_injection"));
    expect(analysis.error).toBeNull();
    const b602 = analysis.findings.find((f) => f.rule === "B602");
    expect(b602).toEqual({
      tool: "bandit",
      rule: "B602",
      severity: "high",
      confidence: "high",
      cwe: 78,
      line: 7,
      column: 12,
      message: "subprocess call with shell=True identified, security issue. (subprocess_popen_with_shell_equals_true)",
      fingerprint: fingerprintOf("bandit", "B602", lineOf("shell_injection", 7)),
    });
    expect(analysis.findings.find((f) => f.rule === "B404")).toMatchObject({ severity: "low", confidence: "high", cwe: 78, line: 2 });
    const fields = seedLogFields(analysis.raw);
    expect(fields.bandit_issues.map((r) => r.test_id).sort()).toEqual(["B404", "B602"]);
    expect(fields.pylint_issues).toEqual([]);
  });

  it("maps Pylint's message type to a severity; its 0-based column to a 1-based one", async () => {
    const analysis = await combined.analyzeFile(fixture("undefined_name"));
    expect(analysis.findings.map((f) => [f.tool, f.rule, f.severity, f.line, f.column, f.cwe])).toEqual([
      ["pylint", "E0602", "high", 7, 26, null],
      ["pylint", "W0611", "medium", 2, 1, null],
    ]);
    expect(analysis.findings[1]?.fingerprint).toBe(fingerprintOf("pylint", "W0611", "import os"));
    expect(analysis.findings[1]?.message).toBe("Unused import os (unused-import)");
    expect(seedLogFields(analysis.raw).pylint_issues.map((m) => m["message-id"])).toEqual(["E0602", "W0611"]);
  });

  it("reports a file Bandit could not parse as a bandit-error finding, never as clean", async () => {
    const analysis = await combined.analyzeFile(fixture("syntax_error"));
    expect(analysis.findings.map((f) => [f.tool, f.rule, f.severity])).toEqual([
      ["pylint", "E0001", "high"],
      ["bandit", "bandit-error", "high"],
    ]);
    expect(analysis.findings[1]?.message).toBe("Bandit could not scan the file: syntax error while parsing AST from file");
    expect(seedLogFields(analysis.raw).bandit_errors).toHaveLength(1);
  });
});

// A plain stand-in for the pool: counts requests, answers with a fixed result.
function fakePool(answer: Omit<AnalysisResult, "elapsedMs">): AnalyzerPool & { requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    versions: { python: "3.11.0", pylint: "4.1.4", bandit: "1.9.4" },
    analyze(file) {
      requests.push(file);
      return Promise.resolve({ ...answer, elapsedMs: 1 });
    },
    warm() {},
    close: () => Promise.resolve(),
  };
}

describe("createWorkerAnalyzers", () => {
  const none = { pylint: [], bandit: [], banditErrors: [] };

  it("asks the worker once per file for both analyzers", async () => {
    const pool = fakePool({ ...none, error: null });
    const combined = combineAnalyzers(createWorkerAnalyzers(pool, { pylint: true, bandit: true }));
    expect(combined.analyzers.map((a) => [a.name, a.version])).toEqual([
      ["pylint", "4.1.4"],
      ["bandit", "1.9.4"],
    ]);
    const analysis = await combined.analyzeFile(fixture("clean"));
    expect(pool.requests).toEqual([fixture("clean")]);
    expect(analysis).toMatchObject({ findings: [], raw: { pylint: [], bandit: { results: [], errors: [] } }, error: null });
  });

  it("charges a tool's failure to that tool, a worker's failure to both (named once)", async () => {
    const own = await combineAnalyzers(createWorkerAnalyzers(fakePool({ ...none, error: "bandit: ValueError: bad" }), { pylint: true, bandit: true })).analyzeFile(fixture("clean"));
    expect(own.error).toBe("bandit: ValueError: bad");
    const both = await combineAnalyzers(createWorkerAnalyzers(fakePool({ ...none, error: "pylint/bandit timed out after 60s" }), { pylint: true, bandit: true })).analyzeFile(fixture("clean"));
    expect(both.error).toBe("pylint, bandit: pylint/bandit timed out after 60s");
  });

  it("leaves out the tool that is not selected", async () => {
    const combined = combineAnalyzers(createWorkerAnalyzers(fakePool({ ...none, error: null }), { pylint: false, bandit: true }));
    expect(combined.analyzers.map((a) => a.name)).toEqual(["bandit"]);
    expect(Object.keys((await combined.analyzeFile(fixture("clean"))).raw)).toEqual(["bandit"]);
  });
});

describe("revisionFindings", () => {
  it("reads the findings of a 0.1.0 log from its Pylint and Bandit fields", () => {
    const findings = revisionFindings({
      attempt: 1,
      pylint_issues: [{ type: "error", line: 3, column: 0, symbol: "syntax-error", "message-id": "E0001", message: "bad" }],
      bandit_issues: [{ test_id: "B324", test_name: "hashlib", issue_text: "weak", issue_severity: "HIGH", issue_confidence: "HIGH", line_number: 4, issue_cwe: { id: 327, link: "x" } }],
      bandit_errors: [],
      analyzer_error: null,
      sast_prompt: null,
      sast_response: null,
      functional_prompt: null,
      functional_response: null,
      status: "Analyzed",
      note: null,
    });
    expect(findings.map((f) => [f.tool, f.rule, f.severity, f.cwe])).toEqual([
      ["pylint", "E0001", "high", null],
      ["bandit", "B324", "high", 327],
    ]);
  });
});
