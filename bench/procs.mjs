// Child processes for the bench: spawn with tracking (killed on exit), sample their memory and CPU
// from /proc, and run the fake OpenAI server with the bench's responder.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { clearInterval, clearTimeout, setInterval, setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(fileURLToPath(new URL("..", import.meta.url)));
const SERVE = path.join(ROOT, "test", "helpers", "serve-fake-openai.ts");
const RESPONDER = path.join(ROOT, "bench", "responder.ts");

// Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream kernel (getconf CLK_TCK).
const TICK_MS = 10;
const SAMPLE_MS = 100;
const TAIL_CHARS = 4000;

/** Every child still running; each leads its own process group (detached), killed as a group. */
const live = new Set();

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Kill what is still running (the bench is stopping). */
export function killAll(signal = "SIGTERM") {
  for (const child of live) killGroup(child, signal);
}

process.once("exit", () => killAll("SIGKILL"));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping child processes\n`);
    killAll("SIGTERM");
    setTimeout(() => process.exit(130), 1500).unref();
  });
}

function track(child) {
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

// ---- /proc sampling --------------------------------------------------------------------------

function readStatusKb(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
    return { hwm: field("VmHWM"), rss: field("VmRSS"), name: /^Name:\s+(.*)$/m.exec(text)?.[1] ?? "?" };
  } catch {
    return undefined;
  }
}

/** CPU ticks of the process itself and of its reaped children (utime, stime, cutime, cstime). */
function readCpuTicks(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces; fields after ")" start at field 3.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ").map(Number);
    return { self: (fields[11] ?? 0) + (fields[12] ?? 0), children: (fields[13] ?? 0) + (fields[14] ?? 0) };
  } catch {
    return undefined;
  }
}

/** CPU time of a running process so far (itself only), in ms. */
export function cpuMsOf(pid) {
  return (readCpuTicks(pid)?.self ?? 0) * TICK_MS;
}

function readPssKb(pid) {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function childrenOf(pid) {
  const pids = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (text) pids.push(...text.split(" ").map(Number));
    }
  } catch {
    // the process ended
  }
  return pids;
}

/**
 * Samples a process every 100 ms until stop(): its peak RSS (VmHWM) and CPU time, and the same for
 * its direct children (the analyzer workers), whose own forked children are summed into their PSS
 * while alive and into their CPU once reaped.
 */
export function sampleProcess(pid) {
  const self = { hwmKb: 0, cpuTicks: 0 };
  const children = new Map();
  let childrenPssPeakKb = 0;
  let samples = 0;
  const tick = () => {
    const status = readStatusKb(pid);
    if (!status) return;
    samples += 1;
    self.hwmKb = Math.max(self.hwmKb, status.hwm);
    self.cpuTicks = readCpuTicks(pid)?.self ?? self.cpuTicks;
    let pss = 0;
    for (const child of childrenOf(pid)) {
      const childStatus = readStatusKb(child);
      const cpu = readCpuTicks(child);
      if (!childStatus || !cpu) continue;
      const known = children.get(child) ?? { name: childStatus.name, hwmKb: 0, cpuTicks: 0 };
      known.hwmKb = Math.max(known.hwmKb, childStatus.hwm);
      known.cpuTicks = Math.max(known.cpuTicks, cpu.self + cpu.children);
      children.set(child, known);
      pss += readPssKb(child);
      for (const grandchild of childrenOf(child)) pss += readPssKb(grandchild);
    }
    childrenPssPeakKb = Math.max(childrenPssPeakKb, pss);
  };
  tick();
  const timer = setInterval(tick, SAMPLE_MS);
  return {
    tick,
    stop() {
      clearInterval(timer);
      const list = [...children.values()];
      return {
        samples,
        peakRssMb: round(self.hwmKb / 1024),
        cpuMs: self.cpuTicks * TICK_MS,
        children: {
          count: list.length,
          names: [...new Set(list.map((c) => c.name))],
          peakRssMbMax: round(Math.max(0, ...list.map((c) => c.hwmKb)) / 1024),
          pssPeakMbSum: round(childrenPssPeakKb / 1024),
          cpuMs: list.reduce((sum, c) => sum + c.cpuTicks, 0) * TICK_MS,
        },
      };
    },
  };
}

export function round(value, digits = 1) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

// ---- running commands ------------------------------------------------------------------------

/**
 * Runs a command to completion in its own process group; resolves with its exit code, wall time
 * and output tails, plus /proc samples when `sample` is set. Never rejects on a non-zero exit.
 */
export function run(command, args, { cwd, env, sample = false, timeoutMs = 3_600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = track(spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      stdout = (stdout + chunk).slice(-TAIL_CHARS * 4);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr = (stderr + chunk).slice(-TAIL_CHARS);
    });
    const sampler = sample && child.pid !== undefined ? sampleProcess(child.pid) : undefined;
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      sampler?.stop();
      reject(error);
    });
    child.once("exit", (code, signal) => {
      const wallMs = performance.now() - started;
      const usage = sampler?.stop();
      clearTimeout(timer);
      // Output may still be draining; wait for the pipes to close.
      child.once("close", () => resolve({ code, signal, wallMs, stdout, stderr, usage }));
    });
  });
}

/** Throws with the output tails when a command failed. */
export function check(result, what) {
  if (result.code === 0) return result;
  throw new Error(`${what} failed (exit ${result.code ?? result.signal}):\n${result.stderr.slice(-2000)}\n${result.stdout.slice(-1000)}`);
}

// ---- the fake OpenAI server ------------------------------------------------------------------

const servers = [];

/** What happened to the servers started since the last call: for a section that failed. */
export function takeServerReports() {
  return servers.splice(0).map((server) => server.report());
}

/** Starts test/helpers/serve-fake-openai.ts with bench/responder.ts; its calls are logged to callLog. */
export async function startServer({ latencyMs, callLog }) {
  const child = track(
    spawn(process.execPath, [SERVE, "--latency-ms", String(latencyMs), "--responder", RESPONDER], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", BENCH_CALL_LOG: callLog },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let stderr = "";
  let closing = false;
  let exit;
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-TAIL_CHARS);
  });
  child.once("exit", (code, signal) => {
    exit = { code, signal, expected: closing };
  });
  servers.push({ report: () => ({ latencyMs, exit: exit ?? "still running", stderr: stderr.slice(-1500) }) });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`fake server did not start:\n${stderr}`)), 30_000);
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`fake server exited (${code}):\n${stderr}`));
    });
  });
  return {
    url,
    pid: child.pid,
    close: () =>
      new Promise((resolve) => {
        closing = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        killGroup(child, "SIGTERM");
        setTimeout(() => killGroup(child, "SIGKILL"), 5000).unref();
      }),
  };
}

/** The calls the responder logged (`<epoch ms> <kind>` lines), from line `from` on. */
export function readCalls(callLog, from = 0) {
  let text;
  try {
    text = readFileSync(callLog, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter(Boolean)
    .slice(from)
    .map((line) => {
      const [t, kind] = line.split(" ");
      return { t: Number(t), kind: kind ?? "?" };
    });
}

export function countKinds(calls) {
  const counts = {};
  for (const call of calls) counts[call.kind] = (counts[call.kind] ?? 0) + 1;
  return counts;
}
