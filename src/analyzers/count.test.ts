import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareFindings, countFindings, findingKeys, findingsByRule, type Findings } from "./count.js";

// Real pylint + bandit results on test/fixtures/analyzers/*.py (see test/fixtures/README.md).
const captured = JSON.parse(
  readFileSync(new URL("../../test/fixtures/analyzers/captured-results.json", import.meta.url), "utf8"),
) as Record<"syntax_error" | "shell_injection" | "weak_hash" | "clean" | "undefined_name", Findings>;

const none: Findings = { pylint: [], bandit: [], banditErrors: [] };

function merge(...results: Findings[]): Findings {
  return {
    pylint: results.flatMap((r) => r.pylint),
    bandit: results.flatMap((r) => r.bandit),
    banditErrors: results.flatMap((r) => r.banditErrors),
  };
}

describe("countFindings", () => {
  it("adds pylint messages, bandit results and files bandit could not scan", () => {
    expect(countFindings(captured.clean)).toBe(0);
    expect(countFindings(captured.shell_injection)).toBe(2);
    expect(countFindings(captured.syntax_error)).toBe(2);
    expect(countFindings(merge(captured.syntax_error, captured.shell_injection, captured.undefined_name))).toBe(6);
  });
});

describe("findingsByRule", () => {
  it("counts by pylint message id, bandit test id and bandit-error", () => {
    expect(findingsByRule(captured.clean)).toEqual({});
    expect(findingsByRule(captured.syntax_error)).toEqual({ E0001: 1, "bandit-error": 1 });
    expect(findingsByRule(captured.shell_injection)).toEqual({ B404: 1, B602: 1 });
    expect(findingsByRule(merge(captured.undefined_name, captured.weak_hash, captured.weak_hash))).toEqual({
      W0611: 1,
      E0602: 1,
      B324: 2,
    });
  });
});

describe("compareFindings", () => {
  it("reports what a fix added and removed", () => {
    const before = merge(captured.shell_injection, captured.undefined_name);
    const after = merge(captured.weak_hash, captured.undefined_name);
    const { added, removed } = compareFindings(before, after);
    expect(added).toEqual([expect.stringMatching(/^B324 /)]);
    expect(removed.map((key) => key.split(" ")[0])).toEqual(["B404", "B602"]);
  });

  it("ignores line numbers, files and module names: a fix moves lines and lives in another file", () => {
    const moved = JSON.parse(
      JSON.stringify(merge(captured.syntax_error, captured.shell_injection))
        .replaceAll('"line": 4', '"line": 9')
        .replaceAll('"line_number": 7', '"line_number": 12')
        .replaceAll("syntax_error", "syntax_error_attempt_2")
        .replaceAll("line 4)", "line 9)")
        .replaceAll("shell_injection.py", "attempt_2/shell_injection_attempt_2.py"),
    ) as Findings;
    expect(moved.pylint[0]?.message).toContain("syntax_error_attempt_2, line 9");
    expect(compareFindings(merge(captured.syntax_error, captured.shell_injection), moved)).toEqual({ added: [], removed: [] });
  });

  it("counts each occurrence: a second copy of a finding is added", () => {
    const before = captured.weak_hash;
    const after = merge(captured.weak_hash, captured.weak_hash);
    expect(compareFindings(before, after).added).toHaveLength(1);
    expect(compareFindings(after, before)).toEqual({ added: [], removed: [findingKeys(before)[0]] });
  });

  it("tells different findings of one rule apart by their message", () => {
    const unused = captured.undefined_name.pylint.find((m) => m["message-id"] === "W0611");
    expect(unused).toBeDefined();
    const otherImport = { ...unused!, message: "Unused import sys" };
    const { added, removed } = compareFindings(
      { ...none, pylint: [unused!] },
      { ...none, pylint: [otherImport] },
    );
    expect(added).toEqual(["W0611 Unused import sys"]);
    expect(removed).toEqual(["W0611 Unused import os"]);
  });

  it("matches files bandit could not scan by their reason", () => {
    const { added, removed } = compareFindings(none, captured.syntax_error);
    expect(added).toContain("bandit-error syntax error while parsing AST from file");
    expect(removed).toEqual([]);
  });
});
