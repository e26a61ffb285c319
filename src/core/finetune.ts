import type { PriceTable } from "../llm/prices.js";
import path from "node:path";
import fs from "fs-extra";
import OpenAI, { toFile } from "openai";
import type { FileObject } from "openai/resources/files";
import type { FineTuningJob, FineTuningJobEvent, JobCreateParams } from "openai/resources/fine-tuning/jobs";
import { CliError, ExitCode, dependencyError, usageError } from "../errors.js";
import { classifyApiError, describeApiError, notApiReply } from "../llm/client.js";
import {
  type CostEstimate,
  type FinetuneMethod,
  type FineTuningJobFile,
  fineTuningJobFileSchema,
} from "../stage2-schemas.js";
import { readJsonIfValid, writeJsonAtomic } from "../store/atomic.js";
import { EXPORT_FILES, finetuneLayout } from "../store/layout.js";
import {
  CHECKS,
  METHOD_FORMAT,
  MIN_TRAINING_EXAMPLES,
  type LineProblem,
  countExampleTokens,
  estimateTrainingCost,
  lookupModel,
  loadTokenizer,
  parseJsonl,
  summarizeProblems,
} from "./training-data.js";

export interface PlanOptions {
  outDir: string;
  model: string;
  /** undefined: supervised when train.jsonl exists, else dpo when train_dpo.jsonl does. */
  method: FinetuneMethod | undefined;
  epochs: number | undefined;
  /** The config file's prices, over the built-in table. */
  prices?: PriceTable | undefined;
}

/** What will be uploaded, checked locally the way OpenAI checks it. */
export interface FinetunePlan {
  method: FinetuneMethod;
  methodSource: "given" | "files";
  trainFile: string;
  /** undefined when the validation file is missing or empty. */
  valFile: string | undefined;
  trainExamples: number;
  valExamples: number;
  trainTokens: number;
  contextLimit: number;
  estimatedCost: CostEstimate | null;
}

/**
 * Picks the training files under `<out>/finetune/` and applies OpenAI's checks to them (format,
 * training context, at least 10 examples). Every refusal is a usage error: nothing is sent.
 */
export async function planFinetune(options: PlanOptions): Promise<FinetunePlan> {
  const layout = finetuneLayout(options.outDir);
  const { method, methodSource } = await chooseMethod(options.method, layout);
  const format = METHOD_FORMAT[method];
  const trainFile = layout.train(format);
  const valPath = layout.val(format);
  const tokenizer = await loadTokenizer(options.model);
  const contextLimit = lookupModel(options.model).contextLimit;

  const check = async (file: string) => {
    const { lines, problems } = parseJsonl(await fs.readFile(file, "utf8"));
    let tokens = 0;
    for (const { line, value } of lines) {
      const found = CHECKS[format](value).map((message): LineProblem => ({ line, message }));
      problems.push(...found);
      if (found.length > 0) continue;
      const counted = countExampleTokens(value, format, tokenizer);
      tokens += counted.total;
      if (counted.longest > contextLimit) {
        problems.push({ line, message: `${counted.longest} tokens, over the ${contextLimit}-token training context of ${options.model}` });
      }
    }
    problems.sort((a, b) => a.line - b.line);
    if (problems.length > 0) {
      throw usageError(
        `refusing to upload ${summarizeProblems(path.basename(file), problems)}`,
        "run `npx codeenhancer export` again (with --base-model set to the model you fine-tune)",
      );
    }
    return { examples: lines.length, tokens };
  };

  const train = await check(trainFile);
  if (train.examples < MIN_TRAINING_EXAMPLES) {
    throw usageError(
      `${path.basename(trainFile)} has ${train.examples} example(s); OpenAI needs at least ${MIN_TRAINING_EXAMPLES} to start a fine-tuning job`,
      "generate and validate more prompts, then export again (a lower --val-fraction keeps more for training)",
    );
  }
  const hasVal = (await fs.pathExists(valPath)) && (await fs.readFile(valPath, "utf8")).trim() !== "";
  const val = hasVal ? await check(valPath) : { examples: 0, tokens: 0 };
  return {
    method,
    methodSource,
    trainFile,
    valFile: hasVal ? valPath : undefined,
    trainExamples: train.examples,
    valExamples: val.examples,
    trainTokens: train.tokens,
    contextLimit,
    estimatedCost: estimateTrainingCost(options.model, train.tokens, train.examples, options.epochs, options.prices),
  };
}

