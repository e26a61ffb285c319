import type { FindingCounts } from "../schemas.js";
import type { Finding } from "./finding.js";

/** Findings per rule id: Pylint message ids, Bandit test ids, `bandit-error`, Semgrep rule ids. */
export function findingsByRule(findings: readonly Finding[]): FindingCounts {
  return countBy(findings, (finding) => finding.rule);
}

/** Findings per CWE (`CWE-89`); findings without a CWE are not counted here. */
export function findingsByCwe(findings: readonly Finding[]): FindingCounts {
  return countBy(findings, (finding) => (finding.cwe === null ? undefined : `CWE-${finding.cwe}`));
}

function countBy(findings: readonly Finding[], keyOf: (finding: Finding) => string | undefined): FindingCounts {
  const counts: FindingCounts = {};
  for (const finding of findings) {
    const key = keyOf(finding);
    if (key !== undefined) counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * Findings of `after` that `before` did not have, and the reverse, counted with multiplicity.
 * A finding is first matched by its fingerprint (tool, rule, text of the flagged line: lines may
 * move). One left over is then matched by tool, rule and message with numbers blanked: a fix that
 * rewrites a flagged line without curing it still has the same finding, not a new one.
 */
export function compareFindings(before: readonly Finding[], after: readonly Finding[]): { added: Finding[]; removed: Finding[] } {
  const [added, removed] = unmatched(after, before, (finding) => finding.fingerprint);
  const [stillAdded, stillRemoved] = unmatched(added, removed, messageKey);
  return { added: stillAdded, removed: stillRemoved };
}

/** How a finding is named in notes and refusals: `bandit B602 at line 7`. */
export function describeFinding(finding: Finding): string {
  return `${finding.tool} ${finding.rule}${finding.line > 0 ? ` at line ${finding.line}` : ""}`;
}

// Numbers in messages are line numbers ("(line 12)"), counts ("(16/15)") or columns: they change
// when the code around a finding changes, the finding does not.
function messageKey(finding: Finding): string {
  return `${finding.tool}\u0000${finding.rule}\u0000${finding.message.replace(/\d+/g, "#").replace(/\s+/g, " ").trim()}`;
}

/** [items of `left` not matched in `right`, items of `right` not matched in `left`], by key, with multiplicity. */
function unmatched(left: readonly Finding[], right: readonly Finding[], keyOf: (finding: Finding) => string): [Finding[], Finding[]] {
  const pool = new Map<string, Finding[]>();
  for (const finding of right) pool.set(keyOf(finding), [...(pool.get(keyOf(finding)) ?? []), finding]);
  const leftOver: Finding[] = [];
  for (const finding of left) {
    const same = pool.get(keyOf(finding));
    if (same && same.length > 0) same.shift();
    else leftOver.push(finding);
  }
  return [leftOver, [...pool.values()].flat()];
}
