import path from "node:path";
import fs from "fs-extra";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "../../test/helpers/fake-openai.js";
import { makeTempDir } from "../../test/helpers/run-cli.js";
import { passedFiles, writeValidatedRun } from "../../test/helpers/validated-run.js";
import { CliError } from "../errors.js";
import { createOpenAIClient } from "../llm/client.js";
import { exportTrainingData } from "./export.js";
import { type FinetuneDeps, type JobOptions, planFinetune, startFinetune } from "./finetune.js";

// finetune against a corrupt job record and servers that answer with something else than the API.

const model = "gpt-4o-2024-08-06";
let outDir: string;
let fake: FakeOpenAI | undefined;

beforeEach(async () => {
  outDir = path.join(await makeTempDir("codeenhancer-finetune-faults-"), "baseline");
  await writeValidatedRun(outDir, passedFiles(12).map((f) => ({ ...f, firstFindings: true, final: `${f.id} = "fixed"\n` })));
  await exportTrainingData({ outDir, format: "sft", valFraction: 0.1, model });
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const jobOptions = (): JobOptions => ({ outDir, model, epochs: undefined, suffix: undefined, seed: undefined, pollIntervalMs: 5, wait: false, allowNew: false });
const deps = (baseURL: string): FinetuneDeps => ({
  client: createOpenAIClient({ apiKey: "test", baseURL, timeoutMs: 5000, maxRetries: 0 }),
  stop: new AbortController().signal,
});

describe("finetune: a job record that cannot be read", () => {
  it("refuses a corrupt job.json with one line naming it: no upload, no job", async () => {
    fake = await startFakeOpenAI();
    const jobFile = path.join(outDir, "finetune", "job.json");
    await fs.writeFile(jobFile, '{"id": "ftjob-1", "status": "runn');
    const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
    const error = await startFinetune(plan, jobOptions(), deps(fake.url)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain(jobFile);
    expect((error as CliError).hint).toMatch(/--job <id>.*--new/);
    expect(fake.requests).toHaveLength(0);
    expect(await fs.readFile(jobFile, "utf8")).toBe('{"id": "ftjob-1", "status": "runn');
  });
});

describe("finetune: servers that are not the API", () => {
  it.each([
    ["an HTML page", "text/html", "<!doctype html><title>Login</title>"],
    ["invalid JSON", "application/json", "{ nope"],
  ])("stops with one line naming the step and exit 3 when the upload is answered with %s", async (_name, type, body) => {
    const { createServer } = await import("node:http");
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": type });
      res.end(body);
    });
    server.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
      const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
      const error = await startFinetune(plan, jobOptions(), deps(url)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(3);
      expect((error as CliError).message).toMatch(/^uploading train\.jsonl failed.*not the OpenAI API's JSON/);
      expect(await fs.pathExists(path.join(outDir, "finetune", "job.json"))).toBe(false);
    } finally {
      server.close();
    }
  });

  it("turns a dropped connection into one line with exit 3", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((req) => req.socket.destroy());
    server.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
      const plan = await planFinetune({ outDir, model, method: undefined, epochs: undefined });
      const error = await startFinetune(plan, jobOptions(), deps(url)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(3);
      expect((error as CliError).message).toMatch(/failed at http:\/\/127\.0\.0\.1:\d+\/v1: connection failed/);
    } finally {
      server.close();
    }
  });
});
