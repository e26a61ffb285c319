import path from "node:path";
import type { z } from "zod";
import { exportTrainingData } from "../core/export.js";
import { ExitCode } from "../errors.js";
import { createLogger } from "../log.js";
import type { RegisterCommand } from "./context.js";
import { resolveCommandOptions } from "./config.js";
import type { exportOptionsSchema } from "./option-schemas.js";
import { formatCounts } from "./shared.js";

type ExportCliOptions = z.output<typeof exportOptionsSchema>;

export const registerExport: RegisterCommand = (program, ctx, done) => {
  program
    .command("export")
    .description("Write fine-tuning data from the files that passed validation: OpenAI chat (sft) or preference (dpo) JSONL, or TRL DPO.")
    .option("--out <dir>", "the folder generate and validate wrote; data goes to <out>/finetune/ (default: ./baseline)")
    .option("--format <format>", "sft (chat examples), dpo (OpenAI preference pairs) or trl-dpo (Hugging Face TRL pairs) (default: sft)")
    .option("--val-fraction <share>", "share of examples held out for validation, chosen by a hash of each id (default: 0.1)")
    .option("--model <id>", "the model you will fine-tune: its tokenizer, training context and price (default: gpt-4o-2024-08-06)")
    .option("--max-tokens <n>", "leave out examples longer than this (default: the model's training context)")
    .option("--jsonl", "print one JSON line per validated file on stdout: its split and tokens, or why it was left out")
    .option("--quiet", "no summary on stderr (warnings and errors still)")
    .option("--config <path>", "config file (default: ./codeenhancer.config.json if present)")
    .action(async (flags: Record<string, unknown>) => {
      done(await runExport(await resolveCommandOptions(ctx, "export", flags), ctx));
    });
};

async function runExport(options: ExportCliOptions, ctx: Parameters<RegisterCommand>[1]): Promise<number> {
  const logger = createLogger(ctx.stderr, { quiet: options.quiet });
  const outDir = path.resolve(ctx.cwd, options.out);
  const result = await exportTrainingData({
    outDir,
    format: options.format,
    valFraction: options.valFraction,
    model: options.model,
    ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
  });
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
