import path from "node:path";
import fs from "fs-extra";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fencePython } from "../../src/core/export.js";
import { checkChatExample, checkPreferenceExample } from "../../src/core/training-data.js";
import { type FakeOpenAI, type FakeOpenAIOptions, type MultipartBody, startFakeOpenAI } from "../helpers/fake-openai.js";
import { makeTempDir, runCli } from "../helpers/run-cli.js";
import { type RunFile, passedFiles, promptFor, readJsonl, scriptFor, writeValidatedRun } from "../helpers/validated-run.js";

// stage 2 as a user runs it: the built CLI, a finished generate + validate layout on disk, and the
// fake OpenAI API over real HTTP.

let server: FakeOpenAI;
let extra: FakeOpenAI | undefined;
let dir: string;
let out: string;

const env = (url = server.url) => ({ OPENAI_API_KEY: "test", OPENAI_BASE_URL: url });
const fixed = (id: string) => scriptFor(id, "    return sorted({1, 2})");
/** Passed files whose first version had a finding and whose final version differs. */
const improved = (count: number): RunFile[] => passedFiles(count).map((f) => ({ ...f, firstFindings: true, final: fixed(f.id) }));

async function readJob(): Promise<Record<string, unknown>> {
  return (await fs.readJson(path.join(out, "finetune", "job.json"))) as Record<string, unknown>;
}

async function exportSft(): Promise<void> {
  const result = await runCli(["export"], { cwd: dir });
  expect(result.exitCode, result.stderr).toBe(0);
}

async function fakeWith(options: FakeOpenAIOptions): Promise<FakeOpenAI> {
  extra = await startFakeOpenAI(options);
  return extra;
}

beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  dir = await makeTempDir();
  out = path.join(dir, "baseline");
});
afterEach(async () => {
  await extra?.close();
  extra = undefined;
  await fs.remove(dir);
});

describe("codeenhancer export", () => {
  it("writes one chat example per passed file, answered with its final validated code", async () => {
    await writeValidatedRun(out, [...improved(12), { id: "not_good", status: "unresolved" }]);

    const result = await runCli(["export", "--jsonl"], { cwd: dir });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/export sft: 12 examples \(11 train, 1 val\), 1 left out \(1 not_passed\) \| \d+ tokens \| est\. training cost \$/);
    const items = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { id: string; included: boolean; split?: string });
    expect(items).toHaveLength(13);
    expect(items.at(-1)).toMatchObject({ id: "not_good", included: false, reason: "not_passed" });
    const examples = [
      ...(await readJsonl(path.join(out, "finetune", "train.jsonl"))),
      ...(await readJsonl(path.join(out, "finetune", "val.jsonl"))),
    ] as Array<{ messages: Array<{ role: string; content: string }> }>;
    expect(examples).toHaveLength(12);
    for (const example of examples) {
      expect(checkChatExample(example)).toEqual([]);
      expect(example.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
      const id = items.find((item) => example.messages[1]?.content.endsWith(promptFor(item.id)))?.id ?? "?";
      const final = await fs.readFile(path.join(out, "validation", "Final_code", `${id}.py`), "utf8");
      expect(example.messages[2]?.content).toBe(fencePython(final));
    }
    const stats = (await fs.readJson(path.join(out, "finetune", "stats.json"))) as { examples: unknown };
    expect(stats.examples).toEqual({ train: 11, val: 1, total: 12 });
  });

  it("--format dpo writes preference pairs that are never identical", async () => {
    await writeValidatedRun(out, [...improved(3), { id: "clean_first" }, { id: "same", firstFindings: true }]);

    const result = await runCli(["export", "--format", "dpo", "--val-fraction", "0"], { cwd: dir });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: 3 training example\(s\): OpenAI needs at least 10/);
    const rows = (await readJsonl(path.join(out, "finetune", "train_dpo.jsonl"))) as Array<{
      input: { messages: unknown[] };
      preferred_output: Array<{ content: string }>;
      non_preferred_output: Array<{ content: string }>;
    }>;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(checkPreferenceExample(row)).toEqual([]);
      expect(row.input.messages.length).toBeGreaterThan(0);
      expect(row.preferred_output[0]?.content).not.toBe(row.non_preferred_output[0]?.content);
    }
  });

  it("says to run validate first when there are no validation results", async () => {
    const result = await runCli(["export"], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/no validation results at .*validation\/results.json/);
    expect(result.stderr).toMatch(/hint: run `npx codeenhancer validate` first/);
  });

  it("rejects an unknown format as a usage error", async () => {
    const result = await runCli(["export", "--format", "alpaca"], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/invalid --format/);
  });
});