async function chooseMethod(
  given: FinetuneMethod | undefined,
  layout: ReturnType<typeof finetuneLayout>,
): Promise<{ method: FinetuneMethod; methodSource: "given" | "files" }> {
  if (given) {
    const format = METHOD_FORMAT[given];
    if (!(await fs.pathExists(layout.train(format)))) {
      const flag = format === "sft" ? "" : ` --format ${format}`;
      throw usageError(`no ${EXPORT_FILES[format].train} in ${layout.root}`, `run \`npx codeenhancer export${flag}\` first (with the same --out)`);
    }
    return { method: given, methodSource: "given" };
  }
  if (await fs.pathExists(layout.train("sft"))) return { method: "supervised", methodSource: "files" };
  if (await fs.pathExists(layout.train("dpo"))) return { method: "dpo", methodSource: "files" };
  throw usageError(`no training file (${EXPORT_FILES.sft.train} or ${EXPORT_FILES.dpo.train}) in ${layout.root}`, "run `npx codeenhancer export` first (with the same --out)");
}

// ---- the job -----------------------------------------------------------------------------------

export interface JobOptions {
  outDir: string;
  model: string;
  epochs: number | undefined;
  suffix: string | undefined;
  seed: number | undefined;
  pollIntervalMs: number;
  /** false: return as soon as the job exists. */
  wait: boolean;
  /** Start a new job even when job.json holds one that has not finished. */
  allowNew: boolean;
  /** The command that picks a job up again, for hints; default names the absolute --out. */
  resumeCommand?: (jobId: string) => string;
}

export interface FinetuneDeps {
  client: OpenAI;
  /** Aborted at the first Ctrl-C: stop waiting, leave the job running. */
  stop: AbortSignal;
  onUpload?: (file: FileObject, localPath: string) => void;
  /** The job as first seen and after every change (job.json has just been written). */
  onJobUpdate?: (job: FineTuningJob) => void;
  onEvent?: (event: FineTuningJobEvent) => void;
  /** After every poll, changed or not. */
  onPoll?: (job: FineTuningJob) => void;
}

/** succeeded/failed/cancelled: the job ended; pending: returned without waiting; interrupted: Ctrl-C while waiting. */
export type FinetuneOutcome = "succeeded" | "failed" | "cancelled" | "pending" | "interrupted";

export interface FinetuneResult {
  job: FineTuningJob;
  outcome: FinetuneOutcome;
}

const TERMINAL = new Set<string>(["succeeded", "failed", "cancelled"]);
// Azure OpenAI processes an upload before a job may use it; OpenAI answers "processed" at once.
const FILE_PENDING = new Set<string>(["pending", "running"]);

