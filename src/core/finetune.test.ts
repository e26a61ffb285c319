import path from "node:path";
import fs from "fs-extra";
import type { FineTuningJobEvent } from "openai/resources/fine-tuning/jobs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, type FakeOpenAIOptions, type MultipartBody, startFakeOpenAI } from "../../test/helpers/fake-openai.js";
import { makeTempDir } from "../../test/helpers/run-cli.js";
import { passedFiles, writeValidatedRun } from "../../test/helpers/validated-run.js";
import { CliError } from "../errors.js";
import { createOpenAIClient } from "../llm/client.js";
import { exportTrainingData } from "./export.js";
import { type FinetuneDeps, type JobOptions, planFinetune, resumeFinetune, startFinetune } from "./finetune.js";

let outDir: string;
let fake: FakeOpenAI | undefined;

beforeEach(async () => {
  outDir = path.join(await makeTempDir("codeenhancer-finetune-"), "baseline");
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await fs.remove(path.dirname(outDir));
});

const model = "gpt-4o-2024-08-06";

async function exported(count: number, format: "sft" | "dpo" = "sft"): Promise<void> {
  const files = passedFiles(count).map((f) => ({ ...f, firstFindings: true, final: `${f.id} = "fixed"\n` }));
  await writeValidatedRun(outDir, files);
  await exportTrainingData({ outDir, format, valFraction: 0.1, model });
}

async function withFake(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  fake = await startFakeOpenAI(options);
  return fake;
}

function jobOptions(overrides: Partial<JobOptions> = {}): JobOptions {
  return { outDir, model, epochs: undefined, suffix: undefined, seed: undefined, pollIntervalMs: 5, wait: true, allowNew: false, ...overrides };
}

function deps(server: FakeOpenAI, overrides: Partial<FinetuneDeps> = {}): FinetuneDeps & { statuses: string[]; events: FineTuningJobEvent[] } {
  const statuses: string[] = [];
  const events: FineTuningJobEvent[] = [];
  return {
    client: createOpenAIClient({ apiKey: "test", baseURL: server.url, timeoutMs: 5000, maxRetries: 0 }),
    stop: new AbortController().signal,
    onJobUpdate: (job) => statuses.push(job.status),
    onEvent: (event) => events.push(event),
    statuses,
    events,
    ...overrides,
  };
}

async function readJob(): Promise<Record<string, unknown>> {
  return (await fs.readJson(path.join(outDir, "finetune", "job.json"))) as Record<string, unknown>;
}

describe("planFinetune", () => {
  it("refuses fewer than 10 training examples before anything is sent", async () => {
    await exported(9);
    const error = await planFinetune({ outDir, model, method: undefined, epochs: undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(/train.jsonl has 9 example\(s\); OpenAI needs at least 10/);
  });

  it("chooses supervised when train.jsonl exists, dpo when only train_dpo.jsonl does", async () => {
    await exported(12, "dpo");
    expect(await planFinetune({ outDir, model, method: undefined, epochs: undefined })).toMatchObject({
      method: "dpo",
      methodSource: "files",
      trainExamples: 11,
      valExamples: 1,
    });
    await exportTrainingData({ outDir, format: "sft", valFraction: 0.1, model });
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: 3 });
    expect(plan).toMatchObject({ method: "supervised", trainFile: path.join(outDir, "finetune", "train.jsonl") });
    expect(plan.estimatedCost).toMatchObject({ epochs: 3, epochs_source: "given", billed_tokens: plan.trainTokens * 3 });
  });

  it("refuses a training file that fails OpenAI's checks, naming the line", async () => {
    await exported(12);
    const file = path.join(outDir, "finetune", "train.jsonl");
    const lines = (await fs.readFile(file, "utf8")).split("\n");
    lines[2] = JSON.stringify({ messages: [{ role: "user", content: "no answer" }] });
    await fs.writeFile(file, lines.join("\n"));
    const error = await planFinetune({ outDir, model, method: undefined, epochs: undefined }).catch((e: unknown) => e);
    expect((error as CliError).message).toMatch(/refusing to upload train.jsonl: line 3: the last message is not an assistant message/);
  });

  it("refuses an example over the chosen model's training context", async () => {
    await exported(12);
    const file = path.join(outDir, "finetune", "train.jsonl");
    const huge = { messages: [{ role: "user", content: "word ".repeat(17_000) }, { role: "assistant", content: "ok" }] };
    await fs.appendFile(file, `${JSON.stringify(huge)}\n`);
    const error = await planFinetune({ outDir, model: "gpt-3.5-turbo", method: undefined, epochs: undefined }).catch((e: unknown) => e);
    expect((error as CliError).message).toMatch(/line 12: \d+ tokens, over the 16385-token training context of gpt-3.5-turbo/);
  });

  it("says to run export when there is no training file", async () => {
    const error = await planFinetune({ outDir, model, method: "dpo", epochs: undefined }).catch((e: unknown) => e);
    expect((error as CliError).message).toMatch(/no train_dpo.jsonl/);
    expect((error as CliError).hint).toMatch(/codeenhancer export --format dpo/);
  });
});

