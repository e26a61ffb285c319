import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import fs from "fs-extra";
import { z } from "zod";
import { HARNESS_DIR, serverBwrapArgs, spawnIds, dropToNobody, type SandboxPython } from "./bwrap.js";
import type { TestSpec } from "./types.js";

// One long-lived bubblewrap sandbox running python/test_server.py, which forks a fresh, isolated
// process per test run (its own mount, PID, network and IPC namespaces, its own /sandbox). A run
// then costs a fork, not a sandbox and a Python start: about 5 ms instead of about 50.

const PYTHON_DIR = fileURLToPath(new URL("../../python/", import.meta.url));
const SCRIPTS = ["test_server.py", "test_harness.py"];
/** How long the server may take to start (Python, the harness, a few standard modules). */
const START_TIMEOUT_MS = 15_000;
/** Beyond a run's own timeout, how long the server may take to report it before it is replaced. */
const REPORT_GRACE_MS = 10_000;

export interface RunRequest {
  /** Files of the run's working folder, bound read-only there: solution.py, test_solution.py. */
  files: Record<string, string>;
  spec: TestSpec;
  /** setrlimit names and values, set before the solution is imported. */
  rlimits: Record<string, number>;
  timeoutMs: number;
  /** Size of the run's /sandbox tmpfs (and of its /dev/shm), bytes. */
  workBytes: number;
  /** Bytes of harness output kept; more and the run is killed. */
  capBytes: number;
}

export interface RunEnding {
  /** The harness's JSON lines, cut at capBytes. */
  out: string;
  exit: number | null;
  /** Name of the signal that ended the run's process, if one did. */
  signal: string | null;
  timedOut: boolean;
  overflow: boolean;
}

const messageSchema = z.union([
  z.object({ ready: z.string() }),
  z.object({ id: z.number(), error: z.string() }),
  z.object({
    id: z.number(),
    out: z.string(),
    exit: z.number().nullable(),
    signal: z.number().nullable(),
    timed_out: z.boolean(),
    overflow: z.boolean(),
    killed: z.boolean(),
  }),
]);

