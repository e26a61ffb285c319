import path from "node:path";
import fs from "fs-extra";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.js";
import { classifyRequest, cooperativeModel, fenced, scriptFor, taskOf } from "../helpers/model.js";
import { makeTempDir, runCli } from "../helpers/run-cli.js";

const KEY = "sk-test-secret-0123456789";
let server: FakeOpenAI;
let dir: string;

const dataset = (items: unknown[]) => JSON.stringify(items, null, 2);
const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
const readJson = async (file: string) => JSON.parse(await fs.readFile(path.join(dir, file), "utf8")) as unknown;

async function listFilesRecursively(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...(await listFilesRecursively(full)));
    else out.push(full);
  }
  return out;
}

beforeAll(async () => {
  server = await startFakeOpenAI({ responder: cooperativeModel() });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  server.setResponder(cooperativeModel());
  dir = await makeTempDir();
});

describe("codeenhancer generate", () => {
  it("writes the original layout, in dataset order, and resumes without any API call", async () => {
    const items = [
      { id: "b_second", prompt: "Write a function that sorts a list.", cwe: "CWE-0" },
      { id: "a_first", prompt: "Write a function that reverses a string." },
      { prompt: "Write a function that adds two numbers." },
    ];
    await fs.writeFile(path.join(dir, "dataset.json"), dataset(items));
    // Replies in a different order from the dataset: the slowest item is the first one.
    server.setResponder((request) => {
      const task = taskOf(request);
      return { content: fenced(scriptFor(task)), delayMs: task.includes("sorts") ? 300 : 0 };
    });

    const first = await runCli(["generate"], { cwd: dir, env: env() });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toBe("");
    expect(first.stderr).toMatch(/3 success/);

    const results = (await readJson("baseline/results.json")) as Array<Record<string, unknown>>;
    expect(results.map((r) => r.prompt_id)).toEqual(["b_second", "a_first", "sample_0002"]);
    expect(results.every((r) => r.status === "success" && r.attempts === 1 && r.model === "gpt-4o")).toBe(true);

    const code = await fs.readFile(path.join(dir, "baseline/code/a_first.py"), "utf8");
    expect(code).toMatch(/^"""\nInput Prompt: Write a function that reverses a string\./);
    expect(code.endsWith("\n") && !code.endsWith("\n\n")).toBe(true);

    const dialogue = (await readJson("baseline/a_first_dialogue.json")) as Array<{ role: string; content: unknown }>;
    expect(dialogue.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(dialogue[2]?.content).toEqual([{ text: expect.stringContaining("```python") as unknown, type: "text" }]);
    // Extra dataset fields stay out of the prompt.
    expect(JSON.stringify(server.chatRequests())).not.toContain("CWE-0");

    const all = (await readJson("baseline/all_dialogues.json")) as Array<{ prompt_id: string; dialogue: unknown[] }>;
    expect(all.map((d) => d.prompt_id)).toEqual(["b_second", "a_first", "sample_0002"]);
    expect(await fs.readFile(path.join(dir, "baseline/missing_docstrings.txt"), "utf8")).toBe("");
    expect(server.chatCallCount).toBe(3);
    expect(server.chatRequests().every((r) => r.model === "gpt-4o" && r.temperature === 0 && r.max_tokens === 4096)).toBe(true);

    // The API key is never written anywhere.
    for (const file of await listFilesRecursively(dir)) {
      expect(await fs.readFile(file, "utf8"), file).not.toContain(KEY);
    }

    server.reset();
    const second = await runCli(["generate"], { cwd: dir, env: env() });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(server.requests.length).toBe(0);
    const rerun = (await readJson("baseline/results.json")) as Array<Record<string, unknown>>;
    expect(rerun.map((r) => [r.prompt_id, r.status, r.previous_status])).toEqual([
      ["b_second", "skipped", "success"],
      ["a_first", "skipped", "success"],
      ["sample_0002", "skipped", "success"],
    ]);

    const forced = await runCli(["generate", "--force", "--limit", "1"], { cwd: dir, env: env() });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(server.chatCallCount).toBe(1);
  });

  it("ends fail_docstring after 1 + --docstring-retries answers and lists it", async () => {
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "nodoc", prompt: "Write a function." }, { id: "ok", prompt: "Add." }]));
    server.setResponder((request) =>
      // Each answer differs from the ones before, so every corrective retry is used.
      taskOf(request).startsWith("Write")
        ? { content: `\`\`\`python\ndef f():\n    return ${request.messages.length}\n\`\`\`` }
        : { content: fenced(scriptFor(taskOf(request))) },
    );
    const result = await runCli(["generate", "--strict"], { cwd: dir, env: env() });
    expect(result.exitCode).toBe(1);
    const results = (await readJson("baseline/results.json")) as Array<Record<string, unknown>>;
    expect(results[0]).toMatchObject({ prompt_id: "nodoc", status: "fail_docstring", attempts: 6 });
    expect(results[1]).toMatchObject({ prompt_id: "ok", status: "success" });
    const nodocCalls = server.chatRequests().filter((r) => taskOf(r).startsWith("Write"));
    expect(nodocCalls).toHaveLength(6);
    // Each retry carries the whole conversation so far, ending with the corrective turn.
    expect(nodocCalls[5]?.messages).toHaveLength(2 + 5 * 2);
    expect(classifyRequest(nodocCalls[5]!)).toBe("docstring-retry");
    expect(await fs.readFile(path.join(dir, "baseline/missing_docstrings.txt"), "utf8")).toBe("nodoc\n");
    // The code is kept (as the original does) and a re-run does not redo it.
    expect(await fs.pathExists(path.join(dir, "baseline/code/nodoc.py"))).toBe(true);
    server.reset();
    await runCli(["generate"], { cwd: dir, env: env() });
    expect(server.chatCallCount).toBe(0);
    expect(await fs.readFile(path.join(dir, "baseline/missing_docstrings.txt"), "utf8")).toBe("nodoc\n");
  });

  it("accepts a docstring given on a retry", async () => {
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "late", prompt: "Late docstring." }]));
    server.enqueue({ content: "```python\nx = 1\n```" });
    const result = await runCli(["generate", "--docstring-retries", "2"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readJson("baseline/results.json")).toMatchObject([{ prompt_id: "late", status: "success", attempts: 2 }]);
  });

  it("records truncated, empty and refused replies as errors, never as code", async () => {
    await fs.writeFile(
      path.join(dir, "dataset.json"),
      dataset([
        { id: "cut", prompt: "cut" },
        { id: "empty", prompt: "empty" },
        { id: "refused", prompt: "refused" },
        { id: "fine", prompt: "fine" },
      ]),
    );
    server.setResponder((request) => {
      const task = taskOf(request);
      if (task === "cut") return { content: '```python\n"""\nInput Prompt: x\nIntention: y\nFunctionality: z\n"""\ndef f(', finishReason: "length" };
      if (task === "empty") return { content: null };
      if (task === "refused") return { content: null, refusal: "I can't help with that." };
      return { content: fenced(scriptFor(task)) };
    });
    const result = await runCli(["generate", "--concurrency", "1"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = (await readJson("baseline/results.json")) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.status)).toEqual(["error", "error", "error", "success"]);
    expect(rows[0]).toMatchObject({ finish_reason: "length", error: expect.stringMatching(/cut off at --max-tokens 4096/) as unknown });
    expect(rows[1]?.error).toMatch(/empty reply/);
    expect(rows[2]?.error).toMatch(/refused: I can't help/);
    for (const id of ["cut", "empty", "refused"]) {
      expect(await fs.pathExists(path.join(dir, `baseline/code/${id}.py`))).toBe(false);
    }
    // Their dialogues are kept, with whatever the model said.
    const cut = (await readJson("baseline/cut_dialogue.json")) as Array<{ role: string; content: Array<{ text: string }> }>;
    expect(cut.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(cut[2]?.content[0]?.text).toMatch(/def f\($/);
    const all = (await readJson("baseline/all_dialogues.json")) as Array<{ prompt_id: string }>;
    expect(all.map((d) => d.prompt_id)).toEqual(["cut", "empty", "refused", "fine"]);
    // Errors are retried on the next run; finished items are not.
    server.reset();
    server.setResponder(cooperativeModel());
    await runCli(["generate"], { cwd: dir, env: env() });
    expect(server.chatCallCount).toBe(3);
  });

  it("rides out 429 with Retry-After and 500s through the SDK's retries", async () => {
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "one", prompt: "one" }]));
    server.enqueue({ status: 429, retryAfterMs: 100 }, { status: 429, retryAfter: 1 }, { status: 500 });
    const started = Date.now();
    const result = await runCli(["generate"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After: 1 was honoured
    expect(server.chatCallCount).toBe(4);
    expect(await readJson("baseline/results.json")).toMatchObject([{ prompt_id: "one", status: "success" }]);
  });

  it("turns no item into an error during a 429 storm while retries remain", async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, prompt: `p${i}` }));
    await fs.writeFile(path.join(dir, "dataset.json"), dataset(items));
    const cooperative = cooperativeModel();
    server.setResponder((request, ctx) => (ctx.callIndex < 40 ? { status: 429, retryAfterMs: 30 } : cooperative(request, ctx)));
    const result = await runCli(["generate", "--concurrency", "8"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = (await readJson("baseline/results.json")) as Array<{ status: string }>;
    expect(rows.map((r) => r.status)).toEqual(Array(20).fill("success"));
    expect(server.chatCallCount).toBe(60);
  });

  it("records an item whose retries run out as its error and goes on", async () => {
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "down", prompt: "down" }, { id: "up", prompt: "up" }]));
    server.setResponder((request) => (taskOf(request) === "down" ? { status: 503 } : { content: fenced(scriptFor("up")) }));
    const result = await runCli(["generate", "--max-retries", "1"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = (await readJson("baseline/results.json")) as Array<Record<string, unknown>>;
    expect(rows[0]).toMatchObject({ prompt_id: "down", status: "error", error: expect.stringMatching(/API error 503/) as unknown });
    expect(rows[1]).toMatchObject({ prompt_id: "up", status: "success" });
  });

  it("records a dropped connection as the item's error, not as an unreachable server", async () => {
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "dropped", prompt: "dropped" }, { id: "fine", prompt: "fine" }]));
    const cooperative = cooperativeModel();
    server.setResponder((request, ctx) => (taskOf(request) === "dropped" ? { destroy: true } : cooperative(request, ctx)));
    const result = await runCli(["generate", "--max-retries", "1"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = (await readJson("baseline/results.json")) as Array<Record<string, unknown>>;
    expect(rows[0]).toMatchObject({ prompt_id: "dropped", status: "error", error: expect.stringMatching(/connection failed/) as unknown });
    expect(rows[1]).toMatchObject({ prompt_id: "fine", status: "success" });
  });

  it("keeps at most --concurrency requests in flight", async () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, prompt: `task ${i}` }));
    await fs.writeFile(path.join(dir, "dataset.json"), dataset(items));
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), delayMs: 50 }));
    const result = await runCli(["generate", "--concurrency", "4"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(server.maxInFlight).toBe(4);
  });

  it("reads JSON Lines from standard input and prints one JSON line per item with --jsonl", async () => {
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `s${i}`, prompt: `p${i}` })).join("\n");
    const result = await runCli(["generate", "--dataset", "-", "--jsonl", "--out", "piped"], { cwd: dir, env: env(), input: lines });
    expect(result.exitCode, result.stderr).toBe(0);
    const out = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as { prompt_id: string; status: string });
    expect(out).toHaveLength(5);
    expect(out.map((r) => r.prompt_id).sort()).toEqual(["s0", "s1", "s2", "s3", "s4"]);
    expect(out.every((r) => r.status === "success")).toBe(true);
  });

  it("uses the given model id, fine-tuned ids included", async () => {
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "m", prompt: "m" }, { id: "n", prompt: "n" }]));
    const model = "ft:gpt-4o-2024-08-06:personal:codeenhancer:abc123";
    const result = await runCli(["generate", "--model", model, "--max-tokens", "1000", "--temperature", "0.2"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(server.chatRequests().map((r) => [r.model, r.max_tokens, r.temperature])).toEqual([
      [model, 1000, 0.2],
      [model, 1000, 0.2],
    ]);
  });
});

describe("codeenhancer generate: faults that stop the run", () => {
  it("stops at once on 401 with one line naming OPENAI_API_KEY (exit 3)", async () => {
    const guarded = await startFakeOpenAI({ apiKey: "the-right-key" });
    try {
      const items = Array.from({ length: 8 }, (_, i) => ({ id: `k${i}`, prompt: `p${i}` }));
      await fs.writeFile(path.join(dir, "dataset.json"), dataset(items));
      const result = await runCli(["generate", "--concurrency", "2"], { cwd: dir, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: guarded.url } });
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(/OPENAI_API_KEY/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr).not.toContain(KEY);
      expect(guarded.chatCallCount).toBeLessThanOrEqual(2);
    } finally {
      await guarded.close();
    }
  });

  it("names the model on a 404", async () => {
    const strict = await startFakeOpenAI({ rejectUnknownModels: true });
    try {
      await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "x", prompt: "x" }]));
      const result = await runCli(["generate", "--model", "no-such-model"], { cwd: dir, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: strict.url } });
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(/model "no-such-model" was not found/);
    } finally {
      await strict.close();
    }
  });

  it("names the base URL when nothing listens there", async () => {
    const closed = await startFakeOpenAI();
    const url = closed.url;
    await closed.close();
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "x", prompt: "x" }]));
    const result = await runCli(["generate", "--max-retries", "0"], { cwd: dir, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: url } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`cannot reach the API at ${url}`);
  });
});

describe("codeenhancer generate: bad input", () => {
  const cases: Array<{ name: string; args?: string[]; file?: string; content?: string; env?: Record<string, string>; message: RegExp }> = [
    { name: "missing dataset", args: ["--dataset", "nope.json"], message: /--dataset file not found: nope\.json/ },
    { name: "invalid JSON", content: '[{"prompt": "a",}]', message: /dataset\.json: invalid JSON: .*position/ },
    { name: "invalid JSON line", content: '{"prompt": "a"}\n{"prompt": \n', message: /dataset\.json: line 2: invalid JSON/ },
    { name: "not a list of objects", content: "[1, 2]", message: /dataset\.json: item 1 is not a JSON object/ },
    { name: "item without prompt", content: '[{"id": "p1", "prompt": "ok"}, {"id": "p2"}]', message: /item 2 \(id "p2"\) has no `prompt`/ },
    { name: "duplicate ids", content: '[{"id": "d", "prompt": "a"}, {"id": "d", "prompt": "b"}]', message: /duplicate id "d"/ },
    { name: "unsafe id", content: '[{"id": "../escaped", "prompt": "a"}]', message: /id "\.\.\/escaped" is not a safe file name/ },
    { name: "empty dataset", content: "[]", message: /the dataset is empty/ },
    {
      name: "malformed tests",
      content: '[{"id": "t1", "prompt": "a"}, {"id": "t2", "prompt": "b", "test_list": "assert f() == 1"}]',
      message: /dataset\.json: item 2 \(id "t2"\): `test_list` must be a list of strings/,
    },
    { name: "concurrency 0", args: ["--concurrency", "0"], message: /invalid --concurrency/ },
    { name: "non-numeric limit", args: ["--limit", "many"], message: /invalid --limit/ },
    { name: "unknown flag", args: ["--concurency", "3"], message: /unknown option '--concurency'/ },
    { name: "missing API key", env: { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }, message: /OPENAI_API_KEY is not set/ },
  ];

  it.each(cases)("$name: one clear line, exit 2, nothing written, no API call", async (c) => {
    await fs.writeFile(path.join(dir, "dataset.json"), c.content ?? dataset([{ id: "fine", prompt: "fine" }]));
    const result = await runCli(["generate", ...(c.args ?? [])], { cwd: dir, env: c.env ?? env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(c.message);
    expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
    expect(result.stdout).toBe("");
    expect(await fs.pathExists(path.join(dir, "baseline"))).toBe(false);
    expect(server.requests.length).toBe(0);
  });

  it("never writes outside --out for an escaping id", async () => {
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "ok", prompt: "a" }, { id: "../escaped", prompt: "b" }]));
    const result = await runCli(["generate", "--out", "out"], { cwd: dir, env: env() });
    expect(result.exitCode).toBe(2);
    expect((await fs.readdir(dir)).sort()).toEqual(["dataset.json"]);
  });

  it("refuses an --out that cannot be written", async () => {
    await fs.writeFile(path.join(dir, "dataset.json"), dataset([{ id: "ok", prompt: "a" }]));
    await fs.writeFile(path.join(dir, "blocker"), "a file, not a folder");
    const result = await runCli(["generate", "--out", "blocker/out"], { cwd: dir, env: env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/cannot write to --out .*blocker\/out/);
  });
});
