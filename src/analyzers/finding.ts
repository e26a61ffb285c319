import { createHash } from "node:crypto";
import { z } from "zod";

// The one shape every analyzer's results take (pylint, bandit, semgrep, any SARIF tool). Counting,
// thresholds, the fix prompt, the regression gate, logs, rows, export and reports read only this.

export const severitySchema = z.enum(["low", "medium", "high"]);
export type Severity = z.infer<typeof severitySchema>;

export const findingSchema = z.object({
  /** The analyzer's name: "pylint", "bandit", "semgrep", or the NAME of a --sarif-analyzer. */
  tool: z.string().min(1),
  /** The tool's own rule id: "E0001", "B602", "python.sqli.execute-fstring", "bandit-error". */
  rule: z.string().min(1),
  severity: severitySchema,
  confidence: severitySchema.nullable(),
  /** The CWE number when the tool says which (Bandit's issue_cwe, a rule's metadata, SARIF tags). */
  cwe: z.number().int().positive().nullable(),
  /** 1-based line in the analyzed file. */
  line: z.number().int().nonnegative(),
  /** 1-based column, when the tool gives one. */
  column: z.number().int().nonnegative().nullable(),
  end_line: z.number().int().nonnegative().optional(),
  message: z.string(),
  /** tool + rule + the normalized text of the flagged line: stable when unrelated lines move. */
  fingerprint: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

/** sha256 of tool, rule and the flagged line with its white space folded, first 16 hex digits. */
export function fingerprintOf(tool: string, rule: string, lineText: string): string {
  const normalized = lineText.replace(/\s+/g, " ").trim();
  return createHash("sha256").update(`${tool}\u0000${rule}\u0000${normalized}`).digest("hex").slice(0, 16);
}

/** One analyzer's answer for one file. */
export interface AnalyzerFileResult {
  findings: Finding[];
  /** The tool's own output for this file, kept in the log as it is (e.g. Pylint's JSON messages). */
  raw?: unknown;
  /** Why this analyzer could not analyze the file (crash, timeout, no SARIF); findings are then incomplete. */
  error: string | null;
}

/** A detector: Pylint and Bandit (warm Python workers), Semgrep, any SARIF-emitting command. */
export interface Analyzer {
  readonly name: string;
  /** Known once the tool has started (or been probed). */
  readonly version: string | undefined;
  /** Analyzes the files (absolute paths) together; one result per file, keyed by the same path. */
  analyze(files: readonly string[]): Promise<Map<string, AnalyzerFileResult>>;
  close(): Promise<void>;
}

/** Every analyzer's answer for one version of one file: what the validate loop works on. */
export interface FileAnalysis {
  /** All analyzers' findings that count (thresholds and skips already applied). */
  findings: Finding[];
  /** Each tool's raw output by tool name; `pylint` and `bandit` feed the seed's log fields. */
  raw: Record<string, unknown>;
  /** Analyzers that failed on this file, "tool: reason; ...", or null when all answered. */
  error: string | null;
  elapsedMs: number;
}

/** What the loop calls: analyze one file with every configured analyzer. */
export type AnalyzeFile = (file: string) => Promise<FileAnalysis>;
