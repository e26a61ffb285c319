import { formatUsd } from "../llm/prices.js";
import type { Manifest } from "../store/manifest.js";
import { SEVERITIES, type Comparison, type RunSummary } from "./summary.js";

// report.md: the headline numbers as GitHub-flavoured Markdown tables, for a pull-request comment
// or $GITHUB_STEP_SUMMARY.

interface Metric {
  label: string;
  value: (s: RunSummary) => number | null;
  /** How the number reads: a count, or a USD amount. */
  kind?: "count" | "usd";
}

const HEADLINE: Metric[] = [
  { label: "prompts", value: (s) => s.funnel.prompts },
  { label: "generated", value: (s) => s.funnel.generated },
  { label: "docstring ok", value: (s) => s.funnel.docstringOk },
  { label: "validated files", value: (s) => s.funnel.validated },
  { label: "clean first time", value: (s) => s.funnel.cleanFirstTime },
  { label: "passed", value: (s) => s.funnel.passed },
  { label: "unresolved", value: (s) => s.funnel.unresolved },
  { label: "errors (generate)", value: (s) => s.funnel.errors.generate },
  { label: "errors (validate)", value: (s) => s.funnel.errors.validate },
  { label: "findings, first version", value: (s) => s.findings.initial },
  { label: "findings, final version", value: (s) => s.findings.final },
  { label: "files with findings, first version", value: (s) => s.filesWithFindings.initial },
  { label: "files with findings, final version", value: (s) => s.filesWithFindings.final },
  { label: "mean attempts", value: (s) => meanAttempts(s) },
  { label: "tokens", value: (s) => s.tokens.total },
  { label: "cost (USD)", value: (s) => s.cost?.usd ?? null, kind: "usd" },
  { label: "files with tests", value: (s) => s.tests?.files ?? null },
  { label: "all tests passed, first version", value: (s) => s.tests?.allPassedFirst ?? null },
  { label: "all tests passed, final version", value: (s) => s.tests?.allPassedFinal ?? null },
];

export function renderMarkdown(summary: RunSummary, manifest: Manifest | undefined, comparison?: Comparison): string {
  const out: string[] = [`## codeenhancer report: ${escapeCell(summary.name)}`, ""];
  const run = describeRun(manifest);
  if (run) out.push(run, "");

  if (comparison) {
    const { baseline, current } = comparison;
    out.push(
      `### ${escapeCell(baseline.name)} vs ${escapeCell(current.name)}`,
      "",
      `Compared over the ${comparison.commonIds} ids validated in both runs` +
        ` (${comparison.onlyBaseline} only in ${escapeCell(baseline.name)}, ${comparison.onlyCurrent} only in ${escapeCell(current.name)}).`,
      "",
      `| | ${escapeCell(baseline.name)} | ${escapeCell(current.name)} | difference |`,
      "| --- | ---: | ---: | ---: |",
      ...HEADLINE.filter((m) => m.value(baseline) !== null || m.value(current) !== null).map((m) => {
        const a = m.value(baseline);
        const b = m.value(current);
        return `| ${m.label} | ${format(a, m.kind)} | ${format(b, m.kind)} | ${a === null || b === null ? "" : signed(b - a, m.kind)} |`;
      }),
      "",
    );
  }

  out.push("### Headline", "", "| | count |", "| --- | ---: |");
  for (const metric of HEADLINE) {
    const value = metric.value(summary);
    if (value !== null) out.push(`| ${metric.label} | ${format(value, metric.kind)} |`);
  }
  if (summary.cost?.estimated) out.push("", "The cost is estimated, at least in part, from the tokens at the model's published price (results written before `cost_usd`).");
  if (summary.cost && !summary.cost.complete) out.push("", "The cost leaves out tokens spent on models without a known price.");
  out.push("");

  if (summary.byRule.length > 0) {
    out.push("### Findings by rule", "", "| tool | rule | CWE | severity | first version | final version |", "| --- | --- | --- | --- | ---: | ---: |");
    for (const rule of summary.byRule) {
      out.push(`| ${rule.tool} | ${escapeCell(rule.rule)} | ${rule.cwe ? `CWE-${rule.cwe}` : ""} | ${rule.severity} | ${rule.initial} | ${rule.final} |`);
    }
    out.push("", "### Findings by CWE", "", "| CWE | first version | final version |", "| --- | ---: | ---: |");
    for (const cwe of summary.byCwe) out.push(`| ${cwe.cwe ? `CWE-${cwe.cwe}` : "none"} | ${cwe.initial} | ${cwe.final} |`);
    out.push("", "### Findings by severity", "", "| severity | first version | final version |", "| --- | ---: | ---: |");
    for (const severity of SEVERITIES) out.push(`| ${severity} | ${summary.bySeverity[severity].initial} | ${summary.bySeverity[severity].final} |`);
    out.push("");
  }

  out.push("### Attempts per file", "", "| attempts | files |", "| ---: | ---: |");
  for (const bucket of summary.attempts) out.push(`| ${bucket.attempts} | ${bucket.files} |`);
  out.push("");
  return `${out.join("\n")}\n`;
}

export function meanAttempts(summary: RunSummary): number | null {
  if (summary.files === 0) return null;
  const total = summary.attempts.reduce((sum, bucket) => sum + bucket.attempts * bucket.files, 0);
  return Math.round((total / summary.files) * 100) / 100;
}

function describeRun(manifest: Manifest | undefined): string | undefined {
  const record = manifest?.validate ?? manifest?.generate;
  if (!record) return undefined;
  const parts = [
    record.model ? `model \`${record.model}\`` : "no model (analyzers only)",
    record.base_url_host ? `endpoint ${record.base_url_host}` : null,
    record.analyzers.length > 0 ? record.analyzers.map((a) => `${a.name} ${a.version ?? "?"}`).join(", ") : null,
    record.calls !== undefined && record.model ? `${record.calls} model calls${record.cached_calls ? ` (${record.cached_calls} from the cache)` : ""}` : null,
    record.cost_usd !== undefined && record.model ? (record.cost_usd === null ? "cost unknown" : `${formatUsd(record.cost_usd)} spent`) : null,
    `codeenhancer ${record.codeenhancer_version}`,
    `finished ${record.ended_at}`,
  ];
  return parts.filter(Boolean).join(" · ");
}

function format(value: number | null, kind: Metric["kind"] = "count"): string {
  if (value === null) return "";
  if (kind === "usd") return formatUsd(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function signed(value: number, kind: Metric["kind"]): string {
  // Dollars to a hundredth of a cent: a small run costs fractions of a cent.
  const rounded = kind === "usd" ? Math.round(value * 10_000) / 10_000 : Math.round(value * 100) / 100;
  if (rounded === 0) return "0";
  return `${rounded > 0 ? "+" : "-"}${format(Math.abs(rounded), kind)}`;
}

// A | in a cell would end it.
function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
