import path from "node:path";
import fs from "fs-extra";
import type { z } from "zod";
import { exportTrainingData } from "../core/export.js";
import { ExitCode } from "../errors.js";
import { createLogger } from "../log.js";
import type { RegisterCommand } from "./context.js";
import { resolveCommandOptions } from "./config.js";
import { exportOptions, type exportOptionsSchema } from "./option-schemas.js";
import { addOptions } from "./options.js";
import { formatCounts, lockOutput } from "./shared.js";

type ExportCliOptions = z.output<typeof exportOptionsSchema>;

export const registerExport: RegisterCommand = (program, ctx, done) => {
  addOptions(
    program.command("export").description("Write fine-tuning data from the files that passed validation: OpenAI chat (sft) or preference (dpo) JSONL, or TRL DPO."),
    exportOptions,
  ).action(async (flags: Record<string, unknown>) => {
      done(await runExport(await resolveCommandOptions(ctx, "export", flags), ctx));
    });
};

async function runExport(options: ExportCliOptions, ctx: Parameters<RegisterCommand>[1]): Promise<number> {
  const logger = createLogger(ctx.stderr, { quiet: options.quiet });
  const outDir = path.resolve(ctx.cwd, options.out);
  // export refuses by itself when there is nothing validated; the lock needs the folder to exist.
  const release = (await fs.pathExists(outDir)) ? await lockOutput(ctx, outDir, options.out, "export", options.waitLock) : async () => {};
  const result = await exportTrainingData({
    outDir,
    format: options.format,
    valFraction: options.valFraction,
    model: options.baseModel,
    prices: options.prices,
    ...(options.maxExampleTokens !== undefined ? { maxTokens: options.maxExampleTokens } : {}),
  }).finally(release);
  if (options.jsonl) for (const item of result.items) ctx.stdout.write(`${JSON.stringify(item)}\n`);
  for (const warning of result.stats.warnings) logger.warn(warning);

  const { stats } = result;
  const cost = stats.estimated_cost;
  const costText = cost ? ` | est. training cost $${cost.usd.toFixed(2)} (${cost.model}, ${cost.epochs} epochs)` : "";
  const leftOut = stats.left_out.total > 0 ? `, ${stats.left_out.total} left out (${formatCounts(stats.left_out.by_reason)})` : "";
  logger.info(
    `export ${stats.format}: ${stats.examples.total} examples (${stats.examples.train} train, ${stats.examples.val} val)${leftOut} | ` +
      `${stats.tokens.total} tokens${costText} | ${path.dirname(result.files.train)}`,
  );
  return ExitCode.ok;
}
