import path from "node:path";
import fs from "fs-extra";
import pLimit from "p-limit";
import type { Finding } from "../analyzers/finding.js";
import { usageError } from "../errors.js";
import { generateResultsSchema, type GenerateRow, type Usage } from "../schemas.js";
import { generateLayout, validationLayout } from "../store/layout.js";
import { readManifest, type Manifest } from "../store/manifest.js";
import { reportFileLogSchema, reportRowsSchema, revisionFindings, type ReportRow, type TestCount } from "./input.js";

/** One validated file as the report sees it. */
export interface FileReport {
  id: string;
  status: ReportRow["status"];
  attempts: number;
  verdict: ReportRow["verdict"];
  mode: ReportRow["mode"];
  error: string | null;
  /** generate's status for this id, when generate's results.json lists it. */
  generateStatus: string | null;
  initial: Finding[];
  final: Finding[];
  initialTests: TestCount | null;
  finalTests: TestCount | null;
  usage: Usage | null;
  /** What validate recorded as spent on the file (`cost_usd`); undefined in rows written before it existed. */
  costUsd?: number | null;
  model: string | null;
  /** The analyzed first and final versions, relative to the run folder, with forward slashes. */
  initialPath: string;
  finalPath: string;
}

export interface LoadedRun {
  /** The run folder's name: how the report names the run. */
  name: string;
  outDir: string;
  manifest: Manifest | undefined;
  /** generate's results.json, or null when the folder has none (validate --input). */
  generateRows: GenerateRow[] | null;
  files: FileReport[];
}

export interface LoadRunOptions {
  /** Keep each file's first and final code (for the HTML page). */
  withCode?: boolean;
}

export interface LoadedCode {
  initial: string | null;
  final: string | null;
}

/**
 * Reads what generate and validate wrote under `outDir`, through their schemas. A missing
 * `validation/results.json` is a usage error naming the folder.
 */
export async function loadRun(outDir: string, options: LoadRunOptions = {}): Promise<LoadedRun & { code: Map<string, LoadedCode> }> {
  const val = validationLayout(outDir);
  const gen = generateLayout(outDir);
  const rows = await readRows(val.results, outDir);
  const generateRows = await readOptionalJson(gen.results, generateResultsSchema);
  const generateStatus = new Map(generateRows?.map((row) => [row.prompt_id, row.status === "skipped" ? (row.previous_status ?? "success") : row.status]));
  const code = new Map<string, LoadedCode>();
  const limit = pLimit(32);

  const files = await Promise.all(
    rows.map((row) =>
      limit(async (): Promise<FileReport> => {
        const log = await readOptionalJson(val.fileLog(row.id), reportFileLogSchema);
        const given = (await fs.pathExists(gen.code(row.id))) ? gen.code(row.id) : val.attempt(row.id, 1);
        const initialCode = await readText(given);
        const finalCode = await readText(val.finalCode(row.id));
        const revisions = log?.revisions ?? [];
        const first = revisions[0];
        const last = revisions[revisions.length - 1];
        if (options.withCode) code.set(row.id, { initial: initialCode, final: finalCode });
        return {
          id: row.id,
          status: row.status,
          attempts: row.attempts,
          verdict: row.verdict,
          mode: row.mode,
          error: row.error ?? null,
          generateStatus: generateStatus.get(row.id) ?? null,
          initial: revisionFindings(first, initialCode ?? undefined),
          final: revisionFindings(last, finalCode ?? undefined),
          initialTests: row.initial_tests ?? testCount(first?.tests),
          finalTests: row.final_tests ?? testCount(last?.tests),
          usage: row.usage ?? null,
          ...(row.cost_usd !== undefined ? { costUsd: row.cost_usd } : {}),
          model: row.model ?? log?.model ?? null,
          initialPath: relative(outDir, given),
          finalPath: relative(outDir, val.finalCode(row.id)),
        };
      }),
    ),
  );
  return { name: path.basename(path.resolve(outDir)), outDir, manifest: await readManifest(outDir), generateRows, files, code };
}

async function readRows(file: string, outDir: string): Promise<ReportRow[]> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch {
    throw usageError(`${outDir} has no validation/results.json: run \`codeenhancer validate --out ${outDir}\` first`);
  }
  let parsed;
  try {
    parsed = reportRowsSchema.safeParse(JSON.parse(text));
  } catch {
    throw usageError(`${file} is not valid JSON`);
  }
  if (!parsed.success) throw usageError(`${file} is not a results.json written by codeenhancer validate`);
  return parsed.data;
}

async function readOptionalJson<T>(file: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }): Promise<T | null> {
  try {
    const parsed = schema.safeParse(JSON.parse(await fs.readFile(file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, "utf8");
  } catch {
    return null;
  }
}

function testCount(run: { passed: number; total: number } | null | undefined): TestCount | null {
  return run ? { passed: run.passed, total: run.total } : null;
}

function relative(outDir: string, file: string): string {
  return path.relative(outDir, file).split(path.sep).join("/");
}
