import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { parse as parseShellWords } from "shell-quote";
import { z } from "zod";
import { usageError } from "../errors.js";
import { fingerprintOf, type Analyzer, type AnalyzerFileResult, type Finding, type Severity } from "./finding.js";
import { lineReader } from "./python-tools.js";
import { analyzerEnv, isNotFound, lastLine } from "./python.js";

// Any tool that prints SARIF 2.1.0 as an analyzer: `--sarif-analyzer NAME=COMMAND`. The command
// is split like a shell splits it (quotes, escapes; no pipes, no redirections: it is not run by a
// shell), the files to analyze are appended as arguments, and its stdout must be a SARIF log.

export interface SarifAnalyzerSpec {
  name: string;
  /** The command split into words; the files are appended. */
  argv: string[];
}

const RESERVED = new Set(["pylint", "bandit", "semgrep"]);

/** Parses `NAME=COMMAND`; a one-line usage error names the problem. */
export function parseSarifAnalyzerSpec(spec: string): SarifAnalyzerSpec {
  const equals = spec.indexOf("=");
  const name = equals > 0 ? spec.slice(0, equals).trim() : "";
  if (!/^[A-Za-z][\w.-]*$/.test(name)) throw usageError(`--sarif-analyzer ${spec}: expected NAME=COMMAND, NAME a word such as ruff or my-rules`);
  if (RESERVED.has(name)) throw usageError(`--sarif-analyzer ${spec}: ${name} is a built-in analyzer; give the tool another name`);
  const words = parseShellWords(spec.slice(equals + 1), (key) => `$${key}`);
  if (words.some((word) => typeof word !== "string")) {
    throw usageError(`--sarif-analyzer ${name}: COMMAND is not run by a shell: no pipes, redirections, globs or comments`);
  }
  const argv = words as string[];
  if (argv.length === 0) throw usageError(`--sarif-analyzer ${name}: COMMAND is empty`);
  return { name, argv };
}

const sarifLogSchema = z.object({
  version: z.string().optional(),
  runs: z.array(
    z
      .object({
        tool: z.object({ driver: z.object({ name: z.string().optional(), version: z.string().optional(), semanticVersion: z.string().optional(), rules: z.array(z.record(z.string(), z.unknown())).optional() }).loose() }).loose(),
        results: z.array(z.record(z.string(), z.unknown())).optional(),
        originalUriBaseIds: z.record(z.string(), z.object({ uri: z.string().optional() }).loose()).optional(),
      })
      .loose(),
  ),
});
type SarifRun = z.infer<typeof sarifLogSchema>["runs"][number];

/** SARIF levels; a result without one takes its rule's default, else "warning" (SARIF 2.1.0 §3.27.10). */
const LEVEL_SEVERITY: Record<string, Severity> = { error: "high", warning: "medium", note: "low", none: "low" };

/**
 * A SARIF log's results as Findings for each of `files` (absolute paths). A result is given to
 * the file its first location names (absolute, file:// or relative to `cwd` or a base id); with a
 * single file, a result whose location names no known file is that file's.
 */
export function sarifToFindings(tool: string, log: unknown, files: readonly string[], texts: ReadonlyMap<string, string>, cwd: string): Map<string, Finding[]> {
  const parsed = sarifLogSchema.parse(log);
  const out = new Map<string, Finding[]>(files.map((file) => [file, []]));
  for (const run of parsed.runs) {
    const rules = run.tool.driver.rules ?? [];
    for (const result of run.results ?? []) {
      const location = firstLocation(result);
      const file = fileOf(location.uri, location.uriBaseId, run, files, cwd);
      if (!file) continue;
      const rule = ruleOf(result, rules);
      const ruleId = (typeof result.ruleId === "string" && result.ruleId) || (typeof rule?.id === "string" && rule.id) || "sarif-result";
      const line = location.startLine ?? 0;
      const text = texts.get(file) ?? "";
      out.get(file)?.push({
        tool,
        rule: ruleId,
        severity: severityOf(result, rule),
        confidence: confidenceOf(rule),
        cwe: cweOfSarif(result, rule),
        line,
        column: location.startColumn ?? null,
        ...(location.endLine && location.endLine > line ? { end_line: location.endLine } : {}),
        message: messageOf(result, rule),
        fingerprint: fingerprintOf(tool, ruleId, lineReader(text)(line)),
      });
    }
  }
  return out;
}

interface Location {
  uri?: string | undefined;
  uriBaseId?: string | undefined;
  startLine?: number | undefined;
  startColumn?: number | undefined;
  endLine?: number | undefined;
}

function firstLocation(result: Record<string, unknown>): Location {
  const locations = Array.isArray(result.locations) ? (result.locations as unknown[]) : [];
  const physical = (locations[0] as { physicalLocation?: Record<string, unknown> } | undefined)?.physicalLocation ?? {};
  const artifact = (physical.artifactLocation ?? {}) as { uri?: unknown; uriBaseId?: unknown };
  const region = (physical.region ?? {}) as { startLine?: unknown; startColumn?: unknown; endLine?: unknown };
  const int = (value: unknown) => (typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined);
  return {
    uri: typeof artifact.uri === "string" ? artifact.uri : undefined,
    uriBaseId: typeof artifact.uriBaseId === "string" ? artifact.uriBaseId : undefined,
    startLine: int(region.startLine),
    startColumn: int(region.startColumn),
    endLine: int(region.endLine),
  };
}

