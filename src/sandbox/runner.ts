import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import fs from "fs-extra";
import pLimit from "p-limit";
import { z } from "zod";
import { dependencyError } from "../errors.js";
import {
  bwrapArgs,
  DEFAULT_LIMITS,
  dropToNobody,
  HARNESS_PATH,
  INSTALL_HINT,
  resolveSandboxPython,
  spawnIds,
  which,
  type SandboxLimits,
  type SandboxPython,
} from "./bwrap.js";
import { countTests } from "./test-spec.js";
import type { TestRun, TestSpec } from "./types.js";

export const HARNESS_SCRIPT = fileURLToPath(new URL("../../python/test_harness.py", import.meta.url));

/** `--test-timeout` default: wall-clock seconds for one file's tests. */
export const DEFAULT_TEST_TIMEOUT_MS = 10_000;
/** Characters of failure report a TestRun carries (what the model is shown). */
export const DEFAULT_REPORT_CHARS = 4000;
/** Bytes read from the sandbox; more and it is killed. */
const OUTPUT_CAP_BYTES = 1 * 2 ** 20;

export interface TestRunnerOptions {
  /** The analyzers' Python (resolved through symlinks; /usr/bin/python3 if the sandbox cannot reach it). */
  python: string;
  /** Wall clock per run; after it the sandbox and everything in it is killed. Default 10 s. */
  timeoutMs?: number;
  /** Runs at once; default the core count. */
  concurrency?: number;
  /** Per-process limits inside the sandbox; CPU time defaults to the timeout. */
  limits?: Partial<SandboxLimits>;
  /** Cap on TestRun.output, characters. */
  reportChars?: number;
  /** Where bwrap is looked up (its PATH); nothing else of it reaches the sandbox. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface TestRunner {
  /** Runs `spec` against `solutionCode` in a fresh sandbox. Never throws for what the code does. */
  run(solutionCode: string, spec: TestSpec, signal?: AbortSignal): Promise<TestRun>;
  /** Kills runs in flight; later calls to run() reject. */
  close(): Promise<void>;
}

export type SandboxStatus =
  | { ok: true; bwrap: string; python: string; detail: string }
  | { ok: false; reason: string; hint: string };

const statusCache = new Map<string, Promise<SandboxStatus>>();

/**
 * Whether tests can run here, and why not: bwrap found, the kernel lets it make its namespaces,
 * and Python starts inside. Used by doctor and before any test runs. Cached per Python.
 */
export function sandboxStatus(python = "python3", env: NodeJS.ProcessEnv = process.env): Promise<SandboxStatus> {
  const key = `${python}\0${env.PATH ?? ""}`;
  let status = statusCache.get(key);
  if (!status) {
    status = probeSandbox(python, env).then((result) => result.status);
    statusCache.set(key, status);
  }
  return status;
}

interface Probe {
  status: SandboxStatus;
  bwrap?: string;
  python?: SandboxPython;
}

async function probeSandbox(candidate: string, env: NodeJS.ProcessEnv): Promise<Probe> {
  const fail = (reason: string, hint = INSTALL_HINT): Probe => ({ status: { ok: false, reason, hint } });
  if (process.platform !== "linux") return fail(`the test sandbox needs Linux (bubblewrap); this is ${process.platform}`, "run on Linux, or pass --no-tests");
  const bwrap = which("bwrap", env);
  if (!bwrap) return fail("bubblewrap (bwrap) is not installed: the tests run only inside its sandbox");
  const python = await resolveSandboxPython(candidate);
  if (typeof python === "string") return fail(`no Python for the test sandbox: ${python}`, "install python3, or pass --no-tests");
  const dir = await makeRunDir({ "solution.py": "", "tests.json": "{}" });
  try {
    const args = bwrapArgs({ hostDir: dir, files: ["solution.py", "tests.json"], python, limits: DEFAULT_LIMITS }, [
      python.executable,
      "-I",
      "-c",
      "import sys; print(sys.version.split()[0])",
    ]);
    const result = await execa(bwrap, args, { ...spawnOptions(15_000), maxBuffer: 64 * 1024 });
    if (result.exitCode !== 0) {
      const said = lastLine(result.stderr) || `exit status ${result.exitCode ?? result.signal ?? "none"}`;
      return fail(`bubblewrap cannot make its sandbox here: ${said}`, "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap), or pass --no-tests");
    }
    const who = dropToNobody() ? ", as nobody" : "";
    return {
      status: { ok: true, bwrap, python: python.executable, detail: `${bwrap} runs Python ${result.stdout.trim()} (${python.executable}${who}) with no network` },
      bwrap,
      python,
    };
  } finally {
    await fs.remove(dir);
  }
}

