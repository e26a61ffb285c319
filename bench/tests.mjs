// Bench section "tests": sandboxed test runs per second (src/sandbox), a fresh process and
// namespaces per run in the warm sandbox, as validate makes them. Imported by bench/run.mjs; reads the built dist/.
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { ROOT, round } from "./procs.mjs";

const SOLUTION = "import heapq\n\ndef heap_queue_largest(nums, n):\n    return heapq.nlargest(n, nums)\n";
const SPEC = {
  kind: "mbpp",
  test_list: [
    "assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],3)==[85, 75, 65]",
    "assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],2)==[85, 75]",
    "assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],5)==[85, 75, 65, 58, 35]",
  ],
  test_imports: [],
  test_setup_code: "",
};

/** Runs `runs` sandboxed MBPP runs at each concurrency; returns runs per second and latency. */
export async function benchTests({ python, runs, log }) {
  const sandbox = await import(pathToFileURL(path.join(ROOT, "dist", "sandbox", "index.js")).href);
  const status = await sandbox.sandboxStatus(python);
  if (!status.ok) throw new Error(`no test sandbox: ${status.reason}`);
  const out = { sandbox: status.detail, levels: [] };
  // 1, the core count (validate's default) and twice that: part of a run is waiting, not CPU.
  for (const concurrency of [1, os.availableParallelism(), 2 * os.availableParallelism()]) {
    const runner = await sandbox.createTestRunner({ python, concurrency });
    try {
      await runner.run(SOLUTION, SPEC); // warm the page cache
      // `concurrency` workers, each running its share one after another: latency excludes queueing.
      const latencies = [];
      const all = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (all.length < runs) {
            const t = performance.now();
            const pending = runner.run(SOLUTION, SPEC);
            all.push(pending);
            await pending;
            latencies.push(performance.now() - t);
          }
        }),
      );
      const done = await Promise.all(all);
      const wallMs = performance.now() - started;
      const passed = done.filter((r) => r.passed === r.total && r.total === 3).length;
      if (passed !== runs) throw new Error(`${runs - passed} of ${runs} runs did not pass: ${done.find((r) => r.passed !== r.total)?.output}`);
      latencies.sort((a, b) => a - b);
      const level = {
        concurrency,
        runs,
        wallMs: round(wallMs),
        runsPerSecond: round((runs * 1000) / wallMs, 2),
        medianMs: round(latencies[Math.floor(runs / 2)]),
      };
      log(`tests: concurrency ${concurrency}: ${level.runsPerSecond} runs/s (median ${level.medianMs} ms per run)`);
      out.levels.push(level);
    } finally {
      await runner.close();
    }
  }
  return out;
}