describe("codeenhancer finetune", () => {
  it("uploads the files, creates the job and follows it until the model exists", async () => {
    await writeValidatedRun(out, improved(12));
    await exportSft();

    const result = await runCli(["finetune", "--poll-interval", "0.05", "--suffix", "codeenhancer"], { cwd: dir, env: env() });

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    const uploads = server.requests.filter((r) => r.method === "POST" && r.path === "/v1/files");
    expect(uploads.map((r) => (r.body as MultipartBody).fields["purpose"])).toEqual(["fine-tune", "fine-tune"]);
    expect(uploads.map((r) => (r.body as MultipartBody).files[0]?.filename)).toEqual(["train.jsonl", "val.jsonl"]);
    const create = server.requests.find((r) => r.method === "POST" && r.path === "/v1/fine_tuning/jobs");
    expect(create?.body).toMatchObject({ model: "gpt-4o-2024-08-06", method: { type: "supervised" }, suffix: "codeenhancer" });
    expect(create?.headers["authorization"]).toBe("Bearer test");
    const job = await readJob();
    expect(job["status"]).toBe("succeeded");
    expect(job["fine_tuned_model"]).toMatch(/^ft:gpt-4o-2024-08-06:/);
    expect(result.stderr).toContain(`fine-tuned model: ${String(job["fine_tuned_model"])}`);
    expect(result.stderr).toMatch(/job ftjob-\S+: running/);
    expect(result.stderr).toMatch(/The job has successfully completed/);
  });

  it("trains on the DPO pairs with --method dpo", async () => {
    await writeValidatedRun(out, improved(12));
    await exportSft();
    expect((await runCli(["export", "--format", "dpo"], { cwd: dir })).exitCode).toBe(0);

    const result = await runCli(["finetune", "--method", "dpo", "--poll-interval", "0.05"], { cwd: dir, env: env() });

    expect(result.exitCode, result.stderr).toBe(0);
    const create = server.requests.find((r) => r.method === "POST" && r.path === "/v1/fine_tuning/jobs");
    expect(create?.body).toMatchObject({ method: { type: "dpo" } });
    expect(server.files[0]?.filename).toBe("train_dpo.jsonl");
  });

  it("exits 3 with the API's message when the job fails", async () => {
    const failing = await fakeWith({ fineTune: { fail: { code: "invalid_training_file", message: "The training file is malformed at line 4" } } });
    await writeValidatedRun(out, improved(12));
    await exportSft();

    const result = await runCli(["finetune", "--poll-interval", "0.05"], { cwd: dir, env: env(failing.url) });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/codeenhancer: fine-tuning job ftjob-\S+ failed: The training file is malformed at line 4 \(invalid_training_file\)/);
    expect((await readJob())["status"]).toBe("failed");
  });

  it("exits 3 with the API's message when the job is refused", async () => {
    const refusing = await fakeWith({ fineTune: { refuseCreate: { status: 403, message: "fine-tuning not available" } } });
    await writeValidatedRun(out, improved(12));
    await exportSft();

    const result = await runCli(["finetune"], { cwd: dir, env: env(refusing.url) });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/creating the fine-tuning job failed at .*: API error 403: fine-tuning not available/);
    expect(result.stderr).toMatch(/hint: .*trl-dpo/);
    expect(await fs.pathExists(path.join(out, "finetune", "job.json"))).toBe(false);
  });

  it("--no-wait returns at creation and --job picks the job up again without uploading", async () => {
    await writeValidatedRun(out, improved(12));
    await exportSft();

    const started = await runCli(["finetune", "--no-wait"], { cwd: dir, env: env() });
    expect(started.exitCode, started.stderr).toBe(0);
    const id = String((await readJob())["id"]);
    expect(started.stderr).toContain(`follow it with: npx codeenhancer finetune --job ${id}`);
    const uploads = server.requests.filter((r) => r.path === "/v1/files").length;

    const resumed = await runCli(["finetune", "--job", id, "--poll-interval", "0.05", "--jsonl"], { cwd: dir, env: env() });

    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(server.requests.filter((r) => r.path === "/v1/files")).toHaveLength(uploads);
    expect(server.requests.filter((r) => r.method === "POST" && r.path === "/v1/fine_tuning/jobs")).toHaveLength(1);
    const printed = JSON.parse(resumed.stdout) as Record<string, unknown>;
    expect(printed["id"]).toBe(id);
    expect(printed["fine_tuned_model"]).toMatch(/^ft:/);
    expect((await readJob())["fine_tuned_model"]).toBe(printed["fine_tuned_model"]);
  });

  it("leaves the job running at Ctrl-C, exits 130 and says how to resume", async () => {
    const slow = await fakeWith({ fineTune: { stepsToFinish: 10_000 } });
    await writeValidatedRun(out, improved(12));
    await exportSft();

    const child = runCli(["finetune", "--poll-interval", "0.05"], { cwd: dir, env: env(slow.url) });
    const jobFile = path.join(out, "finetune", "job.json");
    for (let i = 0; i < 200 && !(await fs.pathExists(jobFile)); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill("SIGINT");
    const result = await child;

    expect(result.exitCode).toBe(130);
    const id = String((await readJob())["id"]);
    expect(result.stderr).toContain(`resume following it with: npx codeenhancer finetune --job ${id}`);
    expect(slow.jobs[0]?.status).not.toMatch(/succeeded|failed|cancelled/);
  });

  it("refuses fewer than 10 training examples before any request", async () => {
    await writeValidatedRun(out, improved(9));
    await exportSft();

    const result = await runCli(["finetune"], { cwd: dir, env: env() });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/train.jsonl has 9 example\(s\); OpenAI needs at least 10/);
    expect(server.requests).toHaveLength(0);
  });

  it("needs OPENAI_API_KEY, but not for --dry-run", async () => {
    await writeValidatedRun(out, improved(12));
    await exportSft();

    const noKey = await runCli(["finetune"], { cwd: dir, env: { OPENAI_BASE_URL: server.url } });
    expect(noKey.exitCode).toBe(2);
    expect(noKey.stderr).toMatch(/OPENAI_API_KEY is not set/);

    const dryRun = await runCli(["finetune", "--dry-run", "--epochs", "2"], { cwd: dir, env: { OPENAI_BASE_URL: server.url } });
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    expect(dryRun.stderr).toMatch(/method supervised .*train.jsonl \(11 examples, \d+ tokens\) \+ val.jsonl \(1 example\) \| est\. \$\d+\.\d\d for 2 epochs/);
    expect(server.requests).toHaveLength(0);
  });
});