interface Pending {
  resolve(ending: RunEnding): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class SandboxServer {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped: Error | undefined;

  private constructor(
    private readonly child: ResultPromise,
    /** The Python version the server runs. */
    readonly pythonVersion: string,
  ) {}

  /**
   * Starts the server; rejects with bwrap's or Python's last words if the sandbox cannot be made
   * (no user namespaces, a kernel that refuses them to unprivileged users, no Python inside).
   */
  static async start(bwrap: string, python: SandboxPython): Promise<SandboxServer> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "codeenhancer-sandbox-"));
    try {
      // Run as root, bwrap runs as nobody and must list and read these (Python's import lists the
      // folder); they are our own scripts, and gone once Python has read them.
      if (dropToNobody()) await fs.chmod(dir, 0o755);
      for (const script of SCRIPTS) await fs.writeFile(path.join(dir, script), scriptText(script), { mode: 0o644 });
      const command = [python.executable, "-I", "-B", path.posix.join(HARNESS_DIR, "test_server.py")];
      const child = execa(bwrap, serverBwrapArgs({ harnessDir: dir, python }, command), {
        ...spawnIds(),
        reject: false,
        extendEnv: false,
        // bwrap itself gets nothing of ours: the sandbox's environment is the one its arguments set.
        env: { PATH: "/usr/bin:/bin" },
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
        buffer: { stdout: false, stderr: true },
        maxBuffer: { stderr: 64 * 1024 },
        encoding: "utf8",
        cwd: os.tmpdir(),
        killSignal: "SIGKILL",
        forceKillAfterDelay: false,
      });
      // A server that died mid-write must not take codeenhancer down with an EPIPE.
      child.stdin.on("error", () => undefined);
      const lines = createInterface({ input: child.stdout });
      const ready = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`the test sandbox did not start within ${START_TIMEOUT_MS / 1000} s`));
        }, START_TIMEOUT_MS);
        lines.once("line", (line) => {
          clearTimeout(timer);
          const parsed = messageSchema.safeParse(safeJson(line));
          if (parsed.success && "ready" in parsed.data) resolve(parsed.data.ready);
          else reject(new Error(`the test sandbox said ${JSON.stringify(line.slice(0, 200))} instead of starting`));
        });
        void child.then((result) => {
          clearTimeout(timer);
          const said = lastLine(String(result.stderr ?? "")) || `exit status ${result.exitCode ?? result.signal ?? "none"}`;
          reject(new Error(said));
        });
      });
      const server = new SandboxServer(child, ready);
      lines.on("line", (line) => server.receive(line));
      void child.then((result) => {
        const said = lastLine(String(result.stderr ?? ""));
        server.stop(new Error(`the test sandbox stopped unexpectedly${said ? `: ${said}` : ` (exit ${result.exitCode ?? result.signal ?? "none"})`}`));
      });
      return server;
    } finally {
      await fs.remove(dir);
    }
  }

  /** Whether the server can take runs (it has not stopped or been closed). */
  get alive(): boolean {
    return this.stopped === undefined;
  }

  /** Runs one request in its own process and namespaces; rejects on abort or when the server fails. */
  run(request: RunRequest, signal?: AbortSignal): Promise<RunEnding> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const id = this.nextId++;
    return new Promise<RunEnding>((resolve, reject) => {
      const onAbort = () => {
        this.settle(id);
        this.send({ op: "cancel", id });
        reject(abortReason(signal));
      };
      // The server kills a run at its timeout; one that does not report long after is stuck.
      const timer = setTimeout(() => this.stop(new Error("the test sandbox stopped answering; it was restarted")), request.timeoutMs + REPORT_GRACE_MS);
      timer.unref();
      this.pending.set(id, {
        resolve: (ending) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(ending);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
        timer,
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      this.send({
        op: "run",
        id,
        files: request.files,
        spec: request.spec,
        limits: request.rlimits,
        timeout: request.timeoutMs / 1000,
        work_bytes: request.workBytes,
        cap: request.capBytes,
      });
    });
  }

  /** Kills the server, and with it every run in flight. */
  async close(): Promise<void> {
    this.stop(new Error("the test runner is closed"));
    await this.child.catch(() => undefined);
  }

  private send(message: object): void {
    if (!this.stopped) this.child.stdin?.write(`${JSON.stringify(message)}\n`);
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
    }
    return pending;
  }

  private receive(line: string): void {
    const parsed = messageSchema.safeParse(safeJson(line));
    if (!parsed.success || "ready" in parsed.data) {
      this.stop(new Error(`the test sandbox sent something unexpected: ${JSON.stringify(line.slice(0, 200))}`));
      return;
    }
    const message = parsed.data;
    const pending = this.settle(message.id);
    if (!pending) return; // cancelled: nobody waits for it
    if ("error" in message) {
      pending.reject(new Error(message.error));
      return;
    }
    pending.resolve({
      out: message.out,
      exit: message.exit,
      signal: message.signal === null ? null : signalName(message.signal),
      timedOut: message.timed_out,
      overflow: message.overflow,
    });
  }

  private stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.child.kill("SIGKILL");
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(reason);
  }
}

function scriptText(name: string): string {
  let text = scripts.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(PYTHON_DIR, name), "utf8");
    scripts.set(name, text);
  }
  return text;
}
const scripts = new Map<string, string>();

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error("test run aborted");
}

function signalName(number: number): string {
  const entry = Object.entries(os.constants.signals).find(([, value]) => value === number);
  return entry?.[0] ?? `signal ${number}`;
}

export function lastLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .at(-1)
      ?.replace(/^bwrap: /, "")
      .trim() ?? ""
  );
}
