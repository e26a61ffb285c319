import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { writeTextAtomic } from "../store/atomic.js";
import { renderHtml } from "./html.js";
import { loadRun } from "./load.js";
import { renderMarkdown } from "./markdown.js";
import { buildSarif } from "./sarif.js";
import { compareRuns, summarizeRun, type Comparison, type RunSummary } from "./summary.js";

export interface ReportOptions {
  /** The run folder (--out): read, and the report written to <outDir>/report/. */
  outDir: string;
  /** Another run folder to compare with (--baseline). */
  baselineDir?: string;
}

export interface ReportResult {
  dir: string;
  files: { html: string; markdown: string; finalSarif: string; initialSarif: string };
  summary: RunSummary;
  comparison?: Comparison;
}

/** Writes report/index.html, report/report.md, report/final.sarif and report/initial.sarif. */
export async function writeReport(options: ReportOptions): Promise<ReportResult> {
  const run = await loadRun(options.outDir, { withCode: true });
  const baseline = options.baselineDir ? await loadRun(options.baselineDir) : undefined;
  if (baseline && baseline.name === run.name) {
    // Two folders of the same name are told apart by their parent folder.
    baseline.name = path.join(path.basename(path.dirname(path.resolve(options.baselineDir ?? ""))), baseline.name);
    run.name = path.join(path.basename(path.dirname(path.resolve(options.outDir))), run.name);
  }
  const summary = summarizeRun(run);
  const comparison = baseline ? compareRuns(baseline, run) : undefined;

  const dir = path.join(options.outDir, "report");
  const files = {
    html: path.join(dir, "index.html"),
    markdown: path.join(dir, "report.md"),
    finalSarif: path.join(dir, "final.sarif"),
    initialSarif: path.join(dir, "initial.sarif"),
  };
  const html = renderHtml({
    summary,
    manifest: run.manifest,
    files: run.files,
    code: run.code,
    ...(comparison && baseline ? { comparison, baselineFiles: baseline.files } : {}),
    diffLibrary: await diffLibrary(),
  });
  await writeTextAtomic(files.html, html);
  await writeTextAtomic(files.markdown, renderMarkdown(summary, run.manifest, comparison));
  await writeTextAtomic(files.finalSarif, `${JSON.stringify(buildSarif(run, "final", baseline), null, 2)}\n`);
  await writeTextAtomic(files.initialSarif, `${JSON.stringify(buildSarif(run, "initial", baseline), null, 2)}\n`);
  return { dir, files, summary, ...(comparison ? { comparison } : {}) };
}

let diffSource: Promise<string> | undefined;

// The `diff` package's own browser build; its package exports do not list dist/, so it is found
// beside its package.json.
function diffLibrary(): Promise<string> {
  const require = createRequire(import.meta.url);
  diffSource ??= readFile(path.join(path.dirname(require.resolve("diff/package.json")), "dist", "diff.min.js"), "utf8");
  return diffSource;
}
