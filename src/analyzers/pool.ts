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
  /**
   * Files analyzed at once, each in a process forked from a warm worker; default and maximum:
   * os.availableParallelism(). Without fork (Windows) each worker process analyzes one file at a
   * time and as many workers start.
   */
  workers?: number;
  /** Warm worker processes the `workers` analyses are spread over when they fork; default 1. */
  processes?: number;
  /** Per file; default 60000. */
  timeoutMs?: number;
  /** Files a worker process analyzes before it is replaced; default 500. */
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
// A worker answers a cancel at once unless it is building library modules for its children.
const MAX_CANCEL_GRACE_MS = 10_000;
const STDERR_TAIL_CHARS = 4_000;
// Python has os.fork everywhere but on Windows (the ready line says for sure).
const FORK_EXPECTED = process.platform !== "win32";

const readySchema = z.union([
  z.object({ ready: z.literal(true), python: z.string(), pylint: z.string(), bandit: z.string(), forks: z.boolean() }),
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
  /** Already answered (timed out); the worker's answer to the cancel frees the slot. */
  cancelled: boolean;
}

interface Worker {
  subprocess: ResultPromise;
  /** "draining": recycled, answers the files it has and takes no more. */
  state: "starting" | "ready" | "draining" | "gone";
  /** Files it analyzes at once: its share of `workers` when it forks, else 1. */
  slots: number;
  forks: boolean;
  served: number;
  jobs: Map<number, RunningJob>;
  startTimer: NodeJS.Timeout | undefined;
  stdoutBuffer: string;
  stderrTail: string;
  exited: Promise<void>;
}

/**
 * Warm Python processes that run the real pylint and bandit (python/analyzer_worker.py). One
 * process serves up to `workers` files at once, each analyzed in a child it forks, and answers
 * as each child finishes; files wait in one FIFO queue for a free slot. Processes start on demand.
 */
export function createAnalyzerPool(options: AnalyzerPoolOptions): AnalyzerPool {
  return new WarmAnalyzerPool(options);
}

class WarmAnalyzerPool implements AnalyzerPool {
  versions: WorkerVersions | undefined;

  /** Files analyzed at once, over every process. */
  private readonly maxWorkers: number;
  private readonly slotsPerProcess: number;
  private readonly timeoutMs: number;
  private readonly cancelGraceMs: number;
  private readonly recycleAfter: number;
  private readonly workerArgs: string[];
  /** The workers in service; `pendingExits` also covers those taken out of service and still running. */
  private readonly workers = new Set<Worker>();
  private readonly pendingExits = new Set<Promise<void>>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: AnalyzerPoolOptions) {
    const cores = os.availableParallelism();
    this.maxWorkers = Math.max(1, Math.min(Math.floor(options.workers ?? cores), cores));
    const processes = Math.max(1, Math.min(Math.floor(options.processes ?? 1), this.maxWorkers));
    this.slotsPerProcess = Math.ceil(this.maxWorkers / processes);
    this.timeoutMs = Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.cancelGraceMs = Math.min(Math.max(CLOSE_GRACE_MS, this.timeoutMs), MAX_CANCEL_GRACE_MS);
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
    if (!this.closed) this.startWorkers(this.maxWorkers);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("the analyzer pool was closed"));
    for (const worker of this.workers) this.stop(worker, "graceful", "the analyzer pool was closed");
    await Promise.all(this.pendingExits);
  }

  private dispatch(): void {
    let running = 0;
    for (const worker of this.workers) running += worker.jobs.size;
    for (const worker of this.workers) {
      while (this.queue.length > 0 && running < this.maxWorkers && worker.state === "ready" && worker.jobs.size < worker.slots) {
        this.send(worker, this.queue.shift() as Job);
        running += 1;
      }
    }
    if (this.queue.length === 0 || this.closed) return;
    let busy = 0;
    for (const worker of this.accepting()) busy += worker.jobs.size;
    this.startWorkers(Math.min(busy + this.queue.length, this.maxWorkers));
  }

  /** Starts processes until those taking files have `slots` slots (a recycled one does not count). */
  private startWorkers(slots: number): void {
    const accepting = this.accepting();
    let capacity = accepting.reduce((sum, worker) => sum + worker.slots, 0);
    // Without fork a process has one slot: up to `maxWorkers` of them.
    for (let count = accepting.length; capacity < slots && count < this.maxWorkers; count += 1) {
      capacity += this.start().slots;
    }
  }

  private accepting(): Worker[] {
    return [...this.workers].filter((worker) => worker.state === "starting" || worker.state === "ready");
  }

  private start(): Worker {
    const subprocess = execa(this.options.python, this.workerArgs, {
      cwd: analyzerCwd(),
      env: analyzerEnv(),
      extendEnv: false,
      reject: false,
      buffer: false,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      // The worker kills its children and exits on SIGTERM; SIGKILL if it does not.
      forceKillAfterDelay: CLOSE_GRACE_MS,
    });
    let markExited: () => void = () => {};
    const worker: Worker = {
      subprocess,
      state: "starting",
      slots: FORK_EXPECTED ? this.slotsPerProcess : 1,
      forks: FORK_EXPECTED,
      served: 0,
      jobs: new Map(),
      startTimer: undefined,
      stdoutBuffer: "",
      stderrTail: "",
      exited: new Promise((resolve) => (markExited = resolve)),
    };
    this.workers.add(worker);
    this.pendingExits.add(worker.exited);
    void worker.exited.then(() => this.pendingExits.delete(worker.exited));
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
    return worker;
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
    const parsed = responseSchema.safeParse(message);
    const job = parsed.success && parsed.data.id !== null ? worker.jobs.get(parsed.data.id) : undefined;
    if (!parsed.success || !job) {
      worker.stderrTail += `\nunexpected answer: ${line.slice(0, 200)}`;
      this.stop(worker, "kill", `analyzer worker gave an unexpected answer: ${line.slice(0, 200)}`);
      this.dispatch();
      return;
    }
    worker.jobs.delete(job.id);
    clearTimeout(job.timer);
    if (!job.cancelled) {
      const { pylint, bandit, banditErrors, error } = parsed.data;
      this.resolveJob(job, { pylint, bandit, banditErrors, error });
    }
    worker.served += 1;
    if (worker.state === "ready" && worker.served >= this.recycleAfter) worker.state = "draining";
    if (worker.state === "draining" && worker.jobs.size === 0) this.stop(worker, "graceful");
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
    const { python, pylint, bandit, forks } = ready.data;
    this.versions ??= { python, pylint, bandit };
    worker.forks = forks;
    worker.slots = forks ? this.slotsPerProcess : 1;
    worker.state = "ready";
    this.dispatch();
  }

  private send(worker: Worker, job: Job): void {
    const id = this.nextId++;
    const running: RunningJob = {
      ...job,
      id,
      startedAt: performance.now(),
      cancelled: false,
      timer: setTimeout(() => this.onTimeout(worker, running), this.timeoutMs),
    };
    worker.jobs.set(id, running);
    worker.subprocess.stdin?.write(`${JSON.stringify({ id, path: job.path })}\n`);
  }

  private onTimeout(worker: Worker, job: RunningJob): void {
    this.resolveJob(job, { error: `pylint/bandit timed out after ${this.timeoutMs / 1000}s` });
    if (worker.forks) {
      // Only this file's child is killed; the slot is free when the worker confirms it.
      job.cancelled = true;
      job.timer = setTimeout(() => {
        worker.stderrTail += `\nno answer to a cancel within ${this.cancelGraceMs / 1000}s`;
        this.stop(worker, "kill", "the analyzer worker stopped answering");
        this.dispatch();
      }, this.cancelGraceMs);
      worker.subprocess.stdin?.write(`${JSON.stringify({ cancel: job.id })}\n`);
    } else {
      // The worker analyzes the file itself: stopping the analysis means stopping the worker.
      worker.jobs.delete(job.id);
      this.stop(worker, "kill");
      this.dispatch();
    }
  }

  private resolveJob(job: RunningJob, outcome: Partial<Omit<AnalysisResult, "elapsedMs">>): void {
    clearTimeout(job.timer);
    job.resolve({
      pylint: outcome.pylint ?? [],
      bandit: outcome.bandit ?? [],
      banditErrors: outcome.banditErrors ?? [],
      error: outcome.error ?? null,
      elapsedMs: Math.round(performance.now() - job.startedAt),
    });
  }

  /** Ends the files in flight on the worker with `error` (unless already answered) and forgets them. */
  private failJobs(worker: Worker, error: string): void {
    for (const job of worker.jobs.values()) {
      if (job.cancelled) clearTimeout(job.timer);
      else this.resolveJob(job, { error });
    }
    worker.jobs.clear();
  }

  /**
   * Takes the worker out of service: "graceful" closes its stdin, "kill" signals it; either way
   * it kills the analyses it has in flight. Those files end with `error`, or at its exit.
   */
  private stop(worker: Worker, how: "graceful" | "kill", error?: string): void {
    clearTimeout(worker.startTimer);
    const wasStarting = worker.state === "starting";
    worker.state = "gone";
    this.workers.delete(worker);
    if (error !== undefined) this.failJobs(worker, error);
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
    this.failJobs(worker, `analyzer worker crashed (${describeExit(result)}): ${lastLine(worker.stderrTail)}`);
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
    const someoneStarted = [...this.workers].some((other) => other.state === "ready");
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
