import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runAnalyzerClis } from "./cli-tools.js";
import { findingsByRule } from "./count.js";
import type { Finding } from "./finding.js";
import { createAnalyzerPool, type AnalysisResult, type AnalyzerConfig, type AnalyzerPool, type AnalyzerPoolOptions } from "./pool.js";
import { PYTHON_FLAGS } from "./python.js";
import { normalizeBandit, normalizePylint } from "./python-tools.js";

// Real pylint and bandit from the project's Python (npm run setup), never mocked.
const python = process.env.CODEENHANCER_PYTHON ?? path.resolve(".venv/bin/python");
const fixturesDir = fileURLToPath(new URL("../../test/fixtures/analyzers/", import.meta.url));
const fixture = (name: Fixture): string => path.join(fixturesDir, `${name}.py`);

const config: AnalyzerConfig = {
  pylintEnable: ["E0001", "E0602", "W0611", "C0114", "C0116"],
  banditSeverity: "low",
  banditConfidence: "low",
  banditSkip: [],
};

type Fixture = "syntax_error" | "shell_injection" | "weak_hash" | "clean" | "undefined_name";
const expectedRules: Record<Fixture, Record<string, number>> = {
  syntax_error: { E0001: 1, "bandit-error": 1 },
  shell_injection: { B404: 1, B602: 1 },
  weak_hash: { B324: 1 },
  clean: {},
  undefined_name: { W0611: 1, E0602: 1 },
};
const fixtures = Object.keys(expectedRules) as Fixture[];

// The worker's raw answer as findings (line texts are not needed to count or compare them here).
function normalized(result: AnalysisResult): Finding[] {
  const noText = () => "";
  return [...normalizePylint(result.pylint, noText), ...normalizeBandit({ results: result.bandit, errors: result.banditErrors }, noText)];
}
const rulesOf = (result: AnalysisResult) => findingsByRule(normalized(result));
const keysOf = (result: AnalysisResult) => normalized(result).map((f) => `${f.rule} ${f.message}`);

const temp = mkdtempSync(path.join(os.tmpdir(), "codeenhancer-pool-test-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const pools: AnalyzerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

function openPool(options: Partial<AnalyzerPoolOptions> = {}): AnalyzerPool {
  const pool = createAnalyzerPool({ python, ...config, ...options });
  pools.push(pool);
  return pool;
}

function writeTemp(name: string, content: string | Buffer): string {
  const file = path.join(temp, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

// A file pylint needs many seconds for (10,000 lines: 6-8 s): long enough to be caught mid-analysis.
function bigFile(size = 10_000): string {
  const lines = ['"""Big."""', "import os", ""];
  for (let i = 0; i < size; i += 1) lines.push(`value_${i} = os.path.join("a", str(${i}))`);
  return writeTemp(`big/big_module_${size}.py`, `${lines.join("\n")}\n`);
}

// A file pylint needs about a second for, with one finding of its own (E0602 on its last line).
function mediumFile(name: string): string {
  const lines = ['"""Medium."""', "import os", ""];
  for (let i = 0; i < 1_500; i += 1) lines.push(`value_${i} = os.path.join("a", str(${i}))`);
  lines.push("print(missing_name)");
  return writeTemp(`medium/${name}.py`, `${lines.join("\n")}\n`);
}
const mediumRules = { E0602: 1 };

/** Pylint's message order on one line can follow a set's; everything else must be equal. */
function comparable(result: AnalysisResult): Omit<AnalysisResult, "elapsedMs"> {
  const { elapsedMs: _elapsed, ...rest } = result;
  const sorted = [...rest.pylint].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { ...rest, pylint: sorted };
}

function pinnedVersion(name: string): string | undefined {
  const requirements = readFileSync(fileURLToPath(new URL("../../requirements.txt", import.meta.url)), "utf8");
  return new RegExp(`^${name}==(\\S+)`, "m").exec(requirements)?.[1];
}

// --- processes, seen through /proc (Linux) -----------------------------------------------------

const onLinux = process.platform === "linux";
const cores = os.availableParallelism();

function children(parent: number): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) !== parent || state === "Z") continue;
      found.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ") });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

const workerPids = (): number[] =>
  children(process.pid)
    .filter((p) => p.cmdline.includes("analyzer_worker.py"))
    .map((p) => p.pid);

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] !== "Z";
  } catch {
    return false;
  }
}

