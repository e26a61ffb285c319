import { pathToFileURL } from "node:url";
import type { Log, ReportingDescriptor, Result, Run } from "sarif";
import type { Finding, Severity } from "../analyzers/finding.js";
import { packageVersion } from "../store/manifest.js";
import type { LoadedRun } from "./load.js";

// SARIF 2.1.0 (OASIS), as GitHub code scanning reads it: one run per analyzer, each rule described
// once in tool.driver.rules, results located relative to the run folder through a uriBaseId.

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** The uriBaseId every artifact location is relative to: the --out folder of the run. */
export const OUT_DIR_BASE = "OUTDIR";
export const FINGERPRINT_KEY = "codeenhancerFindingHash/v1";

export type Side = "initial" | "final";

const TOOL_URIS: Record<string, string> = {
  pylint: "https://pylint.readthedocs.io/",
  bandit: "https://bandit.readthedocs.io/",
  semgrep: "https://semgrep.dev/",
};

// GitHub reads `security-severity` as a CVSS-like score: over 7 is high, 4 to 7 medium, under 4 low.
const SECURITY_SEVERITY: Record<Severity, string> = { high: "7.5", medium: "5.0", low: "2.0" };
const LEVEL: Record<Severity, Result.level> = { high: "error", medium: "warning", low: "note" };
const PRECISION: Record<Severity, string> = { high: "high", medium: "medium", low: "low" };

/**
 * The findings of every file's first (`initial`) or final version as a SARIF log. With a baseline
 * run, results of ids the baseline also validated get a `baselineState` (new or unchanged, by
 * fingerprint against the baseline's same version).
 */
export function buildSarif(run: LoadedRun, side: Side, baseline?: LoadedRun): Log {
  const tools = toolNames(run, side);
  const baselineFiles = baseline ? new Map(baseline.files.map((file) => [file.id, file[side]])) : undefined;
  const commonIds = baseline ? run.files.filter((file) => baselineFiles?.has(file.id)).length : 0;
  const versions = new Map((run.manifest?.validate?.analyzers ?? []).map((tool) => [tool.name, tool.version]));

  const runs = tools.map((tool): Run => {
    const rules: ReportingDescriptor[] = [];
    const ruleIndex = new Map<string, number>();
    const results: Result[] = [];
    for (const file of run.files) {
      const findings = file[side].filter((finding) => finding.tool === tool);
      if (findings.length === 0) continue;
      // A URI reference: an id may hold spaces, '#' or '%'.
      const uri = (side === "initial" ? file.initialPath : file.finalPath).split("/").map(encodeURIComponent).join("/");
      const seen = new Map<string, number>();
      const before = baselineFiles?.get(file.id);
      const unmatched = before ? countFingerprints(before.filter((finding) => finding.tool === tool)) : undefined;
      for (const finding of findings) {
        let index = ruleIndex.get(finding.rule);
        if (index === undefined) {
          index = rules.length;
          ruleIndex.set(finding.rule, index);
          rules.push(describeRule(finding, versions.get(tool) ?? null));
        } else {
          raiseSeverity(rules[index], finding.severity);
        }
        const occurrence = (seen.get(finding.fingerprint) ?? 0) + 1;
        seen.set(finding.fingerprint, occurrence);
        const result: Result = {
          ruleId: finding.rule,
          ruleIndex: index,
          level: LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri, uriBaseId: OUT_DIR_BASE },
                region: {
                  // A finding about the whole file (Bandit could not parse it) is put on its first line.
                  startLine: Math.max(1, finding.line),
                  ...(finding.column ? { startColumn: finding.column } : {}),
                  ...(finding.end_line && finding.end_line > finding.line ? { endLine: finding.end_line } : {}),
                },
              },
            },
          ],
          partialFingerprints: { [FINGERPRINT_KEY]: `${finding.fingerprint}:${occurrence}` },
          properties: { id: file.id, severity: finding.severity, ...(finding.cwe ? { cwe: `CWE-${finding.cwe}` } : {}) },
        };
        if (unmatched) {
          const left = unmatched.get(finding.fingerprint) ?? 0;
          result.baselineState = left > 0 ? "unchanged" : "new";
          if (left > 0) unmatched.set(finding.fingerprint, left - 1);
        }
        results.push(result);
      }
    }
    const version = versions.get(tool);
    return {
      tool: {
        driver: {
          name: tool,
          ...(version ? { version } : {}),
          ...(TOOL_URIS[tool] ? { informationUri: TOOL_URIS[tool] } : {}),
          rules,
        },
      },
      automationDetails: { id: `codeenhancer/${side}/${tool}/` },
      originalUriBaseIds: {
        [OUT_DIR_BASE]: { uri: pathToFileURL(`${run.outDir.replace(/\/+$/, "")}/`).href, description: { text: "The --out folder of the run" } },
      },
      results,
      properties: {
        codeenhancer: {
          version: packageVersion(),
          run: run.name,
          version_of_code: side === "initial" ? "attempt 1: the code as generated" : "the final validated code",
          ...(baseline ? { baseline: { run: baseline.name, compared_ids: commonIds } } : {}),
        },
      },
    };
  });
  return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs };
}

