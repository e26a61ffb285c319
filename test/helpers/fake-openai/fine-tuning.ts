import type { FineTuningJob, FineTuningJobEvent, JobCreateParams } from "openai/resources/fine-tuning/jobs";
import { estimateTokens } from "./chat.js";
import type { FileStore } from "./files.js";
import { FakeHttpError, nowSeconds, randomId } from "./http.js";
import type { FakeFineTuneOptions, FakeFineTuningJob } from "./types.js";

type Hyperparameters = Record<string, "auto" | number | null | undefined>;

interface JobState {
  job: FakeFineTuningJob;
  /** Newest last; listed newest first, as the API does. */
  events: FineTuningJobEvent[];
  retrievals: number;
  steps: number;
  createdAtMs: number;
}

interface ListPage<T> {
  object: "list";
  data: T[];
  has_more: boolean;
}

const TERMINAL = new Set<FineTuningJob["status"]>(["succeeded", "failed", "cancelled"]);

// What OpenAI reports once "auto" hyperparameters are resolved for a small dataset.
const RESOLVED_AUTO: Record<string, number> = { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 1.8, beta: 0.1 };

export interface FineTuningDeps {
  files: FileStore;
  /** Throws a FakeHttpError when the model cannot be fine-tuned. */
  checkModel: (model: string) => void;
  onModelCreated: (model: string) => void;
}

export class FineTuningStore {
  private readonly states = new Map<string, JobState>();
  private readonly options: FakeFineTuneOptions;
  private readonly deps: FineTuningDeps;

  constructor(options: FakeFineTuneOptions, deps: FineTuningDeps) {
    this.options = options;
    this.deps = deps;
  }

  get jobs(): FakeFineTuningJob[] {
    return [...this.states.values()].map((state) => state.job);
  }

  create(body: unknown): FakeFineTuningJob {
    if (this.options.refuseCreate) {
      throw new FakeHttpError(this.options.refuseCreate.status, this.options.refuseCreate.message);
    }
    const params = this.validate(body);
    const hyperparameters = {
      n_epochs: "auto",
      batch_size: "auto",
      learning_rate_multiplier: "auto",
      ...(params.method?.[params.method.type]?.hyperparameters ?? params.hyperparameters),
    } as Hyperparameters;
    const methodType = params.method?.type ?? "supervised";
    const suffix = params.suffix ?? null;
    const job: FakeFineTuningJob = {
      id: `ftjob-${randomId(24)}`,
      object: "fine_tuning.job",
      model: params.model,
      created_at: nowSeconds(),
      finished_at: null,
      fine_tuned_model: null,
      organization_id: "org-fake",
      result_files: [],
      status: "validating_files",
      validation_file: params.validation_file ?? null,
      training_file: params.training_file,
      hyperparameters,
      trained_tokens: null,
      error: null,
      seed: params.seed ?? Math.floor(Math.random() * 2 ** 31),
      method: { type: methodType, [methodType]: { hyperparameters } },
      suffix,
      user_provided_suffix: suffix,
      estimated_finish: null,
      integrations: null,
      metadata: params.metadata ?? null,
    };
    const state: JobState = { job, events: [], retrievals: 0, steps: 0, createdAtMs: Date.now() };
    this.states.set(job.id, state);
    addEvent(state, "info", `Created fine-tuning job: ${job.id}`);
    addEvent(state, "info", `Validating training file: ${job.training_file}`);
    this.advance(state);
    return job;
  }

  /** Each retrieval moves the job one step on. */
  retrieve(id: string): FakeFineTuningJob {
    const state = this.get(id);
    state.retrievals += 1;
    this.advance(state);
    return state.job;
  }

  list(query: Record<string, string>): ListPage<FakeFineTuningJob> {
    for (const state of this.states.values()) this.advance(state);
    return paginate(this.jobs.reverse(), query);
  }

  events(id: string, query: Record<string, string>): ListPage<FineTuningJobEvent> {
    if (this.options.failEvents) throw new FakeHttpError(this.options.failEvents, "events are not available");
    const state = this.get(id);
    this.advance(state);
    return paginate([...state.events].reverse(), query);
  }

  cancel(id: string): FakeFineTuningJob {
    const state = this.get(id);
    this.advance(state);
    if (TERMINAL.has(state.job.status)) {
      throw new FakeHttpError(400, `Job ${id} has already completed with status ${state.job.status}.`);
    }
    state.job.status = "cancelled";
    state.job.finished_at = nowSeconds();
    addEvent(state, "info", "Fine-tuning job cancelled");
    return state.job;
  }

  clear(): void {
    this.states.clear();
  }

