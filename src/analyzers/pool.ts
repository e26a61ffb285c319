import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type Result, type ResultPromise } from "execa";
import { z } from "zod";
import { dependencyError } from "../errors.js";
import {
  banditErrorSchema,
  banditFindingSchema,
  pylintFindingSchema,
  type BanditError,
  type BanditFinding,
  type PylintFinding,
} from "../schemas.js";
import { PYTHON_FLAGS, analyzerCwd, analyzerEnv, lastLine } from "./python.js";

export type AnalyzerLevel = "low" | "medium" | "high";

/** What pylint and bandit check: the same for the warm workers and for the command-line tools. */
export interface AnalyzerConfig {
  /** Pylint message ids (or categories) to enable; everything else is disabled. */
  pylintEnable: string[];
  banditSeverity: AnalyzerLevel;
  banditConfidence: AnalyzerLevel;
  /** Bandit test ids to skip. */
  banditSkip: string[];
}

export interface AnalyzerPoolOptions extends AnalyzerConfig {
  python: string;
  /** Worker processes; default and maximum: os.availableParallelism(). */
  workers?: number;
  /** Per file; default 60000. */
  timeoutMs?: number;
  /** Files a worker analyzes before it is replaced; default 500. */
  recycleAfter?: number;
}

export interface AnalysisResult {
  pylint: PylintFinding[];
  bandit: BanditFinding[];
  banditErrors: BanditError[];
  /** Why this file could not be analyzed (timeout, crash); the findings are then incomplete. */
  error: string | null;
  elapsedMs: number;
}

export interface WorkerVersions {
  python: string;
  pylint: string;
  bandit: string;
}

export interface AnalyzerPool {
  analyze(path: string): Promise<AnalysisResult>;
  /** Starts the workers now (they take ~0.5 s to import pylint and bandit) rather than at the first file. */
  warm(): void;
  /** Ends every worker; pending and later analyze() calls reject. */
  close(): Promise<void>;
  /** Reported by the first worker that started. */
  readonly versions?: WorkerVersions | undefined;
}

export const WORKER_SCRIPT = fileURLToPath(new URL("../../python/analyzer_worker.py", import.meta.url));
/** The empty rcfile given to pylint so that no pylintrc, setup.cfg or pyproject.toml is read. */
export const EMPTY_PYLINTRC = fileURLToPath(new URL("../../python/empty-pylintrc", import.meta.url));

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RECYCLE_AFTER = 500;
// Importing pylint and bandit and warming them up takes a second or two; allow for a busy machine.
const STARTUP_TIMEOUT_MS = 60_000;
const CLOSE_GRACE_MS = 2_000;
const STDERR_TAIL_CHARS = 4_000;

const readySchema = z.union([
  z.object({ ready: z.literal(true), python: z.string(), pylint: z.string(), bandit: z.string() }),
  z.object({ ready: z.literal(false), error: z.string() }),
]);

const responseSchema = z.object({
  id: z.number().nullable(),
  pylint: z.array(pylintFindingSchema).default([]),
  bandit: z.array(banditFindingSchema).default([]),
  banditErrors: z.array(banditErrorSchema).default([]),
  error: z.string().nullable(),
});

interface Job {
  path: string;
  resolve: (result: AnalysisResult) => void;
  reject: (error: unknown) => void;
}

interface RunningJob extends Job {
  id: number;
  startedAt: number;
  timer: NodeJS.Timeout;
}

interface Worker {
  subprocess: ResultPromise;
  state: "starting" | "idle" | "busy" | "gone";
  served: number;
  job: RunningJob | undefined;
  startTimer: NodeJS.Timeout | undefined;
  stdoutBuffer: string;
  stderrTail: string;
  exited: Promise<void>;
}

/**
 * Warm Python processes that run the real pylint and bandit on one file at a time
 * (python/analyzer_worker.py). Workers start on demand, up to `workers`; files wait in one
 * FIFO queue for the next idle worker.
 */
export function createAnalyzerPool(options: AnalyzerPoolOptions): AnalyzerPool {
  return new WarmAnalyzerPool(options);
}

class WarmAnalyzerPool implements AnalyzerPool {
  versions: WorkerVersions | undefined;