/** The analyzers of the run: those its manifest names, then any other that reported something. */
function toolNames(run: LoadedRun, side: Side): string[] {
  const named = run.manifest?.validate?.analyzers.map((tool) => tool.name) ?? ["pylint", "bandit"];
  const found = new Set(run.files.flatMap((file) => file[side].map((finding) => finding.tool)));
  return [...new Set([...named, ...[...found].sort()])];
}

function countFingerprints(findings: Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.fingerprint, (counts.get(finding.fingerprint) ?? 0) + 1);
  return counts;
}

function describeRule(finding: Finding, toolVersion: string | null): ReportingDescriptor {
  const name = ruleName(finding);
  const helpUri = ruleHelpUri(finding.tool, finding.rule, name, toolVersion);
  const cweText = finding.cwe ? ` It maps to CWE-${finding.cwe} (https://cwe.mitre.org/data/definitions/${finding.cwe}.html).` : "";
  const security = finding.tool !== "pylint" || finding.cwe !== null;
  return {
    id: finding.rule,
    ...(name ? { name } : {}),
    shortDescription: { text: `${finding.tool} ${finding.rule}${name ? ` (${name})` : ""}` },
    fullDescription: { text: messageText(finding) },
    help: { text: `${finding.tool} reports ${finding.rule}${name ? ` (${name})` : ""}, e.g. "${messageText(finding)}".${cweText}${helpUri ? ` More: ${helpUri}` : ""}` },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[finding.severity] },
    properties: {
      tags: [security ? "security" : "correctness", ...(finding.cwe ? [`external/cwe/cwe-${finding.cwe}`] : [])],
      "security-severity": SECURITY_SEVERITY[finding.severity],
      ...(finding.confidence ? { precision: PRECISION[finding.confidence] } : {}),
      severity: finding.severity,
    },
  };
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 };

// A rule's severity is the highest any of its results had.
function raiseSeverity(rule: ReportingDescriptor | undefined, severity: Severity): void {
  const properties = rule?.properties as { severity?: Severity } | undefined;
  if (!rule || !properties?.severity || RANK[severity] <= RANK[properties.severity]) return;
  properties.severity = severity;
  (rule.properties as Record<string, unknown>)["security-severity"] = SECURITY_SEVERITY[severity];
  rule.defaultConfiguration = { level: LEVEL[severity] };
}

// Pylint's and Bandit's normalized messages end with the rule's name: "... (syntax-error)".
function ruleName(finding: Finding): string | undefined {
  return /\(([A-Za-z][\w.-]*)\)\s*$/.exec(finding.message)?.[1];
}

function messageText(finding: Finding): string {
  return finding.message.replace(/\s*\([A-Za-z][\w.-]*\)\s*$/, "");
}

const PYLINT_CATEGORY: Record<string, string> = { E: "error", W: "warning", C: "convention", R: "refactor", F: "fatal", I: "info" };

function ruleHelpUri(tool: string, rule: string, name: string | undefined, version: string | null): string | undefined {
  if (tool === "pylint" && name) {
    const category = PYLINT_CATEGORY[rule.charAt(0)];
    return category ? `https://pylint.readthedocs.io/en/stable/user_guide/messages/${category}/${name}.html` : undefined;
  }
  if (tool === "bandit" && /^B\d{3}$/.test(rule)) {
    const base = `https://bandit.readthedocs.io/en/${version ?? "latest"}`;
    if (rule.startsWith("B3")) return `${base}/blacklists/blacklist_calls.html`;
    if (rule.startsWith("B4")) return `${base}/blacklists/blacklist_imports.html`;
    return name ? `${base}/plugins/${rule.toLowerCase()}_${name}.html` : `${base}/plugins/index.html`;
  }
  return undefined;
}
