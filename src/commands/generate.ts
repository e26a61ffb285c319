import path from "node:path";
import type { z } from "zod";
import { generateAll } from "../core/generate.js";
import { DatasetError, parseDataset } from "../core/dataset.js";
import { ExitCode, usageError } from "../errors.js";
import { createLogger } from "../log.js";
import { createProgress } from "../progress.js";
import type { GenerateRow } from "../schemas.js";
import { resolveCommandOptions } from "./config.js";
import type { RegisterCommand } from "./context.js";
import { generateOptions, type generateOptionsSchema } from "./option-schemas.js";
import { writeRunManifest } from "../store/manifest.js";
import { addOptions } from "./options.js";
import { budgetLine, formatCost, openModelClient } from "./model-client.js";
import { ensureWritableDir, formatCalls, formatCounts, formatDuration, lockOutput, readInput } from "./shared.js";

export type GenerateCliOptions = z.infer<typeof generateOptionsSchema>;

export const registerGenerate: RegisterCommand = (program, ctx, done) => {
  addOptions(
    program.command("generate").description("Turn each prompt of a dataset into a Python script with an Input Prompt / Intention / Functionality docstring."),
    generateOptions,
  ).action(async (flags: Record<string, unknown>) => {
      done(await runGenerate(await resolveCommandOptions(ctx, "generate", flags), ctx));
    });
};

async function runGenerate(options: GenerateCliOptions, ctx: Parameters<RegisterCommand>[1]): Promise<number> {
  const logger = createLogger(ctx.stderr, { quiet: options.quiet });
  const input = await readInput(options.dataset, ctx, "--dataset");
  let items;
  try {
    items = parseDataset(input.text, input.source);
  } catch (error) {
    if (error instanceof DatasetError) throw usageError(error.message);
    throw error;
  }
  if (options.limit !== undefined) items = items.slice(0, options.limit);
  const outDir = path.resolve(ctx.cwd, options.out);
  const concurrency = options.concurrency ?? (options.modelFile ? 1 : 10);
  // The key (or the local model) is checked before anything is written.
  const model = await openModelClient(ctx, { ...options, concurrency }, logger);
  const release = await (async () => {
    await ensureWritableDir(outDir, "--out");
    return lockOutput(ctx, outDir, options.out, "generate", options.waitLock);
  })().catch(async (error: unknown) => {
    await model.close();
    throw error;
  });
  const progress = createProgress(logger, "generate", items.length, { activity: model.meter.total });
  const started = Date.now();
  const result = await generateAll(
    items,
    {
      outDir,
      model: options.modelFile ? path.basename(options.modelFile) : options.model,
      concurrency,
      docstringRetries: options.docstringRetries,
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      force: options.force,
    },
    {
      llm: model.llm,
      meter: model.meter,
      stop: ctx.stop,
      abort: ctx.abort,
      onItem(row) {
        progress.tick(`${row.prompt_id} ${row.status}`);
        if (options.jsonl) ctx.stdout.write(`${JSON.stringify(row)}\n`);
        if (row.status === "error") logger.info(`${row.prompt_id}: error: ${row.error ?? ""}`);
      },
    },
  ).finally(async () => {
    progress.stop();
    await Promise.all([model.close(), release()]);
  });

  const counts = countStatuses(result.rows);
  await writeRunManifest(outDir, { command: "generate", options, started, counts: { items: items.length, ...counts }, model: options.modelFile ? path.basename(options.modelFile) : options.model, baseUrl: options.modelFile ? null : options.baseUrl, interrupted: result.interrupted, dataset: input, spent: model.meter.total });
  // What was spent, counted per call: after Ctrl-C it includes the items that did not finish.
  const spent = model.meter.total;
  const { usage } = spent;
  logger.info(
    `generate: ${formatCounts(counts) || (result.interrupted ? "nothing finished" : "nothing to do")} | ${formatCalls(spent)}` +
      `${spent.cachedCalls ? `, ${spent.cachedCalls} from the cache` : ""} | ${usage.total_tokens} tokens ` +
      `(${usage.prompt_tokens} in, ${usage.completion_tokens} out) | ${formatCost(spent.costUsd)} | ${formatDuration(Date.now() - started)} | ${outDir}`,
  );
  if (result.budgetStopped) {
    logger.info(budgetLine(spent.costUsd, options.maxCost, items.length - result.rows.length));
    return ExitCode.budget;
  }
  if (result.interrupted) {
    logger.info(`interrupted: ${result.rows.length} of ${items.length} items finished; run the same command again to resume`);
    return ExitCode.interrupted;
  }
  if (options.strict && (counts.error > 0 || counts.fail_docstring > 0)) return ExitCode.itemsFailed;
  return ExitCode.ok;
}

function countStatuses(rows: GenerateRow[]): Record<GenerateRow["status"], number> {
  const counts = { success: 0, fail_docstring: 0, skipped: 0, error: 0 };
  for (const row of rows) counts[row.status] += 1;
  return counts;
}