  private validate(body: unknown): JobCreateParams {
    const params = body as Partial<JobCreateParams> | null;
    if (typeof params?.model !== "string" || params.model === "") {
      throw new FakeHttpError(400, "Missing required parameter: 'model'.", { param: "model" });
    }
    this.deps.checkModel(params.model);
    if (typeof params.training_file !== "string") {
      throw new FakeHttpError(400, "Missing required parameter: 'training_file'.", { param: "training_file" });
    }
    for (const param of ["training_file", "validation_file"] as const) {
      const fileId = params[param];
      if (typeof fileId === "string" && !this.deps.files.find(fileId)) {
        throw new FakeHttpError(400, `invalid ${param}: ${fileId}`, { param, code: "invalid_file" });
      }
    }
    return params as JobCreateParams;
  }

  private get(id: string): JobState {
    const state = this.states.get(id);
    if (!state) {
      throw new FakeHttpError(404, `No fine-tuning job found with id ${id}.`, { param: "fine_tuning_job_id" });
    }
    return state;
  }

  /** Catch the job up with its retrievals, or with the clock when `stepIntervalMs` is set. */
  private advance(state: JobState): void {
    const byTime = this.options.stepIntervalMs
      ? Math.floor((Date.now() - state.createdAtMs) / this.options.stepIntervalMs)
      : 0;
    const target = Math.max(state.retrievals, byTime);
    const stepsToFinish = Math.max(0, this.options.stepsToFinish ?? 3);
    if (stepsToFinish === 0 && !TERMINAL.has(state.job.status)) this.finish(state);
    while (state.steps < target && !TERMINAL.has(state.job.status)) {
      state.steps += 1;
      if (state.steps >= stepsToFinish) this.finish(state);
      else if (state.steps === 1) this.queue(state);
      else if (state.job.status !== "running") this.run(state);
    }
  }

  private queue(state: JobState): void {
    state.job.status = "queued";
    addEvent(state, "info", "Files validated, moving job to queued state");
  }

  private run(state: JobState): void {
    state.job.status = "running";
    resolveAuto(state.job);
    addEvent(state, "info", "Fine-tuning job started");
  }

  private finish(state: JobState): void {
    const { job } = state;
    resolveAuto(job);
    job.finished_at = nowSeconds();
    const failure = this.options.fail;
    if (failure) {
      job.status = "failed";
      job.error = { code: failure.code, message: failure.message, param: null };
      addEvent(state, "error", failure.message);
      return;
    }
    const owner = this.options.owner ?? "personal";
    // OpenAI leaves the suffix segment empty when none was given: ft:gpt-4o-mini:personal::abc12345
    job.fine_tuned_model = `ft:${job.model}:${owner}:${job.suffix ?? ""}:${randomId(8)}`;
    const trainingText = this.deps.files.find(job.training_file)?.content ?? "";
    const epochs = typeof job.hyperparameters.n_epochs === "number" ? job.hyperparameters.n_epochs : 1;
    job.trained_tokens = estimateTokens(trainingText) * epochs;
    const results = this.deps.files.add("step_metrics.csv", "fine-tune-results", "step,train_loss\n1,1.25\n2,0.62\n3,0.31\n");
    job.result_files = [results.id];
    job.status = "succeeded";
    this.deps.onModelCreated(job.fine_tuned_model);
    addEvent(state, "info", `New fine-tuned model created: ${job.fine_tuned_model}`);
    addEvent(state, "info", "The job has successfully completed");
  }
}

/** The method's hyperparameters are the same object as the job's, so one pass resolves both. */
function resolveAuto(job: FakeFineTuningJob): void {
  const hyperparameters = job.hyperparameters as Hyperparameters;
  for (const [name, value] of Object.entries(hyperparameters)) {
    const resolved = RESOLVED_AUTO[name];
    if (value === "auto" && resolved !== undefined) hyperparameters[name] = resolved;
  }
}

function addEvent(state: JobState, level: FineTuningJobEvent["level"], message: string): void {
  state.events.push({
    object: "fine_tuning.job.event",
    id: `ftevent-${randomId(24)}`,
    created_at: nowSeconds(),
    level,
    message,
    type: "message",
  });
}

/** Cursor pagination as the SDK's CursorPage expects: `after` is the last id seen, `limit` defaults to 20. */
function paginate<T extends { id: string }>(items: T[], query: Record<string, string>): ListPage<T> {
  const limit = Number(query["limit"] ?? 20);
  const after = query["after"];
  const start = after === undefined ? 0 : items.findIndex((item) => item.id === after) + 1;
  const data = items.slice(start, start + limit);
  return { object: "list", data, has_more: start + limit < items.length };
}
