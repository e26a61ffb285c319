import { gzipSync } from "node:zlib";
import type { Finding } from "../analyzers/finding.js";
import { formatUsd } from "../llm/prices.js";
import type { Manifest, RunRecord } from "../store/manifest.js";
import { barChart, escapeXml as esc } from "./charts.js";
import type { FileReport, LoadedCode } from "./load.js";
import { meanAttempts } from "./markdown.js";
import { PAGE_CSS, PAGE_SCRIPT } from "./page-assets.js";
import { SEVERITIES, type Comparison, type RunSummary } from "./summary.js";

export interface HtmlInput {
  summary: RunSummary;
  manifest: Manifest | undefined;
  files: FileReport[];
  code: Map<string, LoadedCode>;
  comparison?: Comparison;
  /** The baseline run's files, for its first-version findings beside each common id. */
  baselineFiles?: FileReport[];
  /** The `diff` library's browser build (UMD, defines the global `Diff`). */
  diffLibrary: string;
}

/** Files per gzipped code chunk: opening a file decodes only its chunk. */
export const CHUNK_SIZE = 100;

const COLUMNS = ["id", "status", "first", "final", "attempts", "verdict", "testsFirst", "testsFinal", "error", "chunk", "position", "baselineFirst"] as const;

/** report/index.html: one self-contained page, nothing fetched. */
export function renderHtml(input: HtmlInput): string {
  const { summary, manifest, comparison } = input;
  const baselineFirst = new Map(input.baselineFiles?.map((file) => [file.id, file.initial.length]));
  const hasTests = input.files.some((file) => file.initialTests || file.finalTests);
  const rows = input.files.map((file, index) => [
    file.id,
    file.status,
    file.initial.length,
    file.final.length,
    file.attempts,
    file.verdict,
    file.initialTests ? [file.initialTests.passed, file.initialTests.total] : null,
    file.finalTests ? [file.finalTests.passed, file.finalTests.total] : null,
    file.error,
    Math.floor(index / CHUNK_SIZE),
    index % CHUNK_SIZE,
    input.baselineFiles ? (baselineFirst.get(file.id) ?? null) : null,
  ]);
  const data = { columns: COLUMNS, rows, baseline: comparison ? comparison.baseline.name : null, hasTests };

  const chunks: string[] = [];
  for (let start = 0; start < input.files.length; start += CHUNK_SIZE) {
    const payload = input.files.slice(start, start + CHUNK_SIZE).map((file) => {
      const code = input.code.get(file.id);
      return [code?.initial ?? null, code?.final ?? null, file.initialPath, file.finalPath, compact(file.initial), compact(file.final)];
    });
    const encoded = gzipSync(JSON.stringify(payload), { level: 9 }).toString("base64");
    chunks.push(`<script type="application/gzip;base64" class="code-chunk" id="chunk-${chunks.length}">${encoded}</script>`);
  }

  const title = comparison ? `${comparison.baseline.name} vs ${summary.name}` : summary.name;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>codeenhancer report: ${esc(title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<h1>codeenhancer report: ${esc(title)}</h1>
${runSection(summary, manifest)}
${comparison ? comparisonSection(comparison) : ""}
${funnelSection(summary)}
${findingsSection(summary)}
${attemptsSection(summary)}
${tokensSection(summary)}
${summary.tests ? testsSection(summary) : ""}
${filesSection(summary, Boolean(comparison), hasTests)}
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
${chunks.join("\n")}
<script>/* diff (jsdiff), BSD-3-Clause, https://github.com/kpdecker/jsdiff */
${input.diffLibrary.replace(/<\/script/gi, "<\\/script")}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function compact(findings: Finding[]): Array<[number, number | null, string, string, string, string]> {
  return findings.map((f) => [f.line, f.column, f.severity, f.tool, f.rule, f.message]);
}

// JSON inside <script> must not contain "</script" or "<!--".
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function runSection(summary: RunSummary, manifest: Manifest | undefined): string {
  const records = [manifest?.generate, manifest?.validate].filter((r): r is RunRecord => r !== undefined);
  if (records.length === 0) {
    return `<section id="run"><h2>Run</h2><p class="muted">${esc(summary.name)}: no manifest.json (written by codeenhancer 0.2 and later).</p></section>`;
  }
  const tables = records.map((record) => {
    const rows: Array<[string, string]> = [
      ["command", record.command],
      ["model", record.model ?? "none (analyzers only)"],
      ["endpoint host", record.base_url_host ?? ""],
      ["analyzers", record.analyzers.map((a) => `${a.name} ${a.version ?? "?"}`).join(", ")],
      ["rule packs", record.rule_packs.map((p) => `${p.name} ${p.version ?? "?"}`).join(", ")],
      ["Python", record.python ? `${record.python.version} (${record.python.path})` : ""],
      ["dataset", record.dataset ? `${record.dataset.path} (sha256 ${record.dataset.sha256.slice(0, 16)}…)` : ""],
      ["started", record.started_at],
      ["ended", `${record.ended_at}${record.interrupted ? " (interrupted)" : ""}`],
      ["codeenhancer", `${record.codeenhancer_version}, Node ${record.node_version}`],
      ["counts", Object.entries(record.counts).map(([k, v]) => `${k} ${v}`).join(", ")],
      ["model calls", describeSpend(record)],
      ["options", Object.entries(record.options).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")],
    ];
    return `<table class="run-info" data-command="${record.command}"><caption>${record.command}</caption>${rows
      .filter(([, v]) => v !== "")
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
      .join("")}</table>`;
  });
  return `<section id="run"><h2>Run</h2><div class="grid">${tables.join("")}</div></section>`;
}

/** "12 calls (4 from the cache), $0.0480": what the command's last run spent, from the manifest. */
function describeSpend(record: RunRecord): string {
  if (record.calls === undefined) return "";
  const cached = record.cached_calls ? ` (${record.cached_calls} from the cache)` : "";
  const cost = record.cost_usd === undefined ? "" : `, ${record.cost_usd === null ? "cost unknown" : formatUsd(record.cost_usd)}`;
  return `${record.calls}${cached}${cost}`;
}

function metricTable(rows: Array<[string, string, number | null]>): string {
  return `<table class="metrics">${rows
    .filter(([, , value]) => value !== null)
    .map(([key, label, value]) => `<tr><th>${esc(label)}</th><td class="num" data-metric="${key}">${value}</td></tr>`)
    .join("")}</table>`;
}

function funnelSection(s: RunSummary): string {
  const steps: Array<[string, string, number | null]> = [
    ["prompts", "prompts", s.funnel.prompts],
    ["generated", "generated", s.funnel.generated],
    ["docstring-ok", "docstring ok", s.funnel.docstringOk],
    ["validated", "validated", s.funnel.validated],
    ["clean-first-time", "clean first time", s.funnel.cleanFirstTime],
    ["passed", "passed", s.funnel.passed],
  ];
  const shown = steps.filter(([, , v]) => v !== null) as Array<[string, string, number]>;
  const chart = barChart({ title: "Funnel", categories: shown.map(([, label]) => label), series: [{ name: "files", values: shown.map(([, , v]) => v) }] });
  const table = metricTable([
    ...steps,
    ["unresolved", "unresolved", s.funnel.unresolved],
    ["errors-generate", "errors in generate", s.funnel.errors.generate],
    ["errors-validate", "errors in validate", s.funnel.errors.validate],
  ]);
  return `<section id="funnel"><h2>Funnel</h2><div class="grid">${table}${chart}</div></section>`;
}

function findingsSection(s: RunSummary): string {
  const severityChart = barChart({
    title: "Findings by severity",
    categories: [...SEVERITIES],
    series: [
      { name: "first version", values: SEVERITIES.map((sev) => s.bySeverity[sev].initial) },
      { name: "final version", values: SEVERITIES.map((sev) => s.bySeverity[sev].final) },
    ],
  });
  const totals = metricTable([
    ["findings-first", "findings, first version", s.findings.initial],
    ["findings-final", "findings, final version", s.findings.final],
    ["files-with-findings-first", "files with findings, first version", s.filesWithFindings.initial],
    ["files-with-findings-final", "files with findings, final version", s.filesWithFindings.final],
  ]);
  if (s.byRule.length === 0) return `<section id="findings"><h2>Findings</h2>${totals}<p>No analyzer reported anything.</p></section>`;
  const ruleChart = barChart({
    title: "Findings by rule",
    categories: s.byRule.map((r) => `${r.tool} ${r.rule}`),
    series: [
      { name: "first version", values: s.byRule.map((r) => r.initial) },
      { name: "final version", values: s.byRule.map((r) => r.final) },
    ],
  });
  const cweChart = barChart({
    title: "Findings by CWE",
    categories: s.byCwe.map((c) => (c.cwe ? `CWE-${c.cwe}` : "no CWE")),
    series: [
      { name: "first version", values: s.byCwe.map((c) => c.initial) },
      { name: "final version", values: s.byCwe.map((c) => c.final) },
    ],
  });
  const ruleTable = `<table id="by-rule"><thead><tr><th>tool</th><th>rule</th><th>CWE</th><th>severity</th><th class="num">first</th><th class="num">final</th></tr></thead><tbody>${s.byRule
    .map(
      (r) =>
        `<tr><td>${esc(r.tool)}</td><td>${esc(r.rule)}</td><td>${r.cwe ? `CWE-${r.cwe}` : ""}</td><td>${r.severity}</td><td class="num">${r.initial}</td><td class="num">${r.final}</td></tr>`,
    )
    .join("")}</tbody></table>`;
  return `<section id="findings"><h2>Findings</h2><div class="grid">${totals}${severityChart}</div><div class="grid">${ruleChart}${cweChart}</div>${ruleTable}</section>`;
}

function attemptsSection(s: RunSummary): string {
  const chart = barChart({
    title: "Files by attempts",
    categories: s.attempts.map((a) => `${a.attempts} attempt${a.attempts === 1 ? "" : "s"}`),
    series: [{ name: "files", values: s.attempts.map((a) => a.files) }],
  });
  return `<section id="attempts"><h2>Attempts</h2><div class="grid">${metricTable([["mean-attempts", "mean attempts", meanAttempts(s)]])}${chart}</div></section>`;
}

function tokensSection(s: RunSummary): string {
  const rows: Array<[string, string, string]> = [];
  if (s.tokens.generate) rows.push(["generate", String(s.tokens.generate.prompt_tokens), String(s.tokens.generate.completion_tokens)]);
  rows.push(["validate", String(s.tokens.validate.prompt_tokens), String(s.tokens.validate.completion_tokens)]);
  const cost = s.cost
    ? `<p>${s.cost.estimated ? "Estimated cost" : "Cost"}: <strong data-metric="cost">${formatUsd(s.cost.usd)}</strong> ${
        s.cost.estimated ? "at the model's published price per token" : "as the runs recorded it (replies from the response cache cost nothing)"
      }${s.cost.complete ? "" : " (leaves out tokens of models without a known price)"}.</p>`
    : `<p class="muted">${s.tokens.total === 0 ? "No tokens spent: no model was called." : "No cost: the model's price is not known."}</p>`;
  return `<section id="tokens"><h2>Tokens</h2><table><thead><tr><th>command</th><th class="num">prompt</th><th class="num">completion</th></tr></thead><tbody>${rows
    .map(([c, p, o]) => `<tr><td>${c}</td><td class="num">${p}</td><td class="num">${o}</td></tr>`)
    .join("")}<tr><th>total</th><td class="num" colspan="2" data-metric="tokens">${s.tokens.total}</td></tr></tbody></table>${cost}</section>`;
}

function testsSection(s: RunSummary): string {
  const t = s.tests;
  if (!t) return "";
  const chart = barChart({
    title: "Files whose tests all passed",
    categories: ["first version", "final version"],
    series: [{ name: "files", values: [t.allPassedFirst, t.allPassedFinal] }],
  });
  return `<section id="tests"><h2>Tests</h2><div class="grid">${metricTable([
    ["tests-files", "files with tests", t.files],
    ["tests-all-first", "all tests passed, first version", t.allPassedFirst],
    ["tests-all-final", "all tests passed, final version", t.allPassedFinal],
    ["tests-passed-first", `tests passed, first version (of ${t.total})`, t.passedFirst],
    ["tests-passed-final", `tests passed, final version (of ${t.total})`, t.passedFinal],
  ])}${chart}</div></section>`;
}

function comparisonSection(c: Comparison): string {
  const a = c.baseline;
  const b = c.current;
  const metrics: Array<[string, (s: RunSummary) => number | null]> = [
    ["passed", (s) => s.funnel.passed],
    ["clean first time", (s) => s.funnel.cleanFirstTime],
    ["findings, first version", (s) => s.findings.initial],
    ["findings, final version", (s) => s.findings.final],
    ["files with findings, first version", (s) => s.filesWithFindings.initial],
    ["mean attempts", meanAttempts],
    ["tokens", (s) => s.tokens.total],
    ["all tests passed, first version", (s) => s.tests?.allPassedFirst ?? null],
  ];
  const rows = metrics
    .filter(([, f]) => f(a) !== null || f(b) !== null)
    .map(([label, f]) => {
      const x = f(a);
      const y = f(b);
      const diff = x === null || y === null ? "" : String(Math.round((y - x) * 100) / 100);
      return `<tr><th>${esc(label)}</th><td class="num">${x ?? ""}</td><td class="num">${y ?? ""}</td><td class="num">${diff}</td></tr>`;
    })
    .join("");
  const rules = [...new Set([...a.byRule, ...b.byRule].map((r) => `${r.tool} ${r.rule}`))];
  const firstOf = (s: RunSummary, key: string) => s.byRule.find((r) => `${r.tool} ${r.rule}` === key)?.initial ?? 0;
  const chart = barChart({
    title: "First-version findings by rule: what each model writes by itself",
    categories: rules,
    series: [
      { name: a.name, values: rules.map((key) => firstOf(a, key)) },
      { name: b.name, values: rules.map((key) => firstOf(b, key)) },
    ],
  });
  const funnel = barChart({
    title: "Funnel, both runs",
    categories: ["validated", "clean first time", "passed"],
    series: [a, b].map((s) => ({ name: s.name, values: [s.funnel.validated, s.funnel.cleanFirstTime, s.funnel.passed] })),
  });
  return `<section id="comparison"><h2>${esc(a.name)} vs ${esc(b.name)}</h2>
<p>Compared over the <strong data-metric="common-ids">${c.commonIds}</strong> ids validated in both runs (${c.onlyBaseline} only in ${esc(a.name)}, ${c.onlyCurrent} only in ${esc(b.name)}); the rest of this page is ${esc(b.name)} alone.</p>
<div class="grid"><table id="comparison-table"><thead><tr><th></th><th class="num">${esc(a.name)}</th><th class="num">${esc(b.name)}</th><th class="num">difference</th></tr></thead><tbody>${rows}</tbody></table>${funnel}</div>${rules.length > 0 ? chart : ""}</section>`;
}

function filesSection(s: RunSummary, withBaseline: boolean, hasTests: boolean): string {
  const header = [
    `<th data-sort="id" aria-sort="ascending">id</th>`,
    `<th data-sort="status">status</th>`,
    `<th data-sort="first" class="num">findings first</th>`,
    `<th data-sort="final" class="num">findings final</th>`,
    withBaseline ? `<th data-sort="baselineFirst" class="num">first, baseline</th>` : "",
    `<th data-sort="attempts" class="num">attempts</th>`,
    `<th data-sort="verdict">verdict</th>`,
    hasTests ? `<th data-sort="testsFirst" class="num">tests first</th><th data-sort="testsFinal" class="num">tests final</th>` : "",
    `<th>error</th>`,
  ].join("");
  return `<section id="files-section"><h2>Files (<span data-metric="files">${s.files}</span>)</h2>
<p class="muted">Click a row to see its first and final version side by side, findings marked on their lines. Click a column to sort.</p>
<div class="controls"><input id="filter" type="search" placeholder="filter by id" aria-label="filter by id">
<select id="status-filter" aria-label="status"><option value="">every status</option><option>passed</option><option>unresolved</option><option>error</option></select>
<button id="prev" type="button">previous</button><button id="next" type="button">next</button><span id="page-info"></span></div>
<table id="files"><thead><tr>${header}</tr></thead><tbody id="files-body"></tbody></table>
<section id="detail" hidden></section></section>`;
}
