import type { FindingCounts } from "../schemas.js";
import type { AnalysisResult } from "./pool.js";

export type Findings = Pick<AnalysisResult, "pylint" | "bandit" | "banditErrors">;

/** The rule name under which a file Bandit could not scan is counted. */
export const BANDIT_ERROR_RULE = "bandit-error";

/** Pylint messages + Bandit results + files Bandit could not scan. */
export function countFindings(result: Findings): number {
  return result.pylint.length + result.bandit.length + result.banditErrors.length;
}

/** Findings per rule: Pylint message ids, Bandit test ids and `bandit-error`. */
export function findingsByRule(result: Findings): FindingCounts {
  const counts: FindingCounts = {};
  const add = (rule: string): void => {
    counts[rule] = (counts[rule] ?? 0) + 1;
  };
  for (const finding of result.pylint) add(finding["message-id"]);
  for (const finding of result.bandit) add(finding.test_id);
  for (const _ of result.banditErrors) add(BANDIT_ERROR_RULE);
  return counts;
}

/**
 * Findings of `after` that `before` did not have, and the reverse, counted with multiplicity.
 * A finding is known by its rule and its text with numbers blanked, never by its line or file:
 * a fix moves lines, and each version is analyzed from its own file.
 */
export function compareFindings(before: Findings, after: Findings): { added: string[]; removed: string[] } {
  const left = countKeys(before);
  const right = countKeys(after);
  return { added: difference(right, left), removed: difference(left, right) };
}

/** The key compareFindings matches findings by, e.g. `B602 subprocess call with shell=True ...`. */
export function findingKeys(result: Findings): string[] {
  return [
    ...result.pylint.map((finding) => `${finding["message-id"]} ${normalize(withoutFileNames(finding))}`),
    ...result.bandit.map((finding) => `${finding.test_id} ${normalize(finding.issue_text)}`),
    ...result.banditErrors.map((error) => `${BANDIT_ERROR_RULE} ${normalize(error.reason)}`),
  ];
}

// Some messages name the file or its module ("invalid syntax (x_attempt_2, line 3)"), and each
// version of a file has its own name.
function withoutFileNames(finding: Findings["pylint"][number]): string {
  let message = finding.message;
  for (const name of [finding.path, finding.module]) {
    if (typeof name !== "string" || name.length === 0) continue;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    message = message.replace(new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, "g"), "<file>");
  }
  return message;
}

// Numbers in messages are line numbers ("(line 12)"), counts ("(16/15)") or columns: they change
// when the code around a finding changes, the finding does not.
function normalize(text: string): string {
  return text.replace(/\d+/g, "#").replace(/\s+/g, " ").trim();
}

function countKeys(result: Findings): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of findingKeys(result)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function difference(from: Map<string, number>, minus: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [key, count] of from) {
    for (let i = minus.get(key) ?? 0; i < count; i += 1) out.push(key);
  }
  return out.sort();
}
