import path from "node:path";
import fs from "fs-extra";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.js";
import { cooperativeModel, fenced, scriptFor, taskOf } from "../helpers/model.js";
import { makeTempDir, PROJECT_PYTHON, runCli } from "../helpers/run-cli.js";

// Cost, budget and the response cache, end to end: the built CLI against the fake server, whose
// request log says exactly which calls were made.

let server: FakeOpenAI;
let dir: string;
let cacheHome: string;
const MODEL = "priced-model";
// 1000 prompt tokens at $2/M + 200 completion tokens at $10/M = $0.004 a call.
const USAGE = { prompt_tokens: 1000, completion_tokens: 200 };
const env = (extra: Record<string, string> = {}) => ({ OPENAI_API_KEY: "test", OPENAI_BASE_URL: server.url, XDG_CACHE_HOME: cacheHome, ...extra });

interface Row {
  prompt_id?: string;
  id?: string;
  status: string;
  cost_usd?: number | null;
  cached?: boolean;
  usage?: { prompt_tokens: number; completion_tokens: number };
}
interface LogFile {
  revisions: Array<{ sast_prompt: string | null; functional_prompt: string | null; cached?: boolean; usage?: { prompt_tokens: number } }>;
}
const rowsOf = (file: string): Row[] => fs.readJsonSync(file) as Row[];

beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), usage: USAGE }));
  dir = await makeTempDir();
  cacheHome = await makeTempDir();
  const items = Array.from({ length: 6 }, (_, i) => ({ id: `item_${i}`, prompt: `task number ${i}` }));
  await fs.writeJson(path.join(dir, "dataset.json"), items);
  await fs.writeJson(path.join(dir, "codeenhancer.config.json"), { model: MODEL, prices: { [MODEL]: { input: 2, output: 10 } } });
});

