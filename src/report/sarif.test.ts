import { describe, expect, it } from "vitest";
import type { Log } from "sarif";
import { fingerprintOf, type Finding } from "../analyzers/finding.js";
import { OASIS_SARIF_ID, sarifValidator } from "../../test/helpers/sarif-schema.js";
import type { FileReport, LoadedRun } from "./load.js";
import { buildSarif, FINGERPRINT_KEY, OUT_DIR_BASE } from "./sarif.js";

function finding(tool: string, rule: string, line: number, extra: Partial<Finding> = {}): Finding {
  return { tool, rule, severity: "medium", confidence: null, cwe: null, line, column: null, message: `${rule} here (${rule.toLowerCase()}-name)`, fingerprint: fingerprintOf(tool, rule, `line ${line}`), ...extra };
}

function file(id: string, initial: Finding[], final: Finding[]): FileReport {
  return {
    id,
    status: final.length === 0 ? "passed" : "unresolved",
    attempts: 2,
    verdict: null,
    mode: "validate",
    error: null,
    generateStatus: "success",
    initial,
    final,
    initialTests: null,
    finalTests: null,
    usage: null,
    model: null,
    initialPath: `code/${id}.py`,
    finalPath: `validation/Final_code/${id}.py`,
  };
}

const b602 = finding("bandit", "B602", 7, { severity: "high", confidence: "high", cwe: 78, column: 12, end_line: 8 });
const run: LoadedRun = {
  name: "baseline",
  outDir: "/tmp/runs/baseline",
  manifest: undefined,
  generateRows: null,
  files: [
    file("a", [b602, finding("bandit", "B404", 2, { severity: "low", cwe: 78 })], [b602]),
    file("b", [finding("pylint", "E0001", 4, { severity: "high", column: 13 }), finding("bandit", "bandit-error", 0, { severity: "high" })], []),
    file("c", [finding("semgrep", "python.lang.sqli", 3, { cwe: 89 })], [finding("semgrep", "python.lang.sqli", 3, { cwe: 89 })]),
    file("d e#1", [], [finding("pylint", "E0602", 2)]),
  ],
};

const validator = sarifValidator();

function results(log: Log) {
  return log.runs.flatMap((r) => r.results ?? []);
}

describe("SARIF", () => {
  it("validates against the OASIS SARIF 2.1.0 schema", () => {
    expect(validator.schemaId).toBe(OASIS_SARIF_ID);
    for (const side of ["initial", "final"] as const) {
      const log = buildSarif(run, side);
      expect(validator.validate(log), validator.errors()).toBe(true);
    }
  });

  it("the validator does reject a log that breaks the schema", () => {
    const log = buildSarif(run, "final") as unknown as { runs: Array<{ results: Array<{ level: string }> }> };
    const result = log.runs[1]?.results[0];
    if (!result) throw new Error("expected a bandit result");
    result.level = "catastrophic";
    expect(validator.validate(log)).toBe(false);
  });

  it("has one run per analyzer and one result per finding, located relative to the run folder", () => {
    const initial = buildSarif(run, "initial");
    expect(initial.runs.map((r) => r.tool.driver.name)).toEqual(["pylint", "bandit", "semgrep"]);
    expect(results(initial)).toHaveLength(5);
    expect(results(buildSarif(run, "final"))).toHaveLength(3);
    const [first] = initial.runs[1]?.results ?? [];
    expect(first?.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "code/a.py", uriBaseId: OUT_DIR_BASE },
      region: { startLine: 7, startColumn: 12, endLine: 8 },
    });
    expect(initial.runs[0]?.originalUriBaseIds?.[OUT_DIR_BASE]?.uri).toBe("file:///tmp/runs/baseline/");
    const final = buildSarif(run, "final");
    expect(final.runs[1]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("validation/Final_code/a.py");
    // Paths are URI references: an id's spaces and '#' are percent-encoded.
    expect(final.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("validation/Final_code/d%20e%231.py");
  });

  it("describes every rule once, with help, CWE tags and security-severity", () => {
    const log = buildSarif(run, "initial");
    const bandit = log.runs[1];
    const rules = bandit?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(["B602", "B404", "bandit-error"]);
    const rule = rules[0];
    expect(rule?.name).toBe("b602-name");
    expect(rule?.help?.text).toContain("CWE-78");
    expect(rule?.properties?.tags).toEqual(["security", "external/cwe/cwe-78"]);
    expect(rule?.properties?.["security-severity"]).toBe("7.5");
    for (const result of results(log)) {
      const driverRules = log.runs.find((r) => r.results?.includes(result))?.tool.driver.rules ?? [];
      expect(driverRules[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
      expect(result.partialFingerprints?.[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{16}:\d+$/);
      expect(result.locations?.[0]?.physicalLocation?.region?.startLine).toBeGreaterThanOrEqual(1);
    }
    // A whole-file finding (line 0) sits on line 1.
    const parseError = bandit?.results?.find((r) => r.ruleId === "bandit-error");
    expect(parseError?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 1 });
  });

  it("marks results against a baseline by fingerprint: unchanged, new, or none for ids the baseline lacks", () => {
    const current: LoadedRun = {
      ...run,
      name: "finetuned",
      files: [
        file("a", [b602, finding("bandit", "B324", 5, { cwe: 327 })], []),
        file("z", [b602], []),
      ],
    };
    const log = buildSarif(current, "initial", run);
    const states = Object.fromEntries(results(log).map((r) => [`${(r.properties as { id: string }).id} ${r.ruleId}`, r.baselineState ?? "none"]));
    expect(states).toEqual({ "a B602": "unchanged", "a B324": "new", "z B602": "none" });
    expect(log.runs[0]?.properties?.codeenhancer).toMatchObject({ baseline: { run: "baseline", compared_ids: 1 } });
    expect(validator.validate(log), validator.errors()).toBe(true);
  });
});