/** Uploads the plan's files, creates the job, writes job.json, then follows the job unless told not to wait. */
export async function startFinetune(plan: FinetunePlan, options: JobOptions, deps: FinetuneDeps): Promise<FinetuneResult> {
  const layout = finetuneLayout(options.outDir);
  if (!options.allowNew) await refuseIfJobRunning(layout.job, options);
  const api = apiCaller(deps.client, options.model);

  const trainingFile = await uploadFile(plan.trainFile, options, deps);
  const validationFile = plan.valFile ? await uploadFile(plan.valFile, options, deps) : undefined;
  if (deps.stop.aborted) {
    throw new CliError("interrupted before the fine-tuning job was created; the uploaded files stay in your account", {
      exitCode: ExitCode.interrupted,
    });
  }
  const hyperparameters = options.epochs === undefined ? undefined : { n_epochs: options.epochs };
  const method: JobCreateParams.Method =
    plan.method === "dpo"
      ? { type: "dpo", ...(hyperparameters ? { dpo: { hyperparameters } } : {}) }
      : { type: "supervised", ...(hyperparameters ? { supervised: { hyperparameters } } : {}) };
  const body: JobCreateParams = {
    model: options.model,
    training_file: trainingFile.id,
    ...(validationFile ? { validation_file: validationFile.id } : {}),
    method,
    ...(options.suffix !== undefined ? { suffix: options.suffix } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  // Not cancellable: an aborted create could leave a job we never learn the id of.
  const job = await api("creating the fine-tuning job", () => deps.client.fineTuning.jobs.create(body));
  return followJob(job, options, deps);
}

/** Picks up an existing job by id (after an interruption): no upload. */
export async function resumeFinetune(jobId: string, options: JobOptions, deps: FinetuneDeps): Promise<FinetuneResult> {
  const api = apiCaller(deps.client, options.model);
  const job = await api(`retrieving fine-tuning job ${jobId}`, () => deps.client.fineTuning.jobs.retrieve(jobId));
  return followJob(job, options, deps);
}

async function followJob(first: FineTuningJob, options: JobOptions, deps: FinetuneDeps): Promise<FinetuneResult> {
  const file = finetuneLayout(options.outDir).job;
  const api = apiCaller(deps.client, options.model, resumeHint(first.id, options));
  let job = first;
  let written = await writeJob(file, job);
  deps.onJobUpdate?.(job);
  if (!options.wait) return { job, outcome: TERMINAL.has(job.status) ? (job.status as FinetuneOutcome) : "pending" };

  const seenEvents = new Set<string>();
  for (;;) {
    await reportNewEvents(job, seenEvents, options, deps);
    if (TERMINAL.has(job.status)) return { job, outcome: job.status as FinetuneOutcome };
    if (!(await sleep(options.pollIntervalMs, deps.stop))) return { job, outcome: "interrupted" };
    const id = job.id;
    job = await api(`checking fine-tuning job ${id}`, () => deps.client.fineTuning.jobs.retrieve(id));
    const text = JSON.stringify(job);
    if (text !== written) {
      written = await writeJob(file, job);
      deps.onJobUpdate?.(job);
    }
    deps.onPoll?.(job);
  }
}

/** The events not reported yet, oldest first (the API lists them newest first). */
async function reportNewEvents(job: FineTuningJob, seen: Set<string>, options: JobOptions, deps: FinetuneDeps): Promise<void> {
  if (!deps.onEvent) return;
  let events: FineTuningJobEvent[];
  try {
    const page = await deps.client.fineTuning.jobs.listEvents(job.id, { limit: 100 });
    events = Array.isArray(page.data) ? page.data : [];
  } catch {
    // Events only feed the display: an endpoint without them, or a failed listing, must not stop the
    // job being followed. A real fault (a revoked key, a server gone) fails the next retrieve instead.
    return;
  }
  for (const event of [...events].reverse()) {
    if (typeof event.id !== "string" || seen.has(event.id)) continue;
    seen.add(event.id);
    deps.onEvent(event);
  }
}

function resumeCommand(jobId: string, options: JobOptions): string {
  return options.resumeCommand?.(jobId) ?? `npx codeenhancer finetune --job ${jobId} --out ${options.outDir}`;
}

function resumeHint(jobId: string, options: JobOptions): string {
  return `the job goes on: follow it with \`${resumeCommand(jobId, options)}\``;
}

async function uploadFile(file: string, options: JobOptions, deps: FinetuneDeps): Promise<FileObject> {
  const api = apiCaller(deps.client, options.model);
  const name = path.basename(file);
  const content = await fs.readFile(file);
  let uploaded = await api(`uploading ${name}`, async () =>
    deps.client.files.create({ file: await toFile(content, name, { type: "application/jsonl" }), purpose: "fine-tune" }),
  );
  const started = Date.now();
  while (FILE_PENDING.has(uploaded.status) && Date.now() - started < 10 * 60_000) {
    if (!(await sleep(options.pollIntervalMs, deps.stop))) break;
    const id = uploaded.id;
    uploaded = await api(`checking uploaded file ${id}`, () => deps.client.files.retrieve(id));
  }
  if (uploaded.status === "error") {
    throw dependencyError(`the API could not process ${name} (${uploaded.id}): ${uploaded.status_details ?? "no details"}`);
  }
  deps.onUpload?.(uploaded, file);
  return uploaded;
}

async function refuseIfJobRunning(file: string, options: JobOptions): Promise<void> {
  const previous = await readJsonIfValid(file, fineTuningJobFileSchema);
  // A job.json that cannot be read may hold a running (paid) job: never overwrite it silently.
  if (previous === undefined && (await fs.pathExists(file))) {
    throw usageError(
      `${file} is not a readable job record (corrupt or not a fine-tuning job), so whether a job is running is unknown`,
      "follow the job with --job <id> (see your provider's dashboard), or pass --new to start another job",
    );
  }
  if (previous && !TERMINAL.has(previous.status)) {
    throw usageError(
      `${file} holds fine-tuning job ${previous.id}, last seen ${previous.status}`,
      `follow it with \`${resumeCommand(previous.id, options)}\`, or pass --new to start another job`,
    );
  }
}

/** The job object exactly as the API returned it; returns what was written, to spot changes. */
async function writeJob(file: string, job: FineTuningJob): Promise<string> {
  await writeJsonAtomic(file, fineTuningJobFileSchema, job as unknown as FineTuningJobFile);
  return JSON.stringify(job);
}

type ApiCaller = <T>(step: string, call: () => Promise<T>) => Promise<T>;

/**
 * Every API failure becomes a one-line error with the API's own message and exit 3: a provider
 * that does not offer fine-tuning says so, and we show it rather than hide it.
 */
function apiCaller(client: OpenAI, model: string, afterJob?: string): ApiCaller {
  return async (step, call) => {
    let result: unknown;
    try {
      result = await call();
    } catch (error) {
      throw toApiCliError(error, step, { baseURL: client.baseURL, model }, afterJob);
    }
    // The SDK hands back the text of a body that is not JSON (an HTML page from a wrong URL or a proxy).
    if (typeof result === "string") {
      const wrong = notApiReply(client.baseURL, step);
      throw new CliError(`${step} failed: ${wrong.message}`, { exitCode: ExitCode.dependency, ...(afterJob ? { hint: afterJob } : wrong.hint ? { hint: wrong.hint } : {}) });
    }
    return result as Awaited<ReturnType<typeof call>>;
  };
}

function toApiCliError(error: unknown, step: string, context: { baseURL: string; model: string }, afterJob: string | undefined): unknown {
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return new CliError(`${step} failed at ${context.baseURL}: ${describeApiError(error)}`, {
      exitCode: ExitCode.dependency,
      hint: afterJob ?? refusalHint(error.status, context.model),
    });
  }
  const classified = classifyApiError(error, context);
  if (classified instanceof CliError) {
    const hint = afterJob ?? classified.hint;
    return new CliError(`${step} failed: ${classified.message}`, { exitCode: ExitCode.dependency, ...(hint ? { hint } : {}) });
  }
  // A dropped connection (after the SDK's retries) or any other failure to talk to the API.
  const hint = afterJob ?? "check --base-url / OPENAI_BASE_URL and try again";
  return new CliError(`${step} failed at ${context.baseURL}: ${describeApiError(error)}`, { exitCode: ExitCode.dependency, hint });
}

function refusalHint(status: number, model: string): string {
  if (status === 401) return "check OPENAI_API_KEY (and OPENAI_BASE_URL if you use another provider)";
  if (status === 403 || status === 404) {
    return `this account or endpoint may not offer fine-tuning of ${model}: see the README for Azure OpenAI and for \`npx codeenhancer export --format trl-dpo\` (train an open model yourself)`;
  }
  if (status === 429) return "rate limit or quota reached: check your plan and billing, then run the same command again";
  return "the API's own checks refused the request: see its message above";
}

/** Waits `ms`, or less if `signal` aborts; true when the full time passed. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
