import os from "node:os";
import pLimit from "p-limit";
import { z } from "zod";
import { dependencyError } from "../errors.js";
import { DEFAULT_LIMITS, dropToNobody, INSTALL_HINT, resolveSandboxPython, which, type SandboxLimits, type SandboxPython } from "./bwrap.js";
import { SandboxServer, type RunEnding, type RunRequest } from "./server.js";
import { countTests } from "./test-spec.js";
import type { TestRun, TestSpec } from "./types.js";

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
    status = startServer(python, env).then(async (probe) => {
      await probe.server?.close();
      return probe.status;
    });
    statusCache.set(key, status);
  }
  return status;
}

interface Probe {
  status: SandboxStatus;
  server?: SandboxServer;
  bwrap?: string;
  python?: SandboxPython;
}

/** A trivial run: proves the server can make a run's namespaces and run the harness in them. */
const PROBE_SPEC: TestSpec = { kind: "mbpp", test_list: ["assert 1 + 1 == 2"], test_imports: [], test_setup_code: "" };

/** Starts the test server if the sandbox works here, or says what is missing and how to get it. */
async function startServer(candidate: string, env: NodeJS.ProcessEnv): Promise<Probe> {
  const fail = (reason: string, hint = INSTALL_HINT): Probe => ({ status: { ok: false, reason, hint } });
  if (process.platform !== "linux") return fail(`the test sandbox needs Linux (bubblewrap); this is ${process.platform}`, "run on Linux, or pass --no-tests");
  const bwrap = which("bwrap", env);
  if (!bwrap) return fail("bubblewrap (bwrap) is not installed: the tests run only inside its sandbox");
  const python = await resolveSandboxPython(candidate);
  if (typeof python === "string") return fail(`no Python for the test sandbox: ${python}`, "install python3, or pass --no-tests");
  let server: SandboxServer | undefined;
  try {
    server = await SandboxServer.start(bwrap, python);
    const probe = testRun(await server.run(request("", PROBE_SPEC, DEFAULT_LIMITS, 15_000)), PROBE_SPEC, 15_000, DEFAULT_REPORT_CHARS);
    if (probe.passed !== 1) throw new Error(`a trivial test did not pass in it: ${probe.output.split("\n").slice(1).join(" ").trim() || "no result"}`);
  } catch (error) {
    await server?.close();
    const said = error instanceof Error ? error.message : String(error);
    return fail(`bubblewrap cannot make its sandbox here: ${said}`, "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap), or pass --no-tests");
  }
  const who = dropToNobody() ? ", as nobody" : "";
  return {
    status: { ok: true, bwrap, python: python.executable, detail: `${bwrap} runs Python ${server.pythonVersion} (${python.executable}${who}) with no network, a fresh process and namespaces per run` },
    server,
    bwrap,
    python,
  };
}

/**
 * Starts a test runner after checking the sandbox works; throws a one-line dependency error
 * (exit 3) saying what is missing when it does not. Tests never run unsandboxed.
 */
export async function createTestRunner(options: TestRunnerOptions): Promise<TestRunner> {
  const probe = await startServer(options.python, options.env ?? process.env);
  if (!probe.status.ok || !probe.server || !probe.bwrap || !probe.python) {
    const status = probe.status as Extract<SandboxStatus, { ok: false }>;
    throw dependencyError(`cannot run tests: ${status.reason}`, status.hint);
  }
  const { bwrap, python } = probe;
  let server: Promise<SandboxServer> = Promise.resolve(probe.server);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, cpuSeconds: Math.ceil(timeoutMs / 1000), ...options.limits };
  const reportChars = options.reportChars ?? DEFAULT_REPORT_CHARS;
  // Test runs are CPU work: their own limiter, apart from the model calls'.
  const limit = pLimit(Math.max(1, options.concurrency ?? os.availableParallelism()));
  let closed = false;

  /** The live server; a new one if the last one stopped (it never should: runs cannot reach it). */
  async function liveServer(): Promise<SandboxServer> {
    const current = await server;
    if (current.alive) return current;
    server = SandboxServer.start(bwrap, python);
    server.catch(() => undefined);
    return server;
  }

  async function runOnce(solutionCode: string, spec: TestSpec, signal?: AbortSignal): Promise<TestRun> {
    if (closed) throw new Error("the test runner is closed");
    const ending = await (await liveServer()).run(request(solutionCode, spec, limits, timeoutMs), signal);
    return testRun(ending, spec, timeoutMs, reportChars);
  }

  return {
    run(solutionCode, spec, signal) {
      if (closed) return Promise.reject(new Error("the test runner is closed"));
      return limit(() => runOnce(solutionCode, spec, signal));
    },
    async close() {
      closed = true;
      limit.clearQueue();
      await (await server.catch(() => undefined))?.close();
    },
  };
}

function testRun(ending: RunEnding, spec: TestSpec, timeoutMs: number, reportChars: number): TestRun {
  return summarize(ending.out, {
    expected: countTests(spec),
    timedOut: ending.timedOut,
    timeoutMs,
    overflow: ending.overflow,
    exit: ending.exit ?? ending.signal ?? "none",
    reportChars,
  });
}

function request(solutionCode: string, spec: TestSpec, limits: SandboxLimits, timeoutMs: number): RunRequest {
  const files: Record<string, string> = { "solution.py": solutionCode };
  if (spec.kind === "pytest") files["test_solution.py"] = spec.tests;
  return { files, spec, rlimits: rlimits(limits), timeoutMs, workBytes: limits.workBytes, capBytes: OUTPUT_CAP_BYTES };
}

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
    else why = `the test process ended (${typeof ending.exit === "number" ? `exit ${ending.exit}` : ending.exit})${during} before the tests finished`;
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