function fileOf(uri: string | undefined, baseId: string | undefined, run: SarifRun, files: readonly string[], cwd: string): string | undefined {
  const only = files.length === 1 ? files[0] : undefined;
  if (!uri) return only;
  let candidate: string;
  try {
    if (uri.startsWith("file:")) candidate = fileURLToPath(uri);
    else {
      const base = baseId ? run.originalUriBaseIds?.[baseId]?.uri : undefined;
      const baseDir = base?.startsWith("file:") ? fileURLToPath(base) : (base ?? cwd);
      candidate = path.resolve(baseDir, decodeURIComponent(uri));
    }
  } catch {
    return only;
  }
  const exact = files.find((file) => file === candidate);
  if (exact) return exact;
  // Some tools print paths relative to somewhere else: match by the trailing path.
  return files.find((file) => file.endsWith(`${path.sep}${uri}`)) ?? only;
}

function ruleOf(result: Record<string, unknown>, rules: Array<Record<string, unknown>>): Record<string, unknown> | undefined {
  const index = typeof result.ruleIndex === "number" ? result.ruleIndex : (result.rule as { index?: unknown } | undefined)?.index;
  if (typeof index === "number" && rules[index]) return rules[index];
  return rules.find((rule) => rule.id === result.ruleId);
}

function propertiesOf(value: Record<string, unknown> | undefined): Record<string, unknown> {
  const properties = value?.properties;
  return properties && typeof properties === "object" ? (properties as Record<string, unknown>) : {};
}

function severityOf(result: Record<string, unknown>, rule: Record<string, unknown> | undefined): Severity {
  // CodeQL and others rate security results 0-10 (CVSS-like) in `security-severity`.
  const score = Number(propertiesOf(rule)["security-severity"] ?? propertiesOf(result)["security-severity"]);
  if (Number.isFinite(score) && score > 0) return score >= 7 ? "high" : score >= 4 ? "medium" : "low";
  const fallback = (rule?.defaultConfiguration as { level?: unknown } | undefined)?.level;
  const level = typeof result.level === "string" ? result.level : typeof fallback === "string" ? fallback : "warning";
  return LEVEL_SEVERITY[level] ?? "medium";
}

function confidenceOf(rule: Record<string, unknown> | undefined): Severity | null {
  const properties = propertiesOf(rule);
  const value = String(properties.confidence ?? properties.precision ?? "").toLowerCase();
  if (value === "very-high" || value === "high") return "high";
  return value === "medium" || value === "low" ? value : null;
}

/** CWE from tags ("CWE-89", CodeQL's "external/cwe/cwe-089") or a `cwe` property, of the result or its rule. */
export function cweOfSarif(result: Record<string, unknown>, rule: Record<string, unknown> | undefined): number | null {
  for (const properties of [propertiesOf(result), propertiesOf(rule)]) {
    const candidates = [...(Array.isArray(properties.tags) ? (properties.tags as unknown[]) : []), ...[properties.cwe].flat()];
    for (const candidate of candidates) {
      const match = typeof candidate === "string" ? /cwe[-/]0*(\d+)/i.exec(candidate) : typeof candidate === "number" ? [String(candidate), String(candidate)] : null;
      if (match && Number(match[1]) > 0) return Number(match[1]);
    }
  }
  return null;
}

function messageOf(result: Record<string, unknown>, rule: Record<string, unknown> | undefined): string {
  const text = (result.message as { text?: unknown } | undefined)?.text;
  if (typeof text === "string" && text.trim()) return text.replace(/\s+/g, " ").trim();
  const short = (rule?.shortDescription as { text?: unknown } | undefined)?.text;
  return typeof short === "string" ? short : "";
}

export interface SarifAnalyzerOptions extends SarifAnalyzerSpec {
  /** Where the command runs (and relative paths in COMMAND and in the SARIF resolve). */
  cwd: string;
  timeoutMs: number;
}

/** A SARIF-emitting command as an Analyzer. A crash, a timeout or no SARIF is each file's error. */
export function createSarifAnalyzer(options: SarifAnalyzerOptions): Analyzer {
  let version: string | undefined;
  const [command = "", ...args] = options.argv;
  return {
    name: options.name,
    get version() {
      return version;
    },
    async analyze(files) {
      const absolute = files.map((file) => path.resolve(file));
      const failAll = (error: string) => new Map(files.map((file) => [file, { findings: [], error } as AnalyzerFileResult]));
      const result = await execa(command, [...args, ...absolute], {
        cwd: options.cwd,
        env: analyzerEnv(),
        extendEnv: false,
        reject: false,
        timeout: options.timeoutMs,
        stdin: "ignore",
        maxBuffer: 256 * 1024 * 1024,
      });
      if (isNotFound(result)) return failAll(`${command} not found`);
      if (result.timedOut) return failAll(`timed out after ${options.timeoutMs / 1000}s`);
      let log: unknown;
      try {
        log = JSON.parse(typeof result.stdout === "string" ? result.stdout : "");
      } catch {
        log = undefined;
      }
      const parsed = sarifLogSchema.safeParse(log);
      if (!parsed.success) {
        // Linters exit non-zero when they report something; only the missing SARIF is a failure.
        const how = result.signal ? `signal ${result.signal}` : `exit status ${result.exitCode ?? "unknown"}`;
        const detail = lastLine(result.stderr);
        return failAll(`printed no SARIF (${how}${detail ? `: ${detail}` : ""})`);
      }
      const driver = parsed.data.runs[0]?.tool.driver;
      version ??= driver?.semanticVersion ?? driver?.version;
      const texts = new Map<string, string>();
      await Promise.all(absolute.map(async (file) => texts.set(file, await fs.readFile(file, "utf8").catch(() => ""))));
      const findings = sarifToFindings(options.name, parsed.data, absolute, texts, options.cwd);
      return new Map(files.map((file, i) => [file, { findings: findings.get(absolute[i] as string) ?? [], raw: parsed.data, error: null }]));
    },
    close: () => Promise.resolve(),
  };
}
