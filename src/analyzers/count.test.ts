import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareFindings, findingsByCwe, findingsByRule } from "./count.js";
import type { Finding } from "./finding.js";
import { fingerprintOf } from "./finding.js";
import { lineReader, normalizeBandit, normalizePylint } from "./python-tools.js";

// Real pylint + bandit results on test/fixtures/analyzers/*.py (see test/fixtures/README.md).
type Fixture = "syntax_error" | "shell_injection" | "weak_hash" | "clean" | "undefined_name";
const captured = JSON.parse(readFileSync(new URL("../../test/fixtures/analyzers/captured-results.json", import.meta.url), "utf8")) as Record<
  Fixture,
  { pylint: Parameters<typeof normalizePylint>[0]; bandit: Parameters<typeof normalizeBandit>[0]["results"]; banditErrors: Parameters<typeof normalizeBandit>[0]["errors"] }
>;

function findings(name: Fixture, text = readFileSync(new URL(`../../test/fixtures/analyzers/${name}.py`, import.meta.url), "utf8")): Finding[] {
  const lines = lineReader(text);
  const raw = captured[name];
  return [...normalizePylint(raw.pylint, lines), ...normalizeBandit({ results: raw.bandit, errors: raw.banditErrors }, lines)];
}

const semgrep = (rule: string, cwe: number | null, line: number, lineText: string): Finding => ({
  tool: "semgrep",
  rule,
  severity: "high",
  confidence: "medium",
  cwe,
  line,
  column: 5,
  message: "user input reaches the query",
  fingerprint: fingerprintOf("semgrep", rule, lineText),
});

describe("findingsByRule and findingsByCwe", () => {
  it("count by rule id across tools, bandit-error included", () => {
    expect(findingsByRule(findings("clean"))).toEqual({});
    expect(findingsByRule(findings("syntax_error"))).toEqual({ E0001: 1, "bandit-error": 1 });
    expect(findingsByRule([...findings("undefined_name"), ...findings("weak_hash"), ...findings("weak_hash")])).toEqual({ W0611: 1, E0602: 1, B324: 2 });
    expect(findingsByRule([...findings("shell_injection"), semgrep("py.sqli", 89, 3, "x")])).toEqual({ B404: 1, B602: 1, "py.sqli": 1 });
  });

  it("count by CWE, leaving out findings that name none", () => {
    expect(findingsByCwe(findings("shell_injection"))).toEqual({ "CWE-78": 2 });
    expect(findingsByCwe([...findings("undefined_name"), ...findings("weak_hash"), semgrep("py.sqli", 89, 3, "x"), semgrep("py.other", null, 4, "y")])).toEqual({
      "CWE-327": 1,
      "CWE-89": 1,
    });
  });
});

describe("compareFindings", () => {
  it("reports what a fix added and removed", () => {
    const before = [...findings("shell_injection"), ...findings("undefined_name")];
    const after = [...findings("weak_hash"), ...findings("undefined_name")];
    const { added, removed } = compareFindings(before, after);
    expect(added.map((f) => f.rule)).toEqual(["B324"]);
    expect(removed.map((f) => f.rule).sort()).toEqual(["B404", "B602"]);
  });

  it("matches a finding whose line moved by the text of its line", () => {
    const original = readFileSync(new URL("../../test/fixtures/analyzers/shell_injection.py", import.meta.url), "utf8");
    const moved = findings("shell_injection", `\n\n\n${original}`).map((f) => ({ ...f, line: f.line + 3 }));
    expect(compareFindings(findings("shell_injection"), moved)).toEqual({ added: [], removed: [] });
  });

  it("matches a finding on a rewritten line by its rule and message (numbers and file names ignored)", () => {
    const before = findings("syntax_error");
    const after = findings("syntax_error", "x\ny\nz\n    def broken(  # another text on the flagged line\n").map((f) => ({ ...f, message: f.message.replace("line 4", "line 9") }));
    expect(after[0]?.fingerprint).not.toBe(before[0]?.fingerprint);
    expect(compareFindings(before, after)).toEqual({ added: [], removed: [] });
    expect(before[0]?.message).toContain("<file>, line 4");
  });

  it("counts each occurrence: a second copy of a finding is added", () => {
    const before = findings("weak_hash");
    const after = [...before, ...before];
    expect(compareFindings(before, after).added).toHaveLength(1);
    expect(compareFindings(after, before)).toEqual({ added: [], removed: [before[0]] });
  });

  it("tells different findings of one rule apart by their message", () => {
    const unused = findings("undefined_name").find((f) => f.rule === "W0611")!;
    const otherImport = { ...unused, message: "Unused import sys (unused-import)", fingerprint: fingerprintOf("pylint", "W0611", "import sys") };
    const { added, removed } = compareFindings([unused], [otherImport]);
    expect(added).toEqual([otherImport]);
    expect(removed).toEqual([unused]);
  });

  it("never matches one tool's finding with another's", () => {
    const bandit = findings("shell_injection").filter((f) => f.rule === "B602");
    const swapped = semgrep("py.command-injection", 78, 7, "    return subprocess.check_output(command, shell=True)");
    expect(compareFindings(bandit, [swapped])).toEqual({ added: [swapped], removed: bandit });
  });
});