  private readonly maxWorkers: number;
  private readonly timeoutMs: number;
  private readonly recycleAfter: number;
  private readonly workerArgs: string[];
  private readonly workers = new Set<Worker>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: AnalyzerPoolOptions) {
    const cores = os.availableParallelism();
    this.maxWorkers = Math.max(1, Math.min(Math.floor(options.workers ?? cores), cores));
    this.timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.recycleAfter = Math.max(1, Math.floor(options.recycleAfter ?? DEFAULT_RECYCLE_AFTER));
    const config: AnalyzerConfig = {
      pylintEnable: options.pylintEnable,
      banditSeverity: options.banditSeverity,
      banditConfidence: options.banditConfidence,
      banditSkip: options.banditSkip,
    };
    this.workerArgs = [...PYTHON_FLAGS, WORKER_SCRIPT, JSON.stringify(config)];
  }

  analyze(file: string): Promise<AnalysisResult> {
    if (this.closed) return Promise.reject(new Error("the analyzer pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ path: path.resolve(file), resolve, reject });
      this.dispatch();
    });
  }

  warm(): void {
    while (!this.closed && this.workers.size < this.maxWorkers) this.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("the analyzer pool was closed"));
    const exits: Promise<void>[] = [];
    for (const worker of this.workers) {
      if (worker.job) this.finishJob(worker, { error: "the analyzer pool was closed" });
      exits.push(worker.exited);
      this.stop(worker, "graceful");
    }
    await Promise.all(exits);
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (this.queue.length === 0) break;
      if (worker.state === "idle") this.send(worker, this.queue.shift() as Job);
    }
    let starting = [...this.workers].filter((worker) => worker.state === "starting").length;
    while (this.queue.length > starting && this.workers.size < this.maxWorkers) {
      this.start();
      starting += 1;
    }
  }

  private start(): void {
    const subprocess = execa(this.options.python, this.workerArgs, {
      cwd: analyzerCwd(),
      env: analyzerEnv(),
      extendEnv: false,
      reject: false,
      buffer: false,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      // The worker kills the file's analysis and exits on SIGTERM; SIGKILL if it does not.
      forceKillAfterDelay: CLOSE_GRACE_MS,
    });
    let markExited: () => void = () => {};
    const worker: Worker = {
      subprocess,
      state: "starting",
      served: 0,
      job: undefined,
      startTimer: undefined,
      stdoutBuffer: "",
      stderrTail: "",
      exited: new Promise((resolve) => (markExited = resolve)),
    };
    this.workers.add(worker);
    worker.startTimer = setTimeout(() => {
      worker.stderrTail += `\nno ready line within ${STARTUP_TIMEOUT_MS / 1000}s`;
      this.stop(worker, "kill");
    }, Math.max(STARTUP_TIMEOUT_MS, this.timeoutMs));
    subprocess.stdin?.on("error", () => {
      // EPIPE when the worker has died; its exit is handled below.
    });
    subprocess.stdout?.setEncoding("utf8");
    subprocess.stdout?.on("data", (chunk: string) => this.onStdout(worker, chunk));
    subprocess.stderr?.setEncoding("utf8");
    subprocess.stderr?.on("data", (chunk: string) => {
      worker.stderrTail = (worker.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    void subprocess.then((result) => {
      this.onExit(worker, result);
      markExited();
    });
  }

  private onStdout(worker: Worker, chunk: string): void {
    worker.stdoutBuffer += chunk;
    let newline = worker.stdoutBuffer.indexOf("\n");
    while (newline >= 0) {
      const line = worker.stdoutBuffer.slice(0, newline);
      worker.stdoutBuffer = worker.stdoutBuffer.slice(newline + 1);
      if (worker.state !== "gone" && line.trim()) this.onLine(worker, line);
      newline = worker.stdoutBuffer.indexOf("\n");
    }
  }

  private onLine(worker: Worker, line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      worker.stderrTail += `\nnot a protocol line: ${line.slice(0, 200)}`;
      this.stop(worker, "kill");
      return;
    }
    if (worker.state === "starting") {
      this.onReady(worker, message);
      return;
    }
    const job = worker.job;
    const parsed = responseSchema.safeParse(message);
    if (!job || !parsed.success || parsed.data.id !== job.id) {
      worker.stderrTail += `\nunexpected answer: ${line.slice(0, 200)}`;
      if (job) this.finishJob(worker, { error: `analyzer worker gave an unexpected answer: ${line.slice(0, 200)}` });
      this.stop(worker, "kill");
      return;
    }
    const { pylint, bandit, banditErrors, error } = parsed.data;
    this.finishJob(worker, { pylint, bandit, banditErrors, error });
    worker.served += 1;
    if (worker.served >= this.recycleAfter) {
      this.stop(worker, "graceful");
    } else {
      worker.state = "idle";
    }
    this.dispatch();
  }

  private onReady(worker: Worker, message: unknown): void {
    clearTimeout(worker.startTimer);
    const ready = readySchema.safeParse(message);
    if (!ready.success || !ready.data.ready) {
      worker.stderrTail += `\n${ready.success && !ready.data.ready ? ready.data.error : "no ready line"}`;
      this.stop(worker, "kill");
      return;
    }
    const { python, pylint, bandit } = ready.data;
    this.versions ??= { python, pylint, bandit };
    worker.state = "idle";
    this.dispatch();
  }

  private send(worker: Worker, job: Job): void {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.finishJob(worker, { error: `pylint/bandit timed out after ${this.timeoutMs / 1000}s` });
      this.stop(worker, "kill");
      this.dispatch();
    }, this.timeoutMs);
    worker.state = "busy";
    worker.job = { ...job, id, startedAt: performance.now(), timer };
    worker.subprocess.stdin?.write(`${JSON.stringify({ id, path: job.path })}\n`);
  }

  private finishJob(worker: Worker, outcome: Partial<Omit<AnalysisResult, "elapsedMs">>): void {
    const job = worker.job;
    if (!job) return;
    worker.job = undefined;
    clearTimeout(job.timer);
    job.resolve({
      pylint: outcome.pylint ?? [],
      bandit: outcome.bandit ?? [],
      banditErrors: outcome.banditErrors ?? [],
      error: outcome.error ?? null,
      elapsedMs: Math.round(performance.now() - job.startedAt),
    });
  }

  /** Takes the worker out of service: "graceful" closes its stdin, "kill" signals it. */
  private stop(worker: Worker, how: "graceful" | "kill"): void {
    clearTimeout(worker.startTimer);
    const wasStarting = worker.state === "starting";
    worker.state = "gone";
    this.workers.delete(worker);
    if (how === "graceful") {
      worker.subprocess.stdin?.end();
      const timer = setTimeout(() => worker.subprocess.kill(), CLOSE_GRACE_MS);
      void worker.exited.then(() => clearTimeout(timer));
    } else {
      worker.subprocess.kill();
    }
    if (wasStarting) this.onStartFailure(worker);
  }

  private onExit(worker: Worker, result: Result): void {
    const wasStarting = worker.state === "starting";
    if (worker.job) {
      this.finishJob(worker, { error: `analyzer worker crashed (${describeExit(result)}): ${lastLine(worker.stderrTail)}` });
    }
    if (worker.state !== "gone") {
      clearTimeout(worker.startTimer);
      worker.state = "gone";
      this.workers.delete(worker);
      if (wasStarting) this.onStartFailure(worker, result);
    }
    this.dispatch();
  }

  private onStartFailure(worker: Worker, result?: Result): void {
    // With no worker able to start, every waiting file would wait forever: fail them now.
    const someoneStarted = [...this.workers].some((other) => other.state === "idle" || other.state === "busy");
    if (someoneStarted) return;
    const reason = lastLine(worker.stderrTail) || (result ? describeExit(result) : "it stopped");
    const error = dependencyError(`the analyzer worker did not start with ${this.options.python}: ${reason}`);
    for (const job of this.queue.splice(0)) job.reject(error);
  }
}

function describeExit(result: Result): string {
  if (result.signal) return `signal ${result.signal}`;
  if (result.code === "ENOENT") return "Python not found";
  return `exit status ${result.exitCode ?? "unknown"}`;
}