/**
 * Starts a test runner after checking the sandbox works; throws a one-line dependency error
 * (exit 3) saying what is missing when it does not. Tests never run unsandboxed.
 */
export async function createTestRunner(options: TestRunnerOptions): Promise<TestRunner> {
  const probe = await probeSandbox(options.python, options.env ?? process.env);
  if (!probe.status.ok || !probe.bwrap || !probe.python) {
    const status = probe.status as Extract<SandboxStatus, { ok: false }>;
    throw dependencyError(`cannot run tests: ${status.reason}`, status.hint);
  }
  const bwrap = probe.bwrap;
  const python = probe.python;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, cpuSeconds: Math.ceil(timeoutMs / 1000), ...options.limits };
  const reportChars = options.reportChars ?? DEFAULT_REPORT_CHARS;
  // Test runs are CPU work: their own limiter, apart from the model calls'.
  const limit = pLimit(Math.max(1, options.concurrency ?? os.availableParallelism()));
  const closed = new AbortController();

  async function runOnce(solutionCode: string, spec: TestSpec, signal?: AbortSignal): Promise<TestRun> {
    const files: Record<string, string> = { "solution.py": solutionCode };
    if (spec.kind === "pytest") files["test_solution.py"] = spec.tests;
    else files["tests.json"] = JSON.stringify(spec);
    const dir = await makeRunDir(files);
    try {
      const command = [python.executable, "-I", "-B", HARNESS_PATH, JSON.stringify(rlimits(limits))];
      const args = bwrapArgs({ hostDir: dir, files: Object.keys(files), python, limits }, command);
      const cancelSignal = AbortSignal.any([closed.signal, ...(signal ? [signal] : [])]);
      const result = await execa(bwrap, args, { ...spawnOptions(timeoutMs), maxBuffer: OUTPUT_CAP_BYTES, cancelSignal });
      if (cancelSignal.aborted) throw cancelSignal.reason ?? new Error("test run aborted");
      return summarize(result.stdout, {
        expected: countTests(spec),
        timedOut: result.timedOut,
        timeoutMs,
        overflow: result.isMaxBuffer,
        exit: result.exitCode ?? result.signal ?? "none",
        stderr: result.stderr,
        reportChars,
      });
    } finally {
      await fs.remove(dir);
    }
  }

  return {
    run(solutionCode, spec, signal) {
      if (closed.signal.aborted) return Promise.reject(new Error("the test runner is closed"));
      return limit(() => runOnce(solutionCode, spec, signal));
    },
    async close() {
      limit.clearQueue();
      closed.abort(new Error("the test runner is closed"));
    },
  };
}

// Killed with SIGKILL: bwrap dies, --die-with-parent kills the sandbox's init, and with it the
// kernel kills every process left in its PID namespace (forked, daemonized or ignoring signals).
function spawnOptions(timeoutMs: number) {
  return {
    ...spawnIds(),
    reject: false,
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    forceKillAfterDelay: false,
    extendEnv: false,
    // bwrap itself gets nothing of ours: /proc/1/environ inside the sandbox is its copy.
    env: { PATH: "/usr/bin:/bin" },
    stdin: "ignore",
    encoding: "utf8",
    stripFinalNewline: false,
    cwd: os.tmpdir(),
  } as const;
}

