import path from "node:path";
import fs from "fs-extra";
import type { z } from "zod";
import { describeError, ExitCode, usageError } from "../errors.js";
import { createLogger, type Logger } from "../log.js";
import { writeReport, type ReportResult } from "../report/write.js";
import { validationLayout } from "../store/layout.js";
import { resolveCommandOptions } from "./config.js";
import type { RegisterCommand } from "./context.js";
import { reportOptions, type reportOptionsSchema } from "./option-schemas.js";
import { addOptions } from "./options.js";

type ReportCliOptions = z.output<typeof reportOptionsSchema>;

export const registerReport: RegisterCommand = (program, ctx, done) => {
  addOptions(
    program.command("report").description("Write <out>/report/: index.html, report.md, final.sarif and initial.sarif, from what generate and validate wrote."),
    reportOptions,
  ).action(async (flags: Record<string, unknown>) => {
    done(await runReport(await resolveCommandOptions(ctx, "report", flags), ctx));
  });
};

async function runReport(options: ReportCliOptions, ctx: Parameters<RegisterCommand>[1]): Promise<number> {
  const logger = createLogger(ctx.stderr, { quiet: options.quiet });
  const outDir = path.resolve(ctx.cwd, options.out);
  const baselineDir = options.baseline === undefined ? undefined : path.resolve(ctx.cwd, options.baseline);
  if (!(await fs.pathExists(outDir))) throw usageError(`--out folder not found: ${options.out}`);
  if (baselineDir && !(await fs.pathExists(baselineDir))) throw usageError(`--baseline folder not found: ${options.baseline}`);
  for (const [dir, label] of [[outDir, options.out], [baselineDir, options.baseline]] as const) {
    if (dir && !(await fs.pathExists(validationLayout(dir).results))) {
      throw usageError(`${label} has no validation/results.json: run \`codeenhancer validate --out ${label}\` first`);
    }
  }
  const result = await writeReport({ outDir, ...(baselineDir ? { baselineDir } : {}) });
  printReportSummary(logger, result);
  return ExitCode.ok;
}

export function printReportSummary(logger: Logger, result: ReportResult): void {
  const { summary, comparison } = result;
  const compared = comparison
    ? ` | compared with ${comparison.baseline.name} over ${comparison.commonIds} common ids`
    : "";
  logger.info(
    `report: ${summary.files} files, ${summary.funnel.passed} passed, findings ${summary.findings.initial} -> ${summary.findings.final}${compared} | ${result.files.html}`,
  );
}

/** What validate calls at the end of a run: a report that cannot be written is a warning, not a failed run. */
export async function writeReportAfterRun(outDir: string, logger: Logger): Promise<void> {
  try {
    printReportSummary(logger, await writeReport({ outDir }));
  } catch (error) {
    logger.warn(`report not written: ${describeError(error)} (run \`codeenhancer report --out ${outDir}\` to try again)`);
  }
}
