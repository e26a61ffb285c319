import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  banditErrorSchema,
  banditFindingSchema,
  pylintFindingSchema,
  type BanditError,
  type BanditFinding,
  type PylintFinding,
  type Revision,
} from "../schemas.js";
import { fingerprintOf, type Analyzer, type AnalyzerFileResult, type Finding, type Severity } from "./finding.js";
import type { AnalysisResult, AnalyzerPool } from "./pool.js";

// Pylint and Bandit run together in the warm Python workers (pool.ts): one request per file
// answers both. Here they become two Analyzers over that pool, and their JSON becomes Findings.

/** The rule under which a file Bandit could not scan is reported (never counted as clean). */
export const BANDIT_ERROR_RULE = "bandit-error";

/** Bandit's own report for one file, kept as the log's `bandit_issues` and `bandit_errors`. */
export interface BanditRaw {
  results: BanditFinding[];
  errors: BanditError[];
}

/** Reads the text of a line (1-based) of the analyzed file; "" when there is none. */
export type LineText = (line: number) => string;

export function lineReader(text: string): LineText {
  const lines = text.split(/\r\n|\r|\n/);
  return (line) => lines[line - 1] ?? "";
}

// pylint's JSON `type` is its message category.
const PYLINT_SEVERITY: Record<string, Severity> = {
  fatal: "high",
  error: "high",
  warning: "medium",
  refactor: "low",
  convention: "low",
  info: "low",
};

/** Pylint's JSON messages as Findings; pylint's columns are 0-based. */
export function normalizePylint(messages: readonly PylintFinding[], lineText: LineText): Finding[] {
  return messages.map((message) => {
    const rule = message["message-id"];
    const endLine = typeof message.endLine === "number" && message.endLine > message.line ? message.endLine : undefined;
    return {
      tool: "pylint",
      rule,
      severity: PYLINT_SEVERITY[message.type] ?? "medium",
      confidence: null,
      cwe: null,
      line: Math.max(0, message.line),
      column: message.column >= 0 ? message.column + 1 : null,
      ...(endLine ? { end_line: endLine } : {}),
      message: `${withoutFileNames(message)} (${message.symbol})`,
      fingerprint: fingerprintOf("pylint", rule, lineText(message.line)),
    };
  });
}

/** Bandit's JSON results and errors as Findings; a file Bandit could not parse is a `bandit-error` finding. */
export function normalizeBandit(raw: BanditRaw, lineText: LineText): Finding[] {
  const results = raw.results.map((result): Finding => {
    const range = Array.isArray(result.line_range) ? (result.line_range as unknown[]).filter((n): n is number => typeof n === "number") : [];
    const endLine = Math.max(...range, result.line_number);
    const column = typeof result.col_offset === "number" ? result.col_offset + 1 : null;
    const cwe = result.issue_cwe && result.issue_cwe.id > 0 ? result.issue_cwe.id : null;
    return {
      tool: "bandit",
      rule: result.test_id,
      severity: banditLevel(result.issue_severity),
      confidence: banditLevel(result.issue_confidence),
      cwe,
      line: Math.max(0, result.line_number),
      column,
      ...(endLine > result.line_number ? { end_line: endLine } : {}),
      message: `${result.issue_text} (${result.test_name})`,
      fingerprint: fingerprintOf("bandit", result.test_id, lineText(result.line_number)),
    };
  });
  const errors = raw.errors.map(
    (error): Finding => ({
      tool: "bandit",
      rule: BANDIT_ERROR_RULE,
      severity: "high",
      confidence: null,
      cwe: null,
      line: 0,
      column: null,
      message: `Bandit could not scan the file: ${error.reason}`,
      fingerprint: fingerprintOf("bandit", BANDIT_ERROR_RULE, ""),
    }),
  );
  return [...results, ...errors];
}

// Bandit says LOW, MEDIUM, HIGH (and UNDEFINED for tests that set none).
function banditLevel(level: string): Severity {
  const lower = level.toLowerCase();
  return lower === "high" || lower === "medium" ? lower : "low";
}

