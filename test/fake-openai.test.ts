import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  toFile,
  type ClientOptions,
} from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { promptText, startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions, type MultipartBody } from "./helpers/fake-openai.js";

const MESSAGES = [{ role: "user" as const, content: "Write a function that adds two numbers." }];
const TRAINING_JSONL =
  '{"messages":[{"role":"user","content":"add"},{"role":"assistant","content":"def add(a, b):\\n    return a + b"}]}\n';

function clientFor(server: FakeOpenAI, options: ClientOptions = {}): OpenAI {
  return new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0, timeout: 5_000, ...options });
}

async function withServer<T>(options: FakeOpenAIOptions, run: (server: FakeOpenAI) => Promise<T>): Promise<T> {
  const server = await startFakeOpenAI(options);
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}

async function uploadTrainingFile(client: OpenAI): Promise<string> {
  const file = await client.files.create({
    file: await toFile(Buffer.from(TRAINING_JSONL), "train.jsonl"),
    purpose: "fine-tune",
  });
  return file.id;
}

let server: FakeOpenAI;

beforeAll(async () => {
  server = await startFakeOpenAI();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
});

describe("chat completions", () => {
  it("returns a scripted reply with its content, finish reason and usage, and records the request", async () => {
    server.enqueue({ content: "def add(a, b):\n    return a + b", usage: { prompt_tokens: 11, completion_tokens: 7 } });

    const completion = await clientFor(server).chat.completions.create({
      model: "gpt-4o-mini",
      messages: MESSAGES,
      temperature: 0.2,
    });

    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe("gpt-4o-mini");
    expect(completion.choices[0]?.message).toMatchObject({
      role: "assistant",
      content: "def add(a, b):\n    return a + b",
      refusal: null,
    });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });

    expect(server.chatCallCount).toBe(1);
    expect(server.chatRequests()).toEqual([
      expect.objectContaining({ model: "gpt-4o-mini", messages: MESSAGES, temperature: 0.2 }),
    ]);
    const recorded = server.requests[0];
    expect(recorded?.method).toBe("POST");
    expect(recorded?.path).toBe("/v1/chat/completions");
    expect(recorded?.headers["authorization"]).toBe("Bearer test");
    expect(recorded?.headers["content-type"]).toContain("application/json");
  });

  it("estimates usage from the text lengths when the reply does not give it", async () => {
    server.enqueue({ content: "x".repeat(40) });

    const completion = await clientFor(server).chat.completions.create({ model: "gpt-4o", messages: MESSAGES });

    expect(completion.usage?.completion_tokens).toBe(10);
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it("asks the responder with the request and the call index once the queue is empty", async () => {
    server.setResponder((request, ctx) => ({ content: `${request.model} call ${ctx.callIndex} of ${ctx.requestsSoFar}` }));
    server.enqueue({ content: "from the queue" });
    const client = clientFor(server);

    const replies = [];
    for (let i = 0; i < 3; i += 1) {
      const completion = await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES });
      replies.push(completion.choices[0]?.message.content);
    }

    expect(replies).toEqual(["from the queue", "gpt-4o call 1 of 2", "gpt-4o call 2 of 3"]);
  });

  it("exposes promptText for responders, for a whole request or one message", () => {
    const request = {
      model: "gpt-4o",
      messages: [
        { role: "system" as const, content: "You write Python." },
        { role: "user" as const, content: [{ type: "text" as const, text: "Add two numbers." }] },
      ],
    };

    expect(promptText(request)).toBe("You write Python.\nAdd two numbers.");
    expect(promptText(request.messages[1]!)).toBe("Add two numbers.");
  });

  it("sends 429 with Retry-After, which the SDK retries before succeeding", async () => {
    server.enqueue({ status: 429, retryAfter: 0.05 }, { content: "after the rate limit" });

    const completion = await clientFor(server, { maxRetries: 2 }).chat.completions.create({
      model: "gpt-4o",
      messages: MESSAGES,
    });

    expect(completion.choices[0]?.message.content).toBe("after the rate limit");
    expect(server.chatCallCount).toBe(2);
    expect(server.requests.map((request) => request.headers["x-stainless-retry-count"])).toEqual(["0", "1"]);
  });

  it("answers a fault with an OpenAI error body and the retry headers", async () => {
    server.enqueue({ status: 429, retryAfter: 2, retryAfterMs: 1500 });

    const response = await fetch(`${server.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: MESSAGES }),
    });

    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2");
    expect(response.headers.get("retry-after-ms")).toBe("1500");
    expect(await response.json()).toEqual({
      error: expect.objectContaining({ type: "requests", code: "rate_limit_exceeded", message: expect.any(String) }),
    });
  });

  it("recovers from a 500 through the SDK's retry", async () => {
    server.enqueue({ status: 500, retryAfterMs: 10 }, { content: "recovered" });

    const completion = await clientFor(server, { maxRetries: 1 }).chat.completions.create({
      model: "gpt-4o",
      messages: MESSAGES,
    });

    expect(completion.choices[0]?.message.content).toBe("recovered");
    expect(server.chatCallCount).toBe(2);
  });

  it("gives up with an InternalServerError when the 500s outlast the retries", async () => {
    server.enqueue({ status: 500, retryAfterMs: 1 }, { status: 500, retryAfterMs: 1 }, { content: "too late" });

    await expect(
      clientFor(server, { maxRetries: 1 }).chat.completions.create({ model: "gpt-4o", messages: MESSAGES }),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(server.chatCallCount).toBe(2);
  });

  it("reports a truncated reply as finish_reason length", async () => {
    server.enqueue({ content: "def add(a, b):\n    ret", finishReason: "length" });

    const completion = await clientFor(server).chat.completions.create({ model: "gpt-4o", messages: MESSAGES });

    expect(completion.choices[0]?.finish_reason).toBe("length");
    expect(completion.choices[0]?.message.content).toBe("def add(a, b):\n    ret");
  });

  it("returns null content with a refusal", async () => {
    server.enqueue({ content: null, refusal: "I can't help with that." });

    const completion = await clientFor(server).chat.completions.create({ model: "gpt-4o", messages: MESSAGES });

    expect(completion.choices[0]?.message.content).toBeNull();
    expect(completion.choices[0]?.message.refusal).toBe("I can't help with that.");
  });

  it("hangs until the SDK times out, then frees the in-flight slot", async () => {
    server.enqueue({ hang: true });

    await expect(
      clientFor(server, { timeout: 200 }).chat.completions.create({ model: "gpt-4o", messages: MESSAGES }),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    expect(server.maxInFlight).toBe(1);
  });

  it("destroys the socket, which the SDK reports as a connection error", async () => {
    server.enqueue({ destroy: true });

    const failure = clientFor(server).chat.completions.create({ model: "gpt-4o", messages: MESSAGES });

    await expect(failure).rejects.toBeInstanceOf(APIConnectionError);
    await expect(failure).rejects.not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it("answers a responder's exception with a 500 the SDK does not retry", async () => {
    server.setResponder(() => {
      throw new Error("responder bug");
    });

    const failure = clientFor(server, { maxRetries: 2 }).chat.completions.create({ model: "gpt-4o", messages: MESSAGES });

    await expect(failure).rejects.toThrow(/responder bug/);
    expect(server.chatCallCount).toBe(1);
  });

  it("rejects a request without messages as the API does", async () => {
    await expect(
      clientFor(server).chat.completions.create({ model: "gpt-4o", messages: [] }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it("serves hundreds of concurrent requests at once", async () => {
    const total = 200;
    let release: () => void = () => {};
    const allArrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    // No reply is sent until every request is in flight: a server that serialised them would deadlock.
    server.setResponder(async (_request, ctx) => {
      if (ctx.callIndex === total - 1) release();
      await allArrived;
      return { content: `reply ${ctx.callIndex}` };
    });
    const client = clientFor(server, { timeout: 20_000 });

    const completions = await Promise.all(
      Array.from({ length: total }, () => client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES })),
    );

    expect(new Set(completions.map((completion) => completion.choices[0]?.message.content)).size).toBe(total);
    expect(server.maxInFlight).toBe(total);
    expect(server.inFlight).toBe(0);
  });

  it("adds options.latencyMs before every reply", async () => {
    await withServer({ latencyMs: 150 }, async (slow) => {
      const started = performance.now();
      await clientFor(slow).models.list();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  it("reset() forgets requests, counters and queued replies", async () => {
    server.enqueue({ content: "used" }, { content: "forgotten" });
    await clientFor(server).chat.completions.create({ model: "gpt-4o", messages: MESSAGES });

    server.reset();

    expect(server.requests).toHaveLength(0);
    expect(server.chatCallCount).toBe(0);
    expect(server.maxInFlight).toBe(0);
    const completion = await clientFor(server).chat.completions.create({ model: "gpt-4o", messages: MESSAGES });
    expect(completion.choices[0]?.message.content).not.toBe("forgotten");
  });
});

describe("authentication", () => {
  it("answers 401 invalid_api_key to a wrong key and serves the right one", async () => {
    await withServer({ apiKey: "sk-right" }, async (guarded) => {
      const failure = clientFor(guarded, { apiKey: "sk-wrong" }).chat.completions.create({
        model: "gpt-4o",
        messages: MESSAGES,
      });
      await expect(failure).rejects.toBeInstanceOf(AuthenticationError);
      await expect(failure).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });

      const completion = await clientFor(guarded, { apiKey: "sk-right" }).chat.completions.create({
        model: "gpt-4o",
        messages: MESSAGES,
      });
      expect(completion.choices[0]?.message.content).toEqual(expect.any(String));
    });
  });
});

describe("models", () => {
  it("lists the default models and retrieves one", async () => {
    const client = clientFor(server);

    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    const model = await client.models.retrieve("gpt-4o-mini");

    expect(models).toEqual(["gpt-4o", "gpt-4o-2024-08-06", "gpt-4o-mini"]);
    expect(model).toMatchObject({ id: "gpt-4o-mini", object: "model" });
  });

  it("answers 404 model_not_found for an unknown model", async () => {
    await expect(clientFor(server).models.retrieve("gpt-9")).rejects.toMatchObject({
      constructor: NotFoundError,
      code: "model_not_found",
      type: "invalid_request_error",
    });
  });

  it("rejects chat completions for unlisted models when asked to", async () => {
    await withServer({ models: ["gpt-4o-mini"], rejectUnknownModels: true }, async (strict) => {
      const client = clientFor(strict);

      await expect(client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages: MESSAGES });
      expect(completion.model).toBe("gpt-4o-mini");
    });
  });

  it("answers 404 with OpenAI's error body for an unknown route", async () => {
    const response = await fetch(`${server.url}/assistants`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: "Invalid URL (GET /v1/assistants)", type: "invalid_request_error", param: null, code: null },
    });
  });
});

describe("files", () => {
  it("stores an uploaded file and serves its metadata and content back", async () => {
    const client = clientFor(server);

    const uploaded = await client.files.create({
      file: await toFile(Buffer.from(TRAINING_JSONL), "train.jsonl"),
      purpose: "fine-tune",
    });
    const retrieved = await client.files.retrieve(uploaded.id);
    const content = await (await client.files.content(uploaded.id)).text();

    expect(uploaded).toMatchObject({
      object: "file",
      filename: "train.jsonl",
      purpose: "fine-tune",
      bytes: Buffer.byteLength(TRAINING_JSONL),
    });
    expect(uploaded.id).toMatch(/^file-/);
    expect(retrieved).toEqual(uploaded);
    expect(content).toBe(TRAINING_JSONL);
    expect(server.files).toEqual([expect.objectContaining({ id: uploaded.id, content: TRAINING_JSONL })]);
    const body = server.requests[0]?.body as MultipartBody;
    expect(body.fields).toEqual({ purpose: "fine-tune" });
    expect(body.files[0]).toMatchObject({ field: "file", filename: "train.jsonl", content: TRAINING_JSONL });
  });

  it("answers 404 for an unknown file", async () => {
    await expect(clientFor(server).files.retrieve("file-missing")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("fine-tuning", () => {
  it("moves a job through queued and running to succeeded with an ft: model", async () => {
    const client = clientFor(server);
    const trainingFile = await uploadTrainingFile(client);

    const created = await client.fineTuning.jobs.create({
      model: "gpt-4o-mini",
      training_file: trainingFile,
      suffix: "codeenhancer",
      seed: 7,
      method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 2 } } },
    });
    const statuses = [];
    let job = created;
    while (job.status !== "succeeded" && statuses.length < 10) {
      job = await client.fineTuning.jobs.retrieve(created.id);
      statuses.push(job.status);
    }

    expect(created).toMatchObject({ object: "fine_tuning.job", status: "validating_files", fine_tuned_model: null, seed: 7 });
    expect(created.id).toMatch(/^ftjob-/);
    expect(statuses).toEqual(["queued", "running", "succeeded"]);
    expect(job.fine_tuned_model).toMatch(/^ft:gpt-4o-mini:personal:codeenhancer:[A-Za-z0-9]{8}$/);
    expect(job.trained_tokens).toBeGreaterThan(0);
    expect(job.finished_at).toEqual(expect.any(Number));
    expect(job.hyperparameters.n_epochs).toBe(2);
    expect(job.result_files).toHaveLength(1);
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toContain(job.fine_tuned_model);
  });

  it("lists a job's events newest first across cursor pages", async () => {
    const client = clientFor(server);
    const job = await client.fineTuning.jobs.create({
      model: "gpt-4o-mini",
      training_file: await uploadTrainingFile(client),
    });
    for (let i = 0; i < 3; i += 1) await client.fineTuning.jobs.retrieve(job.id);

    const messages = [];
    for await (const event of client.fineTuning.jobs.listEvents(job.id, { limit: 2 })) {
      expect(event.object).toBe("fine_tuning.job.event");
      messages.push(event.message);
    }

    expect(messages[0]).toBe("The job has successfully completed");
    expect(messages).toContain(`Validating training file: ${job.training_file}`);
    expect(messages.at(-1)).toBe(`Created fine-tuning job: ${job.id}`);
    expect(server.requests.filter((request) => request.path.endsWith("/events")).length).toBeGreaterThan(1);
  });

  it("lists jobs newest first", async () => {
    const client = clientFor(server);
    const trainingFile = await uploadTrainingFile(client);
    const first = await client.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: trainingFile });
    const second = await client.fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: trainingFile });

    const page = await client.fineTuning.jobs.list();

    expect(page.data.map((job) => job.id)).toEqual([second.id, first.id]);
    expect(server.jobs).toHaveLength(2);
  });

  it("also advances jobs with the clock when stepIntervalMs is set", async () => {
    await withServer({ fineTune: { stepIntervalMs: 10 } }, async (timed) => {
      const client = clientFor(timed);
      const job = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: await uploadTrainingFile(client),
      });

      await new Promise((resolve) => setTimeout(resolve, 60));
      const page = await client.fineTuning.jobs.list();

      expect(job.status).toBe("validating_files");
      expect(page.data[0]?.status).toBe("succeeded");
    });
  });

  it("ends a job failed with the configured error", async () => {
    await withServer({ fineTune: { stepsToFinish: 1, fail: { code: "invalid_training_file", message: "bad rows" } } }, async (failing) => {
      const client = clientFor(failing);
      const job = await client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: await uploadTrainingFile(client),
      });

      const finished = await client.fineTuning.jobs.retrieve(job.id);

      expect(finished.status).toBe("failed");
      expect(finished.error).toEqual({ code: "invalid_training_file", message: "bad rows", param: null });
      expect(finished.fine_tuned_model).toBeNull();
      const events = await client.fineTuning.jobs.listEvents(job.id);
      expect(events.data[0]).toMatchObject({ level: "error", message: "bad rows" });
    });
  });

  it("cancels a running job and refuses to cancel it twice", async () => {
    const client = clientFor(server);
    const job = await client.fineTuning.jobs.create({
      model: "gpt-4o-mini",
      training_file: await uploadTrainingFile(client),
    });

    const cancelled = await client.fineTuning.jobs.cancel(job.id);
    const later = await client.fineTuning.jobs.retrieve(job.id);

    expect(cancelled.status).toBe("cancelled");
    expect(later.status).toBe("cancelled");
    expect(later.fine_tuned_model).toBeNull();
    await expect(client.fineTuning.jobs.cancel(job.id)).rejects.toBeInstanceOf(BadRequestError);
  });

  it("rejects a job whose training file was never uploaded", async () => {
    const failure = clientFor(server).fineTuning.jobs.create({ model: "gpt-4o-mini", training_file: "file-missing" });

    await expect(failure).rejects.toBeInstanceOf(BadRequestError);
    await expect(failure).rejects.toThrow(/file-missing/);
    expect(server.jobs).toHaveLength(0);
  });

  it("refuses every create when configured to", async () => {
    await withServer({ fineTune: { refuseCreate: { status: 403, message: "fine-tuning not available" } } }, async (refusing) => {
      const client = clientFor(refusing);
      const failure = client.fineTuning.jobs.create({
        model: "gpt-4o-mini",
        training_file: await uploadTrainingFile(client),
      });

      await expect(failure).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(failure).rejects.toThrow(/fine-tuning not available/);
    });
  });
});

describe("serve-fake-openai.ts", () => {
  const script = fileURLToPath(new URL("./helpers/serve-fake-openai.ts", import.meta.url));
  const children: ChildProcess[] = [];
  let tempDir: string | undefined;

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });

  async function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    const [line] = (await once(child.stdout!, "data")) as [Buffer];
    return { child, url: (JSON.parse(line.toString()) as { url: string }).url };
  }

  async function ask(url: string): Promise<string | null | undefined> {
    const completion = await new OpenAI({ apiKey: "test", baseURL: url, maxRetries: 0 }).chat.completions.create({
      model: "gpt-4o",
      messages: MESSAGES,
    });
    return completion.choices[0]?.message.content;
  }

  it("prints its URL, serves the SDK and exits 0 on SIGTERM", async () => {
    const { child, url } = await serve(["--latency-ms", "0", "--port", "0"]);

    const content = await ask(url);
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(content).toContain("```python");
    expect(code).toBe(0);
  });

  it("answers with the responder module given by --responder", async () => {
    tempDir = await mkdtemp(path.join(tmpdir(), "fake-openai-"));
    const responderPath = path.join(tempDir, "responder.mjs");
    await writeFile(responderPath, 'export default (request) => ({ content: `custom reply to ${request.model}` });\n');

    const { url } = await serve(["--responder", responderPath]);

    expect(await ask(url)).toBe("custom reply to gpt-4o");
  });
});
