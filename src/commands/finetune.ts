import path from "node:path";
import type { FineTuningJob, FineTuningJobEvent } from "openai/resources/fine-tuning/jobs";
import type { z } from "zod";
import { type FinetuneDeps, type FinetunePlan, planFinetune, resumeFinetune, startFinetune } from "../core/finetune.js";
import { METHOD_FORMAT } from "../core/training-data.js";
import { EXPORT_FILES } from "../store/layout.js";
import { ExitCode, dependencyError, usageError } from "../errors.js";
import { type Logger, createLogger } from "../log.js";
import { resolveCommandOptions } from "./config.js";
import { finetuneOptions, type finetuneOptionsSchema } from "./option-schemas.js";
import { addOptions } from "./options.js";
import type { CliContext, RegisterCommand } from "./context.js";
import { connectApi } from "./model-client.js";
import { formatDuration, lockOutput } from "./shared.js";

type FinetuneCliOptions = z.output<typeof finetuneOptionsSchema>;

/** Uploads can be large; the SDK's own retries cover 429 and 5xx. */
const REQUEST_TIMEOUT_MS = 10 * 60_000;
const MAX_RETRIES = 2;

export const registerFinetune: RegisterCommand = (program, ctx, done) => {
  addOptions(
    program.command("finetune").description("Upload the exported training data, create a fine-tuning job and follow it until it ends (OpenAI, Azure OpenAI or any endpoint with the same API)."),
    finetuneOptions,
  ).action(async (flags: Record<string, unknown>) => {
      done(await runFinetune(await resolveCommandOptions(ctx, "finetune", flags), ctx));
    });
};

async function runFinetune(options: FinetuneCliOptions, ctx: CliContext): Promise<number> {
  const logger = createLogger(ctx.stderr, { quiet: options.quiet });
  const outDir = path.resolve(ctx.cwd, options.out);
  if (options.job && (options.dryRun || options.method)) {
    throw usageError(`--job follows an existing job: it does not go with ${options.dryRun ? "--dry-run" : "--method"}`);
  }
  let plan: FinetunePlan | undefined;
  if (!options.job) {
    plan = await planFinetune({ outDir, model: options.baseModel, method: options.method, epochs: options.epochs, prices: options.prices });
    logger.info(describePlan(plan, options.baseModel));
    if (options.dryRun) {
      logger.info("dry run: the files pass OpenAI's checks; nothing was sent");
      return ExitCode.ok;
    }
  }

  const { sdk: client } = connectApi(ctx, { baseUrl: options.baseUrl, timeoutMs: REQUEST_TIMEOUT_MS, maxRetries: MAX_RETRIES });
  const display = createJobDisplay(logger);
  const deps: FinetuneDeps = {
    client,
    stop: ctx.stop,
    onUpload: (file, localPath) => logger.info(`uploaded ${path.basename(localPath)} as ${file.id} (${file.bytes} bytes, purpose fine-tune)`),
    onJobUpdate: (job) => display.update(job),
    onEvent: (event) => display.event(event),
    onPoll: (job) => display.poll(job),
  };
  const jobOptions = {
    outDir,
    model: options.baseModel,
    epochs: options.epochs,
    suffix: options.suffix,
    seed: options.seed,
    pollIntervalMs: options.pollInterval * 1000,
    wait: options.wait,
    allowNew: options.new,
    resumeCommand: (id: string) => `npx codeenhancer finetune --job ${id}${options.out === "./baseline" ? "" : ` --out ${options.out}`}`,
  };
  // Two runs at once would upload twice and start two paid jobs.
  const release = await lockOutput(ctx, outDir, options.out, "finetune", options.waitLock);
  const { job, outcome } = await (options.job
    ? resumeFinetune(options.job, jobOptions, deps)
    : startFinetune(plan as FinetunePlan, jobOptions, deps)
  ).finally(async () => {
    display.stop();
    await release();
  });

  if (options.jsonl) ctx.stdout.write(`${JSON.stringify(job)}\n`);
  const resume = jobOptions.resumeCommand(job.id);
  switch (outcome) {
    case "succeeded":
      logger.info(`fine-tuned model: ${job.fine_tuned_model ?? "(none reported)"} | ${job.trained_tokens ?? "?"} trained tokens | ${path.join(outDir, "finetune", "job.json")}`);
      logger.info(`next: npx codeenhancer generate --model ${job.fine_tuned_model ?? "<model>"} --out <new folder>, then validate it`);
      return ExitCode.ok;
    case "pending":
      logger.info(`job ${job.id} is ${job.status}; follow it with: ${resume}`);
      return ExitCode.ok;
    case "interrupted":
      // Said even with --quiet: the job goes on and costs money.
      ctx.stderr.write(`interrupted: job ${job.id} keeps running on the server (last seen ${job.status}); resume following it with: ${resume}\n`);
      return ExitCode.interrupted;
    case "failed": {
      const reason = job.error ? `${job.error.message}${job.error.code ? ` (${job.error.code})` : ""}` : "the API gave no reason";
      throw dependencyError(`fine-tuning job ${job.id} failed: ${reason}`);
    }
    case "cancelled":
      throw dependencyError(`fine-tuning job ${job.id} was cancelled`);
  }
}

function describePlan(plan: FinetunePlan, model: string): string {
  const files = EXPORT_FILES[METHOD_FORMAT[plan.method]];
  const val = plan.valFile ? ` + ${files.val} (${examples(plan.valExamples)})` : "";
  const chosen = plan.methodSource === "files" ? " (from the files present; --method to choose)" : "";
  const cost = plan.estimatedCost
    ? `est. $${plan.estimatedCost.usd.toFixed(2)} for ${plan.estimatedCost.epochs} epochs${plan.estimatedCost.epochs_source === "auto" ? " (auto)" : ""}`
    : `no price known for ${model}`;
  return `finetune ${model}, method ${plan.method}${chosen}: ${files.train} (${examples(plan.trainExamples)}, ${plan.trainTokens} tokens)${val} | ${cost}`;
}

function examples(n: number): string {
  return `${n} example${n === 1 ? "" : "s"}`;
}

/** Status lines and the job's events on stderr; on a terminal, a live status line between polls. */
function createJobDisplay(logger: Logger) {
  const started = Date.now();
  let live = false;
  const clearLive = () => {
    if (live) logger.stream.write("\r\x1b[2K");
    live = false;
  };
  const status = (job: FineTuningJob) =>
    `job ${job.id}: ${job.status}${job.trained_tokens ? ` | ${job.trained_tokens} trained tokens` : ""}`;
  return {
    update(job: FineTuningJob) {
      clearLive();
      logger.info(status(job));
    },
    event(event: FineTuningJobEvent) {
      clearLive();
      const time = typeof event.created_at === "number" ? `${new Date(event.created_at * 1000).toISOString().slice(11, 19)} ` : "";
      const level = event.level === "info" || !event.level ? "" : `${event.level}: `;
      logger.info(`  ${time}${level}${event.message}`);
    },
    poll(job: FineTuningJob) {
      if (!logger.interactive) return;
      clearLive();
      logger.stream.write(`${status(job)} | waiting ${formatDuration(Date.now() - started)} (Ctrl-C leaves it running)`);
      live = true;
    },
    stop: clearLive,
  };
}