describe("startFinetune against the fake API", () => {
  it("uploads both files for fine-tune, creates the job and follows it to a fine-tuned model", async () => {
    await exported(12);
    const server = await withFake();
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: 2 });
    const d = deps(server);

    const result = await startFinetune(plan, jobOptions({ epochs: 2, suffix: "safer", seed: 7 }), d);

    expect(result.outcome).toBe("succeeded");
    expect(server.files.map((f) => [f.filename, f.purpose])).toEqual([
      ["train.jsonl", "fine-tune"],
      ["val.jsonl", "fine-tune"],
      ["step_metrics.csv", "fine-tune-results"],
    ]);
    expect(server.files[0]?.content).toBe(await fs.readFile(plan.trainFile, "utf8"));
    const create = server.requests.find((r) => r.method === "POST" && r.path === "/v1/fine_tuning/jobs");
    expect(create?.body).toEqual({
      model,
      training_file: server.files[0]?.id,
      validation_file: server.files[1]?.id,
      method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 2 } } },
      suffix: "safer",
      seed: 7,
    });
    const upload = server.requests.find((r) => r.path === "/v1/files")?.body as MultipartBody;
    expect(upload.fields["purpose"]).toBe("fine-tune");
    const job = await readJob();
    expect(job["fine_tuned_model"]).toMatch(/^ft:gpt-4o-2024-08-06:personal:safer:/);
    expect(job["status"]).toBe("succeeded");
    expect(d.statuses).toEqual(["validating_files", "queued", "running", "succeeded"]);
    // Oldest first, each once, although the API lists them newest first.
    const messages = d.events.map((e) => e.message);
    expect(new Set(messages).size).toBe(messages.length);
    expect(messages[0]).toMatch(/^Created fine-tuning job/);
    expect(messages.at(-1)).toBe("The job has successfully completed");
  });

  it("follows the job to the end when the provider cannot list its events", async () => {
    await exported(12);
    const server = await withFake({ fineTune: { failEvents: 500 } });
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
    const d = deps(server);
    const result = await startFinetune(plan, jobOptions(), d);
    expect(result.outcome).toBe("succeeded");
    expect(d.events).toEqual([]);
    expect((await readJob())["fine_tuned_model"]).toMatch(/^ft:/);
    expect(server.requests.some((r) => r.path.endsWith("/events"))).toBe(true);
  });

  it("creates a dpo job from train_dpo.jsonl", async () => {
    await exported(12, "dpo");
    const server = await withFake();
    const plan = await planFinetune({ outDir, model, method: "dpo", epochs: undefined });
    await startFinetune(plan, jobOptions(), deps(server));
    const create = server.requests.find((r) => r.method === "POST" && r.path === "/v1/fine_tuning/jobs");
    expect(create?.body).toMatchObject({ method: { type: "dpo" } });
    expect(server.files[0]?.filename).toBe("train_dpo.jsonl");
  });

  it("reports a failed job with the API's error", async () => {
    await exported(12);
    const server = await withFake({ fineTune: { fail: { code: "invalid_training_file", message: "Training file has too few examples" } } });
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
    const result = await startFinetune(plan, jobOptions(), deps(server));
    expect(result.outcome).toBe("failed");
    expect(result.job.error?.message).toBe("Training file has too few examples");
    expect((await readJob())["status"]).toBe("failed");
  });

  it("turns a refused create into exit 3 with the API's message", async () => {
    await exported(12);
    const server = await withFake({ fineTune: { refuseCreate: { status: 403, message: "fine-tuning not available" } } });
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
    const error = await startFinetune(plan, jobOptions(), deps(server)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(3);
    expect((error as CliError).message).toMatch(/creating the fine-tuning job failed at .*: API error 403: fine-tuning not available/);
    expect((error as CliError).hint).toMatch(/trl-dpo/);
    expect(await fs.pathExists(path.join(outDir, "finetune", "job.json"))).toBe(false);
  });

  it("returns right after creation without waiting, and refuses a second job while that one runs", async () => {
    await exported(12);
    const server = await withFake();
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
    const result = await startFinetune(plan, jobOptions({ wait: false }), deps(server));
    expect(result.outcome).toBe("pending");
    expect((await readJob())["id"]).toBe(result.job.id);

    const again = await startFinetune(plan, jobOptions(), deps(server)).catch((e: unknown) => e);
    expect((again as CliError).exitCode).toBe(2);
    expect((again as CliError).hint).toContain(`codeenhancer finetune --job ${result.job.id}`);
    expect(server.jobs).toHaveLength(1);
  });

  it("stops waiting at Ctrl-C and leaves the job running, with job.json written", async () => {
    await exported(12);
    const server = await withFake({ fineTune: { stepsToFinish: 50 } });
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
    const stop = new AbortController();
    const d = deps(server, { stop: stop.signal, onPoll: () => stop.abort() });
    const result = await startFinetune(plan, jobOptions(), d);
    expect(result.outcome).toBe("interrupted");
    expect(server.jobs[0]?.status).not.toMatch(/succeeded|failed|cancelled/);
    expect(server.requests.some((r) => r.path.endsWith("/cancel"))).toBe(false);
    expect((await readJob())["id"]).toBe(result.job.id);
  });
});

describe("resumeFinetune", () => {
  it("follows an existing job without uploading anything", async () => {
    await exported(12);
    const server = await withFake();
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
    const { job } = await startFinetune(plan, jobOptions({ wait: false }), deps(server));
    const uploads = server.requests.filter((r) => r.path === "/v1/files").length;

    const result = await resumeFinetune(job.id, jobOptions(), deps(server));

    expect(result.outcome).toBe("succeeded");
    expect(server.requests.filter((r) => r.path === "/v1/files")).toHaveLength(uploads);
    expect(server.requests.filter((r) => r.method === "POST" && r.path === "/v1/fine_tuning/jobs")).toHaveLength(1);
    expect((await readJob())["fine_tuned_model"]).toMatch(/^ft:/);
  });

  it("reports an unknown job id as the API's 404", async () => {
    const server = await withFake();
    const error = await resumeFinetune("ftjob-nope", jobOptions(), deps(server)).catch((e: unknown) => e);
    expect((error as CliError).exitCode).toBe(3);
    expect((error as CliError).message).toMatch(/404: No fine-tuning job found with id ftjob-nope/);
  });
});