// Some pylint messages name the file's module ("invalid syntax (x_attempt_2, line 3)"), and each
// version of a file is analyzed under its own name.
function withoutFileNames(message: PylintFinding): string {
  let text = message.message;
  for (const name of [message.module, typeof message.path === "string" ? path.basename(message.path, ".py") : undefined]) {
    if (typeof name !== "string" || name.length === 0) continue;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    text = text.replace(new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, "g"), "<file>");
  }
  return text;
}

const pylintRawSchema = z.array(pylintFindingSchema);
const banditRawSchema = z.object({ results: z.array(banditFindingSchema), errors: z.array(banditErrorSchema) });

/** The seed's log fields from a FileAnalysis's raw outputs (empty for a tool that did not run). */
export function seedLogFields(raw: Record<string, unknown>): { pylint_issues: PylintFinding[]; bandit_issues: BanditFinding[]; bandit_errors: BanditError[] } {
  const pylint = pylintRawSchema.safeParse(raw.pylint);
  const bandit = banditRawSchema.safeParse(raw.bandit);
  return {
    pylint_issues: pylint.success ? pylint.data : [],
    bandit_issues: bandit.success ? bandit.data.results : [],
    bandit_errors: bandit.success ? bandit.data.errors : [],
  };
}

/** A logged revision's findings; a log of 0.1.0 has only its Pylint and Bandit fields (read without line texts). */
export function revisionFindings(revision: Revision | undefined): Finding[] {
  if (!revision) return [];
  if (revision.findings) return revision.findings;
  const noText: LineText = () => "";
  return [
    ...normalizePylint(revision.pylint_issues, noText),
    ...normalizeBandit({ results: revision.bandit_issues, errors: revision.bandit_errors }, noText),
  ];
}

interface WorkerAnswer {
  result: AnalysisResult;
  lineText: LineText;
}

/**
 * Pylint and Bandit as two Analyzers over one warm pool. Both are asked about a file at the same
 * time by the combiner; the second request joins the first one's worker call instead of making
 * another. `close` ends the pool (both analyzers share it, closing twice is harmless).
 */
export function createWorkerAnalyzers(pool: AnalyzerPool, which: { pylint: boolean; bandit: boolean }): Analyzer[] {
  const inFlight = new Map<string, Promise<WorkerAnswer>>();
  const ask = (file: string): Promise<WorkerAnswer> => {
    const known = inFlight.get(file);
    if (known) return known;
    const answer = Promise.all([pool.analyze(file), fs.readFile(file, "utf8")]).then(([result, text]) => ({ result, lineText: lineReader(text) }));
    inFlight.set(file, answer);
    const forget = () => inFlight.delete(file);
    answer.then(forget, forget);
    return answer;
  };
  const analyzer = (name: "pylint" | "bandit", toResult: (answer: WorkerAnswer) => AnalyzerFileResult): Analyzer => ({
    name,
    get version() {
      return pool.versions?.[name];
    },
    async analyze(files) {
      const out = new Map<string, AnalyzerFileResult>();
      await Promise.all(
        files.map(async (file) => {
          out.set(file, toResult(await ask(file)));
        }),
      );
      return out;
    },
    close: () => pool.close(),
  });
  const analyzers: Analyzer[] = [];
  if (which.pylint) {
    analyzers.push(
      analyzer("pylint", ({ result, lineText }) => ({
        findings: normalizePylint(result.pylint, lineText),
        raw: result.pylint,
        error: errorFor("pylint", result.error),
      })),
    );
  }
  if (which.bandit) {
    analyzers.push(
      analyzer("bandit", ({ result, lineText }) => {
        const raw: BanditRaw = { results: result.bandit, errors: result.banditErrors };
        return { findings: normalizeBandit(raw, lineText), raw, error: errorFor("bandit", result.error) };
      }),
    );
  }
  return analyzers;
}

// The worker reports "pylint: ...; bandit: ..." for a tool that failed, or one reason (timeout,
// crash) that concerns both.
function errorFor(tool: "pylint" | "bandit", error: string | null): string | null {
  if (!error) return null;
  const parts = error.split("; ");
  const own = parts.filter((part) => part.startsWith(`${tool}: `)).map((part) => part.slice(tool.length + 2));
  const shared = parts.filter((part) => !/^(?:pylint|bandit): /.test(part));
  const mine = [...own, ...shared];
  return mine.length > 0 ? mine.join("; ") : null;
}
