import { describe, expect, it } from "vitest";
import { CliError } from "../errors.js";
import { DEFAULT_BANDIT, PROFILES, resolveAnalyzerFlags } from "./registry.js";

describe("resolveAnalyzerFlags", () => {
  it("takes the default profile: Pylint, Bandit without its measured over-reports, Semgrep", () => {
    expect(resolveAnalyzerFlags({ profile: "default", sarifAnalyzers: [] })).toEqual({ analyzers: ["pylint", "bandit", "semgrep"], ...DEFAULT_BANDIT, sarif: [] });
  });

  it("--profile seed is the original: Pylint and every Bandit finding, nothing else", () => {
    expect(resolveAnalyzerFlags({ profile: "seed", sarifAnalyzers: [] })).toEqual({
      analyzers: ["pylint", "bandit"],
      banditSeverity: "low",
      banditConfidence: "low",
      banditSkip: [],
      sarif: [],
    });
    expect(PROFILES.seed.banditSkip).toEqual([]);
  });

  it("lets each flag given win over its profile's value, one at a time", () => {
    const resolved = resolveAnalyzerFlags({ profile: "default", analyzers: ["bandit", "semgrep", "bandit"], banditSkip: [], sarifAnalyzers: ["ruff=ruff check --output-format sarif"] });
    expect(resolved).toMatchObject({ analyzers: ["bandit", "semgrep"], banditSeverity: "medium", banditSkip: [] });
    expect(resolved.sarif).toEqual([{ name: "ruff", argv: ["ruff", "check", "--output-format", "sarif"] }]);
    expect(resolveAnalyzerFlags({ profile: "seed", analyzers: ["semgrep"], banditSeverity: "high", sarifAnalyzers: [] })).toMatchObject({ analyzers: ["semgrep"], banditSeverity: "high", banditSkip: [] });
  });

  it("refuses unknown analyzers, no analyzer at all and two SARIF tools of one name", () => {
    expect(() => resolveAnalyzerFlags({ profile: "default", analyzers: ["pylint", "codeql"], sarifAnalyzers: [] })).toThrow(/unknown analyzer codeql/);
    expect(() => resolveAnalyzerFlags({ profile: "default", analyzers: [], sarifAnalyzers: [] })).toThrow(CliError);
    expect(() => resolveAnalyzerFlags({ profile: "default", sarifAnalyzers: ["a=x", "a=y"] })).toThrow(/two analyzers are named a/);
  });
});