async function makeRunDir(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "codeenhancer-test-"));
  // Run as root, bwrap runs as nobody and must read these files.
  if (dropToNobody()) await fs.chmod(dir, 0o711);
  const harness = (harnessText ??= readFileSync(HARNESS_SCRIPT, "utf8"));
  await Promise.all([
    ...Object.entries(files).map(([name, text]) => fs.writeFile(path.join(dir, name), text, { mode: 0o644 })),
    fs.writeFile(path.join(dir, "test_harness.py"), harness, { mode: 0o644 }),
  ]);
  return dir;
}
let harnessText: string | undefined;

function rlimits(limits: SandboxLimits): Record<string, number> {
  return {
    RLIMIT_AS: limits.memoryBytes,
    RLIMIT_CPU: limits.cpuSeconds,
    RLIMIT_NPROC: limits.processes,
    RLIMIT_FSIZE: limits.fileBytes,
    RLIMIT_NOFILE: 256,
    RLIMIT_CORE: 0,
  };
}

const eventSchema = z.discriminatedUnion("e", [
  z.object({ e: z.literal("total"), n: z.number().int().nonnegative() }),
  z.object({ e: z.literal("begin"), name: z.string() }),
  z.object({ e: z.literal("result"), name: z.string(), status: z.enum(["pass", "fail", "error"]), detail: z.string() }),
  z.object({ e: z.literal("done") }),
]);

interface Ending {
  expected: number;
  timedOut: boolean;
  timeoutMs: number;
  overflow: boolean;
  exit: number | string;
  stderr: string;
  reportChars: number;
}

/** A TestRun from the harness's JSON lines and how the sandbox ended. */
export function summarize(stdout: string, ending: Ending): TestRun {
  let total = ending.expected;
  let running: string | undefined;
  let done = false;
  const results: Array<{ name: string; status: "pass" | "fail" | "error"; detail: string }> = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let parsed;
    try {
      parsed = eventSchema.safeParse(JSON.parse(line));
    } catch {
      continue;
    }
    if (!parsed.success) continue;
    const event = parsed.data;
    if (event.e === "total") total = event.n;
    else if (event.e === "begin") running = event.name;
    else if (event.e === "result") {
      results.push(event);
      running = undefined;
    } else done = true;
  }
  const passed = results.filter((r) => r.status === "pass").length;
  const failed = results.filter((r) => r.status === "fail").length;
  total = Math.max(total, results.length);
  const unfinished = total - results.length;

  const report: string[] = [];
  for (const r of results) {
    if (r.status !== "pass") report.push(`${r.status === "fail" ? "FAILED" : "ERROR"} ${oneLine(r.name)}\n${indent(r.detail)}`);
  }
  if (!done) {
    const during = running ? ` during ${oneLine(running)}` : "";
    let why: string;
    if (ending.timedOut) why = `TIMEOUT: the tests did not finish within ${ending.timeoutMs / 1000} s${during}; everything in the sandbox was killed`;
    else if (ending.overflow) why = `the test process wrote more than ${OUTPUT_CAP_BYTES} bytes to its result channel${during} and was killed`;
    else {
      const said = lastLine(ending.stderr);
      why = `the test process ended (exit ${ending.exit})${during} before the tests finished${said ? `: ${said}` : ""}`;
    }
    report.push(`${why}${unfinished > 0 ? ` (${unfinished} test(s) not run)` : ""}`);
  }
  const header = `${passed}/${total} tests passed`;
  return {
    passed,
    failed,
    errors: total - passed - failed,
    total,
    timed_out: ending.timedOut,
    output: cap([header, ...report].join("\n"), ending.reportChars),
  };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function indent(text: string): string {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => `    ${line}`)
    .join("\n");
}

function cap(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 40)}\n... [report cut at ${chars} characters]`;
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .at(-1)
      ?.replace(/^bwrap: /, "")
      .trim() ?? ""
  );
}
