import path from "node:path";
import fs from "fs-extra";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI, type FakeReply } from "../helpers/fake-openai.js";
import { cooperativeModel, fenced, scriptFor, taskOf } from "../helpers/model.js";
import { makeTempDir, PROJECT_PYTHON, runCli } from "../helpers/run-cli.js";

let server: FakeOpenAI;
let dir: string;
const env = () => ({ OPENAI_API_KEY: "test", OPENAI_BASE_URL: server.url });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every JSON file under `root` parses: no half-written file. */
async function expectAllJsonReadable(root: string): Promise<number> {
  let count = 0;
  for (const entry of await fs.readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
    const file = path.join(entry.parentPath, entry.name);
    expect(() => JSON.parse(fs.readFileSync(file, "utf8")) as unknown, file).not.toThrow();
    count += 1;
  }
  return count;
}

/** Sends SIGINT once the server has seen `calls` requests; the CLI must exit 130 within 10 s, saying how to resume. */
async function interruptAfter(run: ReturnType<typeof runCli>, calls: number): Promise<void> {
  // Up to a minute: on a loaded machine the analyzers (Semgrep's rule check too) take seconds to start.
  for (let i = 0; i < 3000 && server.chatCallCount < calls; i += 1) await sleep(20);
  const sent = Date.now();
  run.kill("SIGINT");
  const result = await run;
  expect(Date.now() - sent).toBeLessThan(10_000);
  expect(result.exitCode).toBe(130);
  expect(result.stderr).toMatch(/run the same command again to resume/);
}

beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), delayMs: 60 }));
  dir = await makeTempDir();
  const items = Array.from({ length: 40 }, (_, i) => ({ id: `item_${String(i).padStart(2, "0")}`, prompt: `task ${i}` }));
  await fs.writeJson(path.join(dir, "dataset.json"), items);
});

describe("interruptions", () => {
  it("SIGKILL mid-run leaves no corrupt file; the re-run finishes the rest without redoing any item", async () => {
    const run = runCli(["generate", "--concurrency", "4"], { cwd: dir, env: env() });
    // Kill while roughly half the items are done.
    for (let i = 0; i < 200 && server.chatCallCount < 16; i += 1) await sleep(20);
    run.kill("SIGKILL");
    await run;
    const out = path.join(dir, "baseline");
    await expectAllJsonReadable(out);
    const finished = (await fs.readdir(out)).filter((f) => f.endsWith("_dialogue.json")).map((f) => f.replace("_dialogue.json", ""));
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(40);

    server.reset();
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))) }));
    const resumed = await runCli(["generate", "--concurrency", "4"], { cwd: dir, env: env() });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const asked = server.chatRequests().map((r) => `item_${taskOf(r).replace("task ", "").padStart(2, "0")}`);
    expect(asked.filter((id) => finished.includes(id))).toEqual([]);
    expect(asked.length + finished.length).toBe(40);
    const rows = (await fs.readJson(path.join(out, "results.json"))) as Array<{ prompt_id: string; status: string }>;
    expect(rows).toHaveLength(40);
    expect(rows.filter((r) => r.status === "skipped").map((r) => r.prompt_id).sort()).toEqual([...finished].sort());
  });

  it("after SIGINT the summary counts the calls made, those cut short included", async () => {
    // Nothing answers before the grace period ends: both calls are abandoned and no item finishes.
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), delayMs: 30_000 }));
    const run = runCli(["generate", "--concurrency", "2"], { cwd: dir, env: env() });
    await interruptAfter(run, 2);
    const { stderr } = await run;
    expect(stderr).toMatch(/generate: nothing finished \| 2 call\(s\) \(2 cut short\) \| 0 tokens/);
  });

  it("SIGINT stops starting work, writes the summaries and exits 130 within seconds", async () => {
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), delayMs: 400 }));
    await interruptAfter(runCli(["generate", "--concurrency", "2"], { cwd: dir, env: env() }), 3);
    const rows = (await fs.readJson(path.join(dir, "baseline/results.json"))) as Array<{ status: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(40);
    expect(rows.every((r) => r.status === "success")).toBe(true);
    await expectAllJsonReadable(path.join(dir, "baseline"));
    expect(server.chatCallCount).toBeLessThan(10);
  });

  it("SIGINT during validate exits 130 with readable summaries, and the re-run finishes the rest", async () => {
    for (let i = 0; i < 30; i += 1) {
      await fs.outputFile(path.join(dir, `baseline/code/f${String(i).padStart(2, "0")}.py`), scriptFor(`task ${i}`, `def f${i}(x):\n    return x + ${i}\n`));
    }
    const cooperative = cooperativeModel();
    server.setResponder(async (request, ctx) => ({ ...(await cooperative(request, ctx)), delayMs: 300 }) as FakeReply);
    const venv = { ...env(), CODEENHANCER_PYTHON: PROJECT_PYTHON };
    await interruptAfter(runCli(["validate", "--concurrency", "2"], { cwd: dir, env: venv }), 3);
    const rows = (await fs.readJson(path.join(dir, "baseline/validation/results.json"))) as Array<{ id: string; status: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(30);
    await expectAllJsonReadable(path.join(dir, "baseline/validation"));

    server.reset();
    server.setResponder(cooperativeModel());
    const resumed = await runCli(["validate", "--concurrency", "8"], { cwd: dir, env: venv });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const all = (await fs.readJson(path.join(dir, "baseline/validation/results.json"))) as Array<{ id: string; status: string; skipped?: boolean }>;
    expect(all).toHaveLength(30);
    expect(all.filter((r) => r.skipped).map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(all.every((r) => r.status === "passed")).toBe(true);
    // Two validate runs, each starting the analyzers: minutes on a loaded 2-core machine.
  }, 180_000);

  it("a second Ctrl-C exits at once, still leaving no half-written file", async () => {
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), delayMs: 8000 }));
    const run = runCli(["generate", "--concurrency", "2"], { cwd: dir, env: env() });
    for (let i = 0; i < 300 && server.chatCallCount < 2; i += 1) await sleep(20);
    run.kill("SIGINT");
    await sleep(300);
    const sent = Date.now();
    run.kill("SIGINT");
    const result = await run;
    // The first Ctrl-C alone would wait up to its grace period (4 s) for the 8 s replies.
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(/interrupted again, exiting now/);
    await expectAllJsonReadable(path.join(dir, "baseline"));
  });
});
