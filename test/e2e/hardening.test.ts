import path from "node:path";
import { execa, execaSync } from "execa";
import fs from "fs-extra";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.js";
import { cooperativeModel, fenced, scriptFor, taskOf } from "../helpers/model.js";
import { makeTempDir, PROJECT_PYTHON, runCli } from "../helpers/run-cli.js";

// Issue 13: what a hostile folder, an unlucky disk and a new user's first hour used to break.

const KEY = "sk-test-harden-0123456789abcdef";
let server: FakeOpenAI;
let dir: string;

const DOC = (task: string) => `"""\nInput Prompt: ${task}\nIntention: do it.\nFunctionality: a small function.\n"""\n`;
const CLEAN = `${DOC("add numbers")}\n\ndef add(a, b):\n    return a + b\n`;
const env = (extra: Record<string, string | undefined> = {}) => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, CODEENHANCER_PYTHON: PROJECT_PYTHON, ...extra });
const readJson = async <T>(file: string) => JSON.parse(await fs.readFile(path.join(dir, file), "utf8")) as T;

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

describe("a hostile input folder", () => {
  it("reads only regular files: a link to /etc/passwd, a link to /dev/zero and a FIFO are listed once as skipped", async () => {
    const input = path.join(dir, "in");
    await fs.outputFile(path.join(input, "good.py"), CLEAN);
    await fs.symlink("/etc/passwd", path.join(input, "evil.py"));
    await fs.symlink("/dev/zero", path.join(input, "zero.py"));
    await execa("mkfifo", [path.join(input, "pipe.py")]);
    await fs.outputFile(path.join(input, "big.py"), `${DOC("big")}x = 1\n${"# pad\n".repeat(400)}`);

    const result = await runCli(["validate", "--input", "in", "--max-file-size", "1k"], { cwd: dir, env: env(), timeoutMs: 60_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const skippedLines = result.stderr.split("\n").filter((line) => line.includes("skipped"));
    expect(skippedLines).toHaveLength(1);
    expect(skippedLines[0]).toMatch(/evil\.py \(a symbolic link\)/);
    expect(skippedLines[0]).toMatch(/zero\.py \(a symbolic link\)/);
    expect(skippedLines[0]).toMatch(/pipe\.py \(a FIFO\)/);
    expect(skippedLines[0]).toMatch(/big\.py \(\d+ bytes, over the 1024-byte limit/);
    expect(await fs.readdir(path.join(dir, "baseline/validation/Final_code"))).toEqual(["good.py"]);
    const sent = JSON.stringify(server.chatRequests());
    expect(sent).not.toContain("root:");
    expect(sent).toContain("add numbers");
  });

  it("ends with exit 2 and sends nothing when no file can be read", async () => {
    const input = path.join(dir, "in");
    await fs.ensureDir(input);
    await fs.symlink("/etc/passwd", path.join(input, "evil.py"));
    await execa("mkfifo", [path.join(input, "pipe.py")]);
    const result = await runCli(["validate", "--input", "in"], { cwd: dir, env: env(), timeoutMs: 30_000 });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/no regular \.py files to read: .*evil\.py \(a symbolic link\).*pipe\.py \(a FIFO\)/);
    expect(server.requests).toHaveLength(0);
  });

  it("--input naming a file is one line, exit 2", async () => {
    await fs.outputFile(path.join(dir, "one.py"), CLEAN);
    const result = await runCli(["validate", "--input", "one.py"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/--input one\.py is a file, not a folder/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("stale results", () => {
  it("validates a code file again when it changed after its validation, or when a verdict-changing option did", async () => {
    await fs.outputFile(path.join(dir, "baseline/code/a.py"), CLEAN);
    await fs.outputFile(path.join(dir, "baseline/code/b.py"), CLEAN.replace("add numbers", "add more numbers"));
    const first = await runCli(["validate", "--jsonl"], { cwd: dir, env: env() });
    expect(first.exitCode, first.stderr).toBe(0);
    const log = await readJson<{ input_sha256: string; settings_sha256: string }>("baseline/validation/a_validation_results.json");
    expect(log.input_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(log.settings_sha256).toMatch(/^[0-9a-f]{64}$/);

    const edited = CLEAN.replace("return a + b", "return a + b + 0");
    await fs.writeFile(path.join(dir, "baseline/code/a.py"), edited);
    const again = await runCli(["validate", "--jsonl"], { cwd: dir, env: env() });
    const rows = again.stdout.trim().split("\n").map((line) => JSON.parse(line) as { id: string; skipped?: boolean });
    expect(rows.find((r) => r.id === "a")?.skipped).toBeUndefined();
    expect(rows.find((r) => r.id === "b")?.skipped).toBe(true);
    expect(await fs.readFile(path.join(dir, "baseline/validation/Final_code/a.py"), "utf8")).toBe(edited);

    const stricter = await runCli(["validate", "--jsonl", "--bandit-severity", "high"], { cwd: dir, env: env() });
    const redone = stricter.stdout.trim().split("\n").map((line) => JSON.parse(line) as { id: string; skipped?: boolean });
    expect(redone.every((r) => r.skipped === undefined)).toBe(true);
  });

  it("generates an item again when its prompt changed since its code was written", async () => {
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))) }));
    const write = (items: unknown[]) => fs.writeJson(path.join(dir, "dataset.json"), items);
    await write([{ id: "a", prompt: "Write a function that sorts a list." }, { id: "b", prompt: "Write a function that adds." }]);
    expect((await runCli(["generate"], { cwd: dir, env: env() })).exitCode).toBe(0);
    await write([{ id: "a", prompt: "Write a function that reverses a list." }, { id: "b", prompt: "Write a function that adds." }]);
    const again = await runCli(["generate", "--jsonl"], { cwd: dir, env: env() });
    const rows = again.stdout.trim().split("\n").map((line) => JSON.parse(line) as { prompt_id: string; status: string });
    expect(rows.map((r) => `${r.prompt_id} ${r.status}`).sort()).toEqual(["a success", "b skipped"]);
    expect(await fs.readFile(path.join(dir, "baseline/code/a.py"), "utf8")).toContain("reverses a list");
  });
});

describe("the API key", () => {
  it("refuses a key with a newline in one line naming OPENAI_API_KEY, never its value", async () => {
    await fs.writeJson(path.join(dir, "dataset.json"), [{ id: "a", prompt: "Write a function." }]);
    const key = "sk-first-0123456789\nsk-second-0123456789";
    const result = await runCli(["generate"], { cwd: dir, env: env({ OPENAI_API_KEY: key }) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/OPENAI_API_KEY contains a line break/);
    expect(result.stderr).not.toContain("0123456789");
    expect(server.requests).toHaveLength(0);
    expect(await fs.pathExists(path.join(dir, "baseline/results.json"))).toBe(false);
  });
});

describe("two runs on one --out", () => {
  it("the second run names the holder and exits; with --wait-lock it waits and generates nothing twice", async () => {
    const items = Array.from({ length: 8 }, (_, i) => ({ id: `item_${i}`, prompt: `Write function number ${i}.` }));
    await fs.writeJson(path.join(dir, "dataset.json"), items);
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), delayMs: 1000 }));
    const first = runCli(["generate", "--concurrency", "1"], { cwd: dir, env: env() });
    // Wait until the first run holds the lock.
    const lock = path.join(dir, "baseline/.codeenhancer/lock");
    for (let i = 0; i < 200 && !(await fs.pathExists(lock)); i += 1) await new Promise((r) => setTimeout(r, 50));
    const refused = await runCli(["generate"], { cwd: dir, env: env() });
    expect(refused.exitCode, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/--out \.\/baseline is in use by another codeenhancer run \(pid \d+ on .*, generate, started /);
    expect(refused.stderr).toMatch(/--wait-lock/);
    const waiting = await runCli(["generate", "--wait-lock", "--jsonl"], { cwd: dir, env: env() });
    expect((await first).exitCode).toBe(0);
    expect(waiting.exitCode, waiting.stderr).toBe(0);
    expect(waiting.stderr).toMatch(/waiting for the run writing to --out \.\/baseline/);
    const rows = waiting.stdout.trim().split("\n").map((line) => JSON.parse(line) as { status: string });
    expect(rows.every((row) => row.status === "skipped")).toBe(true);
    expect(server.chatCallCount).toBe(items.length);
    expect(await fs.pathExists(lock)).toBe(false);
  });
});

describe("the config trust rule", () => {
  it("refuses python and baseUrl from a config file found in the working folder; --config trusts it; doctor says where settings came from", async () => {
    const marker = path.join(dir, "evil-ran");
    await fs.writeFile(path.join(dir, "evil.sh"), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    await fs.writeJson(path.join(dir, "codeenhancer.config.json"), { python: "./evil.sh", baseUrl: "http://127.0.0.1:9/v1", concurrency: 2 });
    await fs.outputFile(path.join(dir, "baseline/code/a.py"), CLEAN);
    const noEnv = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: undefined, CODEENHANCER_PYTHON: undefined };

    const refused = await runCli(["validate", "--analyze-only"], { cwd: dir, env: noEnv });
    expect(refused.exitCode, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/codeenhancer\.config\.json in the working folder sets (python, baseUrl|baseUrl, python)/);
    expect(refused.stderr).toMatch(/--config codeenhancer\.config\.json/);

    const doctor = await runCli(["doctor", "--base-url", "http://127.0.0.1:9/v1"], { cwd: dir, env: noEnv, timeoutMs: 60_000 });
    expect(doctor.stderr).toMatch(/FAIL {2}settings: codeenhancer\.config\.json in the working folder sets python:/);
    expect(await fs.pathExists(marker)).toBe(false);

    // Overridden by the environment, the file's values are harmless; doctor names each source.
    const overridden = await runCli(["doctor", "--model", "gpt-4o-mini"], { cwd: dir, env: { ...env(), OPENAI_BASE_URL: server.url }, timeoutMs: 60_000 });
    expect(overridden.stderr).toMatch(/ok {4}settings: .*model gpt-4o-mini \(flag\).*base-url http:\/\/127\.0\.0\.1:\d+\/v1 \(OPENAI_BASE_URL\).*python \S+ \(CODEENHANCER_PYTHON\).*timeout 10 \(default\)/);
    expect(await fs.pathExists(marker)).toBe(false);

    // Named with --config, the file is trusted.
    const trusted = await runCli(["validate", "--analyze-only", "--config", "codeenhancer.config.json"], { cwd: dir, env: noEnv, timeoutMs: 60_000 });
    expect(trusted.stderr).not.toMatch(/in the working folder sets/);
    expect(await fs.pathExists(marker)).toBe(true);
  });
});

describe("clear errors instead of crashes", () => {
  it("keeps running when stdout closes (generate --jsonl | head -1) and writes results.json", async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ id: `item_${i}`, prompt: `Write function number ${i}.` }));
    await fs.writeJson(path.join(dir, "dataset.json"), items);
    server.setResponder((request) => ({ content: fenced(scriptFor(taskOf(request))), delayMs: 100 }));
    const { CLI, cleanEnv } = await import("../helpers/run-cli.js");
    const child = execa(process.execPath, [CLI, "generate", "--jsonl", "--concurrency", "1"], {
      cwd: dir,
      env: cleanEnv(dir, env()),
      extendEnv: false,
      reject: false,
      stdin: "ignore",
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|internal error/);
    const rows = await readJson<Array<{ status: string }>>("baseline/results.json");
    expect(rows).toHaveLength(5);
  });

  it("refuses an --out under /proc in well under a second's work, for generate, validate and doctor", async () => {
    await fs.writeJson(path.join(dir, "dataset.json"), [{ id: "a", prompt: "Write a function." }]);
    await fs.outputFile(path.join(dir, "in/a.py"), CLEAN);
    for (const args of [["generate"], ["validate", "--input", "in"], ["doctor"]]) {
      const result = await runCli([...args, "--out", "/proc/codeenhancer-test/new"], { cwd: dir, env: env(), timeoutMs: 30_000 });
      expect(result.timedOut, args[0]).toBe(false);
      expect(result.stderr, args[0]).toMatch(/\/proc is on the kernel's proc pseudo-filesystem/);
      expect(result.exitCode, args[0]).toBe(args[0] === "doctor" ? 3 : 2);
    }
  });

  it("refuses an empty or whitespace-only prompt with the other input errors", async () => {
    await fs.writeJson(path.join(dir, "dataset.json"), [{ id: "a", prompt: "Write a function." }, { id: "b", prompt: " \n\t" }]);
    const result = await runCli(["generate"], { cwd: dir, env: env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/dataset\.json: item 2 \(id "b"\) has an empty prompt/);
    expect(server.requests).toHaveLength(0);
  });

  it("stops at once on a refused connection and leaves no results.json or code/ that would look like a run", async () => {
    await fs.writeJson(path.join(dir, "dataset.json"), [{ id: "a", prompt: "Write a function." }, { id: "b", prompt: "Write another." }]);
    const { createServer } = await import("node:http");
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const result = await runCli(["generate"], { cwd: dir, env: env({ OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` }), timeoutMs: 15_000 });
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`cannot reach the API at http://127\\.0\\.0\\.1:${port}/v1: ECONNREFUSED`));
    expect(await fs.pathExists(path.join(dir, "baseline/results.json"))).toBe(false);
    expect(await fs.pathExists(path.join(dir, "baseline/code"))).toBe(false);
  });
});

describe("a new user's first hour", () => {
  it("doctor accepts a model the server lists when it has no GET /models/{id}", async () => {
    const { createServer } = await import("node:http");
    const listing = createServer((req, res) => {
      if (req.url === "/v1/models") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "list", data: [{ id: "local-coder", object: "model", created: 0, owned_by: "me" }] }));
      } else {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "no such route", type: "not_found" } }));
      }
    });
    await new Promise<void>((resolve) => listing.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(listing.address() as { port: number }).port}/v1`;
      const result = await runCli(["doctor", "--model", "local-coder"], { cwd: dir, env: env({ OPENAI_BASE_URL: url }), timeoutMs: 60_000 });
      expect(result.stderr).toMatch(/ok {4}model: local-coder is available \(listed by GET \/models\)/);
      const missing = await runCli(["doctor", "--model", "other"], { cwd: dir, env: env({ OPENAI_BASE_URL: url }), timeoutMs: 60_000 });
      expect(missing.stderr).toMatch(/FAIL {2}model: model "other" was not found/);
    } finally {
      listing.close();
    }
  });

  const oldNode = ["/usr/bin/node", "/usr/local/bin/node"].find((file) => {
    try {
      return Number(execaSync(file, ["-p", "process.versions.node.split('.')[0]"]).stdout) < 22;
    } catch {
      return false;
    }
  });
  it.skipIf(!oldNode)("says which Node is needed, and how to get it, when started on an older Node", async () => {
    const { ROOT } = await import("../helpers/run-cli.js");
    const result = await execa(oldNode!, [path.join(ROOT, "dist", "bin.js"), "--version"], { reject: false, cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^codeenhancer: needs Node\.js 22 or newer, this is 2\d\.[\d.]+\. Run it as `npx codeenhancer \.\.\.`.*`npm install` provides Node 24/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