// -------------------------------------------------------------------------------------------------

describe("the warm analyzer pool", () => {
  it("reports each fixture's findings, with the pinned pylint and bandit", async () => {
    const pool = openPool({ workers: 2 });
    for (const name of fixtures) {
      const result = await pool.analyze(fixture(name));
      expect(result.error, name).toBeNull();
      expect(rulesOf(result), name).toEqual(expectedRules[name]);
      expect(result.elapsedMs).toBeGreaterThan(0);
    }
    expect(pool.versions?.pylint).toBe(pinnedVersion("pylint"));
    expect(pool.versions?.bandit).toBe(pinnedVersion("bandit"));

    const syntax = await pool.analyze(fixture("syntax_error"));
    expect(syntax.pylint[0]).toMatchObject({ "message-id": "E0001", symbol: "syntax-error", line: 4 });
    // bandit exits 0 on a file it cannot parse; the failure is only in errors[].
    expect(syntax.banditErrors).toEqual([{ filename: fixture("syntax_error"), reason: "syntax error while parsing AST from file" }]);
    const shell = await pool.analyze(fixture("shell_injection"));
    expect(shell.bandit[1]).toMatchObject({ test_id: "B602", issue_severity: "HIGH", line_number: 7, filename: fixture("shell_injection") });
    expect(Object.keys(shell.bandit[1] ?? {}).sort()).toEqual([
      "code",
      "col_offset",
      "end_col_offset",
      "filename",
      "issue_confidence",
      "issue_cwe",
      "issue_severity",
      "issue_text",
      "line_number",
      "line_range",
      "more_info",
      "test_id",
      "test_name",
    ]);
  });

  it("starts its workers on warm(), before any file", async () => {
    const pool = openPool({ workers: 2 });
    expect(pool.versions).toBeUndefined();
    pool.warm();
    for (let i = 0; i < 300 && pool.versions === undefined; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pool.versions?.pylint).toBe(pinnedVersion("pylint"));
    expect(rulesOf(await pool.analyze(fixture("weak_hash")))).toEqual(expectedRules.weak_hash);
  });

  it("gives exactly what the command-line pylint and bandit give", async () => {
    const strict: AnalyzerConfig = { ...config, banditSeverity: "medium", banditConfidence: "high", banditSkip: ["B101"] };
    for (const settings of [config, strict]) {
      const pool = openPool({ ...settings, workers: 1 });
      for (const name of fixtures) {
        const [warm, cli] = await Promise.all([pool.analyze(fixture(name)), runAnalyzerClis(python, fixture(name), settings)]);
        expect(comparable(warm), name).toEqual(comparable(cli));
      }
    }
    // Twenty new pylint and bandit processes: well over a minute on a loaded 2-core machine.
  }, 240_000);

  it("with syntax-error alone, answers as the command-line pylint, with or without its shortcut", async () => {
    // With E0001 its only message, the worker skips pylint for a file that Python's parser and
    // tokenizer accept as astroid and pylint would (nothing_for_pylint); anything unusual goes
    // to pylint itself. Each case: the source, and whether the shortcut may answer it.
    const cases: Record<string, [string | Buffer, boolean]> = {
      clean: ['"""Doc."""\n\n\ndef add(a, b):\n    """Sum."""\n    return a + b\n', true],
      crlf: ['"""Doc."""\r\nx = 1\r\n', true],
      latin1: [Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n"""Caf'), Buffer.from([0xe9]), Buffer.from('."""\n')]), true],
      syntax: ['"""Doc."""\ndef broken(:\n    pass\n', false],
      tabs: ["if True:\n\tx = 1\n        y = 2\n", false],
      unknownEncoding: ['# -*- coding: no-such-codec -*-\n"""Doc."""\n', false],
      // A pragma in the file may change what pylint reports: pylint decides.
      pragma: ['"""Doc."""\n# pylint: enable=unused-import\nimport os\n', false],
      // astroid parses again without type comments when one is misplaced: pylint reports nothing.
      typeComment: ['"""Doc."""\ndef f():\n    x = 1\n    # type: int\n    return x\n', false],
      deep: [`x = ${"[".repeat(150)}1${"]".repeat(150)}\n`, false],
    };
    const files = Object.fromEntries(Object.entries(cases).map(([name, [source]]) => [name, writeTemp(`syntax-only/${name}.py`, source)]));
    const probe = await execa(python, [
      ...PYTHON_FLAGS,
      "-c",
      "import json, sys; sys.path.insert(0, sys.argv[1]); import analyzer_worker as w; print(json.dumps([w.nothing_for_pylint(f) for f in sys.argv[2:]]))",
      fileURLToPath(new URL("../../python/", import.meta.url)),
      ...Object.values(files),
    ]);
    expect(JSON.parse(probe.stdout)).toEqual(Object.values(cases).map(([, shortcut]) => shortcut));

    const settings: AnalyzerConfig = { ...config, pylintEnable: ["E0001"] };
    const pool = openPool({ ...settings, workers: 1 });
    for (const [name, file] of Object.entries(files)) {
      const [warm, cli] = await Promise.all([pool.analyze(file), runAnalyzerClis(python, file, settings)]);
      expect(comparable(warm), name).toEqual(comparable(cli));
    }
    expect(rulesOf(await pool.analyze(files.syntax as string))).toMatchObject({ E0001: 1 });
  }, 240_000);

  it("applies bandit's severity and confidence thresholds and skips", async () => {
    const password = writeTemp("thresholds/password.py", '"""Secret."""\nPASSWORD = "hunter2"\n');
    const everything = openPool({ workers: 1 });
    expect(rulesOf(await everything.analyze(password))).toEqual({ B105: 1 });
    const highSeverity = openPool({ banditSeverity: "high", workers: 1 });
    expect(rulesOf(await highSeverity.analyze(fixture("shell_injection")))).toEqual({ B602: 1 });
    // B105 is LOW severity, MEDIUM confidence.
    expect(rulesOf(await highSeverity.analyze(password))).toEqual({});
    const highConfidence = openPool({ banditConfidence: "high", workers: 1 });
    expect(rulesOf(await highConfidence.analyze(password))).toEqual({});
    expect(rulesOf(await highConfidence.analyze(fixture("shell_injection")))).toEqual({ B404: 1, B602: 1 });
    const skipping = openPool({ banditSkip: ["B602", "B324"], workers: 1 });
    expect(rulesOf(await skipping.analyze(fixture("shell_injection")))).toEqual({ B404: 1 });
    expect(rulesOf(await skipping.analyze(fixture("weak_hash")))).toEqual({});
  });

  it("reads no pylintrc, .pylintrc, setup.cfg, pyproject.toml or .bandit, beside the file or in the cwd", async () => {
    const marker = path.join(temp, "configs", "init-hook-ran");
    const hook = `open(${JSON.stringify(marker)}, "w").close()`;
    const configFiles = {
      pylintrc: `[MAIN]\ninit-hook=${hook}\n\n[MESSAGES CONTROL]\ndisable=all\n`,
      ".pylintrc": `[MAIN]\ninit-hook=${hook}\n\n[MESSAGES CONTROL]\ndisable=all\n`,
      "setup.cfg": `[pylint.MAIN]\ninit-hook=${hook}\n\n[pylint.MESSAGES CONTROL]\ndisable=all\n`,
      "pyproject.toml": `[tool.pylint.main]\ninit-hook = '${hook}'\n\n[tool.pylint."messages control"]\ndisable = ["all"]\n\n[tool.bandit]\nskips = ["B602", "B404"]\n`,
      ".bandit": "[bandit]\nskips = B602,B404\n",
    };
    const project = path.join(temp, "configs", "project");
    const cwd = path.join(temp, "configs", "cwd");
    for (const folder of [project, cwd]) {
      for (const [name, content] of Object.entries(configFiles)) writeTemp(path.relative(temp, path.join(folder, name)), content);
    }
    const source = `"""Target."""\nimport os\nimport subprocess\n\n\ndef run(command):\n    """Run it."""\n    return subprocess.check_output(command + offset, shell=True)\n`;
    const target = writeTemp("configs/project/target.py", source);
    const plain = writeTemp("configs/plain/target.py", source);

    // The same files do take effect when pylint and bandit look for them.
    const control = await execa(python, ["-I", "-m", "pylint", "target.py"], { cwd: project, reject: false });
    expect(control.stdout).not.toContain("E0602");
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    const banditControl = await execa(python, ["-I", "-m", "bandit", "-f", "json", "-q", "-r", "."], { cwd: project, reject: false });
    expect(banditControl.stdout).not.toContain("B602");

    const expected = { W0611: 1, E0602: 1, B404: 1, B602: 1 };
    const reference = await openPool({ workers: 1 }).analyze(plain);
    expect(rulesOf(reference)).toEqual(expected);

    // The analyzers run in os.tmpdir(): make that the folder full of configuration.
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = cwd;
    try {
      expect(os.tmpdir()).toBe(cwd);
      const warm = await openPool({ workers: 1 }).analyze(target);
      const cli = await runAnalyzerClis(python, target, config);
      for (const result of [warm, cli]) {
        expect(result.error).toBeNull();
        expect(rulesOf(result)).toEqual(expected);
        expect(keysOf(result).sort()).toEqual(keysOf(reference).sort());
      }
    } finally {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
    }
    expect(existsSync(marker)).toBe(false);
  });

  it("survives NUL bytes, invalid UTF-8 and very deep nesting, and goes on to the next file", async () => {
    const pool = openPool({ workers: 1 });
    const files = {
      nul: writeTemp("hostile/nul_byte.py", Buffer.from('"""NUL."""\nx = 1\0\n')),
      utf8: writeTemp("hostile/bad_utf8.py", Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xff, 0xfe, 0x22, 0x0a])),
      deep: writeTemp("hostile/deep_sum.py", `x = ${Array.from({ length: 100_000 }, () => "1").join(" + ")}\n`),
      parens: writeTemp("hostile/deep_parens.py", `x = ${"(".repeat(500)}1${")".repeat(500)}\n`),
    };
    for (const [name, file] of Object.entries(files)) {
      const result = await pool.analyze(file);
      expect(result.error !== null || result.banditErrors.length > 0, name).toBe(true);
      expect(result.banditErrors.length, name).toBe(1);
      expect(result.pylint.map((m) => m["message-id"]), name).toEqual([name === "deep" ? "F0002" : "E0001"]);
      const next = await pool.analyze(fixture("shell_injection"));
      expect(next.error).toBeNull();
      expect(rulesOf(next)).toEqual(expectedRules.shell_injection);
    }
    const missing = await pool.analyze(path.join(temp, "hostile", "does_not_exist.py"));
    expect(missing.banditErrors[0]?.reason).toBe("No such file or directory");
  });

  it("records a timeout, ends only that file's analysis and goes on", async () => {
    const pool = openPool({ workers: 1, timeoutMs: 1000 });
    const slow = await pool.analyze(bigFile());
    expect(slow.error).toBe("pylint/bandit timed out after 1s");
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(1000);
    const [worker] = workerPids();
    // Killed at once (the whole analysis would take several seconds more).
    if (onLinux) await waitFor(() => (children(worker!).length === 0 ? true : undefined), "the timed-out analysis to end", 3_000);
    const next = await pool.analyze(fixture("weak_hash"));
    expect(next.error).toBeNull();
    expect(rulesOf(next)).toEqual(expectedRules.weak_hash);
    if (onLinux) expect(workerPids()).toEqual([worker]);
  });

  it.skipIf(!onLinux)("turns a crash mid-file into that file's error and goes on", async () => {
    const pool = openPool({ workers: 1 });
    await pool.analyze(fixture("clean"));
    const [worker] = workerPids();
    expect(worker).toBeDefined();
    const big = bigFile();

    // The forked process that analyzes one file dies: the worker answers for it.
    const first = pool.analyze(big);
    const analysis = await waitFor(() => children(worker!)[0]?.pid, "the analysis process");
    process.kill(analysis, "SIGKILL");
    expect((await first).error).toBe("analysis crashed (signal 9)");
    expect(workerPids()).toEqual([worker]);

    // The worker itself dies.
    const second = pool.analyze(big);
    const orphan = await waitFor(() => children(worker!)[0]?.pid, "the analysis process");
    process.kill(worker!, "SIGKILL");
    expect((await second).error).toMatch(/^analyzer worker crashed \(signal SIGKILL\)/);
    await waitFor(() => (isRunning(orphan) ? undefined : true), "the orphaned analysis to end");

    const next = await pool.analyze(fixture("undefined_name"));
    expect(next.error).toBeNull();
    expect(rulesOf(next)).toEqual(expectedRules.undefined_name);
    expect(workerPids()).not.toContain(worker);
  });

  it("recycles workers and still gives the right findings", async () => {
    const pool = openPool({ workers: 1, recycleAfter: 2 });
    const seen = new Set<number>();
    for (const name of fixtures) {
      const result = await pool.analyze(fixture(name));
      expect(result.error, name).toBeNull();
      expect(rulesOf(result), name).toEqual(expectedRules[name]);
      if (onLinux) for (const pid of workerPids()) seen.add(pid);
    }
    if (onLinux) expect(seen.size).toBeGreaterThanOrEqual(3);

    // Recycled with files in flight: the worker answers them before it goes.
    const busy = openPool({ workers: 2, recycleAfter: 4 });
    const names = [...fixtures, ...fixtures];
    const results = await Promise.all(names.map((name) => busy.analyze(fixture(name))));
    results.forEach((result, i) => {
      const name = names[i] as Fixture;
      expect(result.error, name).toBeNull();
      expect(rulesOf(result), name).toEqual(expectedRules[name]);
    });
  });

  it("answers files queued beyond the pool size, each with its own findings", async () => {
    const pool = openPool({ workers: 2 });
    const names = [...fixtures, ...fixtures, ...fixtures];
    const results = await Promise.all(names.map((name) => pool.analyze(fixture(name))));
    results.forEach((result, i) => {
      const name = names[i] as Fixture;
      expect(rulesOf(result), name).toEqual(expectedRules[name]);
    });
    if (onLinux) expect(workerPids().length).toBeLessThanOrEqual(2);
  });

  it("does not carry one file's code into the next (same path, new content)", async () => {
    const pool = openPool({ workers: 1 });
    const file = writeTemp("rewritten/module.py", readFileSync(fixture("shell_injection")));
    expect(rulesOf(await pool.analyze(file))).toEqual(expectedRules.shell_injection);
    writeFileSync(file, readFileSync(fixture("undefined_name")));
    const second = await pool.analyze(file);
    expect(rulesOf(second)).toEqual(expectedRules.undefined_name);
    writeFileSync(file, readFileSync(fixture("weak_hash")));
    const third = await pool.analyze(file);
    expect(rulesOf(third)).toEqual(expectedRules.weak_hash);
    expect(third.bandit[0]?.code).toContain("hashlib.md5");
  });

  it.skipIf(!onLinux)("ends its workers on close and refuses work afterwards", async () => {
    const pool = openPool({ workers: 2 });
    await Promise.all([pool.analyze(fixture("clean")), pool.analyze(fixture("weak_hash"))]);
    expect(workerPids().length).toBeGreaterThan(0);
    await pool.close();
    expect(workerPids()).toEqual([]);
    await expect(pool.analyze(fixture("clean"))).rejects.toThrow(/closed/);
  });

  // --- several files at once in one worker process ------------------------------------------------

  it.skipIf(!onLinux)("starts one worker process by default, which analyzes a file per core at once", async () => {
    const pool = openPool();
    const files = Array.from({ length: cores }, (_, i) => mediumFile(`default_${i}`));
    const answers = Promise.all(files.map((file) => pool.analyze(file)));
    let done = false;
    void answers.finally(() => (done = true));
    const processes = new Set<number>();
    let mostAtOnce = 0;
    while (!done) {
      for (const pid of workerPids()) {
        processes.add(pid);
        mostAtOnce = Math.max(mostAtOnce, children(pid).length);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const result of await answers) {
      expect(result.error).toBeNull();
      expect(rulesOf(result)).toEqual(mediumRules);
    }
    expect(processes.size).toBe(1);
    expect(mostAtOnce).toBe(cores);
  });

  it.skipIf(!onLinux || cores < 2)("lets a file run past its timeout without holding up or breaking the others", async () => {
    const pool = openPool({ workers: 2, timeoutMs: 4000 });
    await pool.analyze(fixture("clean"));
    const [worker] = workerPids();
    const order: string[] = [];
    const track = (name: string, answer: Promise<AnalysisResult>) => answer.then((result) => (order.push(name), result));
    const slow = track("big", pool.analyze(bigFile(20_000)));
    const others = await Promise.all(fixtures.map((name) => track(name, pool.analyze(fixture(name)))));
    expect(order).toEqual(fixtures);
    others.forEach((result, i) => {
      const name = fixtures[i] as Fixture;
      expect(result.error, name).toBeNull();
      expect(rulesOf(result), name).toEqual(expectedRules[name]);
    });
    expect(children(worker!)).toHaveLength(1);
    expect((await slow).error).toBe("pylint/bandit timed out after 4s");
    await waitFor(() => (children(worker!).length === 0 ? true : undefined), "the timed-out analysis to end", 1_500);
    expect(workerPids()).toEqual([worker]);
    const next = await pool.analyze(fixture("weak_hash"));
    expect(rulesOf(next)).toEqual(expectedRules.weak_hash);
  });

  it.skipIf(cores < 2)("matches answers that come out of order to their files", async () => {
    const pool = openPool({ workers: 2 });
    const medium = mediumFile("first_in");
    const order: string[] = [];
    const names = ["medium", ...fixtures, ...fixtures];
    const results = await Promise.all(
      names.map((name) => pool.analyze(name === "medium" ? medium : fixture(name as Fixture)).then((result) => (order.push(name), result))),
    );
    // The file sent first is answered after files sent later, by the same process.
    expect(order[0]).not.toBe("medium");
    if (onLinux) expect(workerPids()).toHaveLength(1);
    results.forEach((result, i) => {
      const name = names[i] as Fixture | "medium";
      expect(result.error, name).toBeNull();
      expect(rulesOf(result), name).toEqual(name === "medium" ? mediumRules : expectedRules[name]);
    });
  });

  it.skipIf(!onLinux || cores < 2)("turns one analysis's crash into that file's error only", async () => {
    const pool = openPool({ workers: 2 });
    await pool.analyze(fixture("clean"));
    const [worker] = workerPids();
    const crashing = pool.analyze(bigFile());
    const analysis = await waitFor(() => children(worker!)[0]?.pid, "the analysis process");
    const other = pool.analyze(mediumFile("beside_a_crash"));
    await waitFor(() => (children(worker!).length === 2 ? true : undefined), "two analyses at once");
    process.kill(analysis, "SIGKILL");
    expect((await crashing).error).toBe("analysis crashed (signal 9)");
    const result = await other;
    expect(result.error).toBeNull();
    expect(rulesOf(result)).toEqual(mediumRules);
    expect(workerPids()).toEqual([worker]);
  });

  it.skipIf(!onLinux || cores < 2)("leaves no analysis running after close() or SIGTERM", async () => {
    const inFlight = async (pool: AnalyzerPool) => {
      await pool.analyze(fixture("clean"));
      const [worker] = workerPids();
      const answers = [pool.analyze(bigFile()), pool.analyze(mediumFile("unfinished"))];
      const analyses = await waitFor(() => {
        const pids = children(worker!).map((child) => child.pid);
        return pids.length === 2 ? pids : undefined;
      }, "two analyses at once");
      return { worker: worker!, answers, analyses };
    };
    const allEnded = (pids: number[]) => waitFor(() => (pids.some(isRunning) ? undefined : true), "the analyses to end", 5_000);

    const closing = openPool({ workers: 2 });
    const closed = await inFlight(closing);
    await closing.close();
    for (const answer of await Promise.all(closed.answers)) expect(answer.error).toBe("the analyzer pool was closed");
    expect(workerPids()).toEqual([]);
    await allEnded(closed.analyses);

    const pool = openPool({ workers: 2 });
    const terminated = await inFlight(pool);
    process.kill(terminated.worker, "SIGTERM");
    for (const answer of await Promise.all(terminated.answers)) expect(answer.error).toMatch(/^analyzer worker crashed \(exit status 143\)/);
    await allEnded(terminated.analyses);
    expect(rulesOf(await pool.analyze(fixture("weak_hash")))).toEqual(expectedRules.weak_hash);
    expect(workerPids()).not.toContain(terminated.worker);
  });

  it.skipIf(!onLinux)("replaces a worker that stops answering", async () => {
    const pool = openPool({ workers: 2, timeoutMs: 1000 });
    await pool.analyze(fixture("clean"));
    const [worker] = workerPids();
    process.kill(worker!, "SIGSTOP");
    const stuck = await Promise.all([pool.analyze(fixture("weak_hash")), pool.analyze(fixture("clean"))]);
    for (const result of stuck) expect(result.error).toBe("pylint/bandit timed out after 1s");
    // Not even the cancels are answered: the worker is killed and the next file gets a new one.
    const next = await pool.analyze(fixture("shell_injection"));
    expect(next.error).toBeNull();
    expect(rulesOf(next)).toEqual(expectedRules.shell_injection);
    await waitFor(() => (isRunning(worker!) ? undefined : true), "the stopped worker to end");
    expect(workerPids()).toHaveLength(1);
  });

  it.skipIf(!onLinux || cores < 2)("spreads the files over several processes when asked", async () => {
    const pool = openPool({ workers: 2, processes: 2 });
    const names = [...fixtures, ...fixtures];
    const results = await Promise.all(names.map((name) => pool.analyze(fixture(name))));
    results.forEach((result, i) => expect(rulesOf(result), names[i]).toEqual(expectedRules[names[i] as Fixture]));
    expect(workerPids()).toHaveLength(2);
  });

  it.skipIf(!onLinux || cores < 2)("without fork (as on Windows), analyzes one file at a time per process", async () => {
    // Python started with os.fork removed: the worker analyzes each file itself.
    const noFork = path.join(temp, "python-without-fork");
    const code = `import os, runpy, sys; del os.fork; sys.argv = sys.argv[${1 + PYTHON_FLAGS.length}:]; runpy.run_path(sys.argv[0], run_name="__main__")`;
    writeFileSync(noFork, `#!/bin/sh\nexec '${python}' ${PYTHON_FLAGS.join(" ")} -c '${code}' "$@"\n`, { mode: 0o755 });
    const pool = openPool({ python: noFork, workers: 2, timeoutMs: 3000 });
    const results = await Promise.all(fixtures.map((name) => pool.analyze(fixture(name))));
    results.forEach((result, i) => expect(rulesOf(result), fixtures[i]).toEqual(expectedRules[fixtures[i] as Fixture]));
    const processes = workerPids();
    expect(processes).toHaveLength(2);
    for (const pid of processes) expect(children(pid)).toEqual([]);

    // A timeout can only stop the whole process there.
    const slow = await pool.analyze(bigFile());
    expect(slow.error).toBe("pylint/bandit timed out after 3s");
    expect(rulesOf(await pool.analyze(fixture("weak_hash")))).toEqual(expectedRules.weak_hash);
  });

  it("fails the waiting files with one clear error when no worker can start", async () => {
    const pool = openPool({ python: path.join(temp, "no-such-python"), workers: 1 });
    await expect(pool.analyze(fixture("clean"))).rejects.toThrow(/analyzer worker did not start .*no-such-python/);
  });
});
