import type { Finding } from "../analyzers/finding.js";
import { lineReader, normalizeBandit, normalizePylint, type LineText } from "../analyzers/python-tools.js";
import { fileLogSchema, validateResultsSchema, type Revision } from "../schemas.js";

// What the report reads: the schemas validate writes with (src/schemas.ts), which also read the
// logs and rows of 0.1.0 (no normalized `findings`, no tests).

export const reportFileLogSchema = fileLogSchema;
export const reportRowsSchema = validateResultsSchema;
export type { TestCount, ValidateRow as ReportRow } from "../schemas.js";

/**
 * A logged revision's normalized findings. A log written before findings were normalized has only
 * Pylint's and Bandit's own JSON: those become Findings through the analyzers' own normalizers,
 * fingerprinted over the lines of `code` (the version that was analyzed) when it is known.
 */
export function revisionFindings(revision: Revision | undefined, code?: string): Finding[] {
  if (!revision) return [];
  if (revision.findings) return revision.findings;
  const lineText: LineText = code === undefined ? () => "" : lineReader(code);
  return [...normalizePylint(revision.pylint_issues, lineText), ...normalizeBandit({ results: revision.bandit_issues, errors: revision.bandit_errors }, lineText)];
}