describe("cost", () => {
  it("prices every row at the configured prices and states the run's total", async () => {
    const result = await runCli(["generate", "--out", "a"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = rowsOf(path.join(dir, "a", "results.json"));
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const usage = row.usage ?? { prompt_tokens: 0, completion_tokens: 0 };
      expect(row.cost_usd).toBeCloseTo((usage.prompt_tokens * 2 + usage.completion_tokens * 10) / 1e6, 9);
      expect(row.cost_usd).toBe(0.004);
    }
    expect(result.stderr).toMatch(/\| \$0\.0240 \|/);
    const manifest = fs.readJsonSync(path.join(dir, "a", "manifest.json")) as { generate: Record<string, unknown> };
    expect(manifest.generate).toMatchObject({ cost_usd: 0.024, calls: 6, cached_calls: 0, usage: { prompt_tokens: 6000, completion_tokens: 1200 } });
  });

  it("keeps fractions of a millionth of a dollar: cheap models' rows cost exactly their tokens", async () => {
    // gpt-4o-mini's price: 1234 x $0.15/M + 567 x $0.60/M = $0.0005253 a call, not $0.000525.
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), usage: { prompt_tokens: 1234, completion_tokens: 567 } }));
    await fs.writeJson(path.join(dir, "codeenhancer.config.json"), { model: "cheap", prices: { cheap: { input: 0.15, output: 0.6 } } });
    const result = await runCli(["generate", "--out", "a"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    for (const row of rowsOf(path.join(dir, "a", "results.json"))) expect(row.cost_usd).toBeCloseTo(0.0005253, 12);
    expect(result.stderr).toMatch(/\| \$0\.0032 \|/);
  });

  it("leaves the cost of an unpriced model unknown, said once", async () => {
    const result = await runCli(["generate", "--out", "a", "--model", "nobody-knows"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(rowsOf(path.join(dir, "a", "results.json")).every((row) => row.cost_usd === null)).toBe(true);
    expect((fs.readJsonSync(path.join(dir, "a", "manifest.json")) as { generate: Record<string, unknown> }).generate).toMatchObject({ cost_usd: null, calls: 6 });
    expect(result.stderr.match(/no price known for model nobody-knows/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/cost unknown/);
  });

  it("prices validate's fix and judge calls per file", async () => {
    const generated = await runCli(["generate", "--out", "a"], { cwd: dir, env: env() });
    expect(generated.exitCode, generated.stderr).toBe(0);
    server.reset();
    server.setResponder((request, context) => ({ ...cooperativeModel()(request, context), usage: USAGE }));
    const result = await runCli(["validate", "--out", "a", "--python", PROJECT_PYTHON], { cwd: dir, env: env(), timeoutMs: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = rowsOf(path.join(dir, "a", "validation", "results.json"));
    const calls = server.chatCallCount;
    const total = rows.reduce((sum, row) => sum + (row.cost_usd ?? 0), 0);
    expect(total).toBeCloseTo(calls * 0.004, 9);
    const manifest = fs.readJsonSync(path.join(dir, "a", "manifest.json")) as { validate: { cost_usd: number; calls: number } };
    expect(manifest.validate.calls).toBe(calls);
    expect(manifest.validate.cost_usd).toBeCloseTo(total, 9);
    // The report adds up what generate's and validate's rows recorded: 6 generate calls, then validate's.
    const report = await fs.readFile(path.join(dir, "a", "report", "report.md"), "utf8");
    expect(report).toContain(`| cost (USD) | $${(0.024 + total).toFixed(4)} |`);
    expect(report).toContain(`${calls} model calls`);
  });
});

describe("the response cache", () => {
  it("answers a second identical run into another folder without a call, with the same code; --no-cache calls again", async () => {
    const first = await runCli(["generate", "--out", "a"], { cwd: dir, env: env() });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(server.chatCallCount).toBe(6);

    const second = await runCli(["generate", "--out", "b"], { cwd: dir, env: env() });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(server.chatCallCount).toBe(6);
    for (let i = 0; i < 6; i += 1) {
      const name = `item_${i}.py`;
      expect(await fs.readFile(path.join(dir, "b", "code", name), "utf8")).toBe(await fs.readFile(path.join(dir, "a", "code", name), "utf8"));
    }
    const rows = rowsOf(path.join(dir, "b", "results.json"));
    expect(rows.every((row) => row.cached === true && row.cost_usd === 0 && row.usage?.prompt_tokens === 1000)).toBe(true);
    expect(second.stderr).toMatch(/6 call\(s\), 6 from the cache/);
    expect((fs.readJsonSync(path.join(dir, "b", "manifest.json")) as { generate: Record<string, unknown> }).generate).toMatchObject({ cost_usd: 0, calls: 6, cached_calls: 6 });

    const third = await runCli(["generate", "--out", "c", "--no-cache"], { cwd: dir, env: env() });
    expect(third.exitCode, third.stderr).toBe(0);
    expect(server.chatCallCount).toBe(12);
  });

  it("says in each file's log which revision's reply came from the cache", async () => {
    expect((await runCli(["generate", "--out", "a"], { cwd: dir, env: env() })).exitCode).toBe(0);
    server.reset();
    server.setResponder((request, context) => ({ ...cooperativeModel()(request, context), usage: USAGE }));
    const validate = (out: string) =>
      runCli(["validate", "--out", out, "--input", "a/code", "--python", PROJECT_PYTHON], { cwd: dir, env: env(), timeoutMs: 120_000 });
    const asking = (out: string) =>
      Array.from({ length: 6 }, (_, i) => fs.readJsonSync(path.join(dir, out, "validation", `item_${i}_validation_results.json`)) as LogFile)
        .flatMap((log) => log.revisions)
        .filter((revision) => revision.functional_prompt !== null || revision.sast_prompt !== null);

    const first = await validate("v1");
    expect(first.exitCode, first.stderr).toBe(0);
    const calls = server.chatCallCount;
    expect(calls).toBeGreaterThan(0);
    expect(asking("v1")).toHaveLength(calls);
    expect(asking("v1").every((revision) => revision.cached === false && revision.usage?.prompt_tokens === 1000)).toBe(true);

    const second = await validate("v2");
    expect(second.exitCode, second.stderr).toBe(0);
    expect(server.chatCallCount).toBe(calls);
    expect(asking("v2")).toHaveLength(calls);
    expect(asking("v2").every((revision) => revision.cached === true && revision.usage?.prompt_tokens === 1000)).toBe(true);
    expect(rowsOf(path.join(dir, "v2", "validation", "results.json")).every((row) => row.cached === true && row.cost_usd === 0)).toBe(true);
    expect(second.stderr).toMatch(new RegExp(`${calls} call\\(s\\), ${calls} from the cache`));
  });

  it("does not cache above temperature 0 unless --cache says so", async () => {
    await runCli(["generate", "--out", "a", "--temperature", "0.7"], { cwd: dir, env: env() });
    await runCli(["generate", "--out", "b", "--temperature", "0.7"], { cwd: dir, env: env() });
    expect(server.chatCallCount).toBe(12);
    await runCli(["generate", "--out", "c", "--temperature", "0.7", "--cache"], { cwd: dir, env: env() });
    await runCli(["generate", "--out", "d", "--temperature", "0.7", "--cache"], { cwd: dir, env: env() });
    expect(server.chatCallCount).toBe(18);
  });

  it("says where it is and how big, and empties on clear", async () => {
    await runCli(["generate", "--out", "a"], { cwd: dir, env: env() });
    const info = await runCli(["cache", "info"], { cwd: dir, env: env() });
    expect(info.exitCode, info.stderr).toBe(0);
    expect(info.stdout).toContain(path.join(cacheHome, "codeenhancer"));
    expect(info.stdout).toMatch(/: 6 entries, [\d.]+ MB/);
    const cleared = await runCli(["cache", "clear"], { cwd: dir, env: env() });
    expect(cleared.stderr).toMatch(/removed 6 cached replies/);
    expect((await runCli(["cache", "info"], { cwd: dir, env: env() })).stdout).toMatch(/: 0 entries/);
  });
});

describe("--max-cost", () => {
  it("stops at the budget with exit 4, then a re-run with more budget finishes the rest without redoing any item", async () => {
    const stopped = await runCli(["generate", "--out", "a", "--concurrency", "1", "--max-cost", "0.008", "--no-cache"], { cwd: dir, env: env() });
    expect(stopped.exitCode, stopped.stderr).toBe(4);
    expect(stopped.stderr).toMatch(/stopped at the budget: \$0\.0080 of \$0\.008 spent; 4 items left; run again with a higher --max-cost to continue/);
    expect(server.chatCallCount).toBe(2);
    expect(rowsOf(path.join(dir, "a", "results.json")).map((row) => row.status)).toEqual(["success", "success"]);

    const rest = await runCli(["generate", "--out", "a", "--max-cost", "1", "--no-cache"], { cwd: dir, env: env() });
    expect(rest.exitCode, rest.stderr).toBe(0);
    expect(server.chatCallCount).toBe(6);
    expect(rowsOf(path.join(dir, "a", "results.json")).map((row) => row.status)).toEqual(["skipped", "skipped", "success", "success", "success", "success"]);
  });

  it("stops validate at a third of its cost; the re-run finishes the rest, paying for no call twice", async () => {
    expect((await runCli(["generate", "--out", "a"], { cwd: dir, env: env() })).exitCode).toBe(0);
    server.reset();
    server.setResponder((request, context) => ({ ...cooperativeModel()(request, context), usage: USAGE }));
    const validate = (out: string, ...more: string[]) =>
      runCli(["validate", "--out", out, "--input", "a/code", "--python", PROJECT_PYTHON, ...more], { cwd: dir, env: env(), timeoutMs: 120_000 });
    // The whole run's cost, without touching the cache.
    const full = await validate("full", "--no-cache");
    expect(full.exitCode, full.stderr).toBe(0);
    const calls = server.chatCallCount;
    const cost = calls * 0.004;

    const stopped = await validate("v", "--max-cost", String(cost / 3));
    expect(stopped.exitCode, stopped.stderr).toBe(4);
    expect(stopped.stderr).toMatch(/stopped at the budget: \$[\d.]+ of \$[\d.]+ spent; \d+ items left; run again with a higher --max-cost to continue/);
    const finished = rowsOf(path.join(dir, "v", "validation", "results.json")).map((row) => row.id);
    expect(finished.length).toBeGreaterThan(0);
    expect(finished.length).toBeLessThan(6);

    const rest = await validate("v", "--max-cost", String(cost * 2));
    expect(rest.exitCode, rest.stderr).toBe(0);
    const rows = rowsOf(path.join(dir, "v", "validation", "results.json")) as Array<Row & { skipped?: boolean }>;
    expect(rows).toHaveLength(6);
    expect(rows.filter((row) => row.skipped).map((row) => row.id)).toEqual(finished);
    // A file the budget cut short is done again, its earlier calls answered by the cache.
    expect(server.chatCallCount).toBe(2 * calls);
  });

  it("stops items running at once at the budget too (default concurrency, cache on)", async () => {
    // A third of the run's $0.024: ten items in flight must not all start on it.
    const stopped = await runCli(["generate", "--out", "a", "--max-cost", "0.008"], { cwd: dir, env: env() });
    expect(stopped.exitCode, stopped.stderr).toBe(4);
    expect(stopped.stderr).toMatch(/stopped at the budget: \$0\.0080 of \$0\.008 spent; 4 items left/);
    expect(server.chatCallCount).toBe(2);
    const done = rowsOf(path.join(dir, "a", "results.json"));
    expect(done.map((row) => row.status)).toEqual(["success", "success"]);

    const rest = await runCli(["generate", "--out", "a", "--max-cost", "0.1"], { cwd: dir, env: env() });
    expect(rest.exitCode, rest.stderr).toBe(0);
    expect(server.chatCallCount).toBe(6);
    const rows = rowsOf(path.join(dir, "a", "results.json"));
    expect(rows.filter((row) => row.status === "skipped").map((row) => row.prompt_id)).toEqual(done.map((row) => row.prompt_id));
    expect(rows.filter((row) => row.status === "success")).toHaveLength(4);
  });
});
