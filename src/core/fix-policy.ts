import { compareFindings, describeFinding } from "../analyzers/count.js";
import type { FileAnalysis } from "../analyzers/finding.js";

// Whether a model's new version of a body may replace the current one. Pure functions.

const SUPPRESSIONS: Array<[RegExp, string]> = [
  [/#\s*nosec\b/gi, "# nosec"],
  [/pylint:\s*disable/gi, "# pylint: disable"],
  [/#\s*type:\s*ignore/gi, "# type: ignore"],
  [/#\s*noqa\b/gi, "# noqa"],
  [/\bnosemgrep\b/gi, "# nosemgrep"],
];

/** A reason to refuse the candidate before analyzing it: silenced tools or lost code. */
export function precheckCandidate(current: string, candidate: string): string | undefined {
  for (const [pattern, label] of SUPPRESSIONS) {
    const before = current.match(pattern)?.length ?? 0;
    const after = candidate.match(pattern)?.length ?? 0;
    if (after > before) return `it adds \`${label}\` instead of fixing the code`;
  }
  const names = topLevelNames(current);
  const kept = topLevelNames(candidate);
  if (names.size > 0 && ![...names].some((name) => kept.has(name))) {
    return `it drops the code: none of ${[...names].join(", ")} is defined any more`;
  }
  const linesBefore = codeLines(current);
  const linesAfter = codeLines(candidate);
  if (linesBefore >= 8 && linesAfter < linesBefore * 0.3) {
    return `it drops the code: ${linesAfter} code lines left of ${linesBefore}`;
  }
  return undefined;
}

/**
 * The findings Bandit reports for the safe form of a call it flags: `subprocess.run(cmd,
 * shell=True)` (B602) fixed as `subprocess.run([...])` becomes B603 (and B607 for a partial path).
 * Such a successor replaces a removed Bandit finding; it is not a new one. Only Bandit's own:
 * a Bandit finding traded for another analyzer's is a new finding.
 */
const SUCCESSORS: Record<string, readonly string[]> = {
  B602: ["B603", "B607", "B404"],
  B604: ["B603", "B607", "B404"],
  B605: ["B603", "B607", "B404"],
  B606: ["B603", "B607", "B404"],
};

/** A reason to refuse the analyzed candidate: findings (of any analyzer) that the current version did not have. */
export function compareCandidate(before: FileAnalysis, after: FileAnalysis): string | undefined {
  if (after.error) return `the analyzers failed on it: ${after.error}`;
  const { added, removed } = compareFindings(before.findings, after.findings);
  const allowed = new Set(removed.filter((f) => f.tool === "bandit").flatMap((f) => SUCCESSORS[f.rule] ?? []));
  const fresh = added.filter((f) => !(f.tool === "bandit" && allowed.has(f.rule)));
  if (fresh.length > 0) return `it adds findings that were not there before: ${fresh.map(describeFinding).join(", ")}`;
  return undefined;
}

function topLevelNames(code: string): Set<string> {
  return new Set([...code.matchAll(/^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/gm)].map((m) => m[1] ?? ""));
}

function codeLines(code: string): number {
  return code.split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#")).length;
}
