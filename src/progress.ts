import cliProgress from "cli-progress";
import type { RunSpend } from "./llm/meter.js";
import type { Logger } from "./log.js";

export interface Progress {
  tick(status: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** The model calls so far, shown on each line. */
  activity?: Readonly<Pick<RunSpend, "calls" | "inFlight" | "usage">> | undefined;
  /** How often a line is printed when stderr is not a terminal (default 10 s). */
  intervalMs?: number;
}

/**
 * A progress bar on stderr when it is a terminal. Otherwise (CI, a log file, `2>&1 | tee`) one line
 * every ~10 s, so that a long run on a slow server never looks hung: done/total, calls in flight,
 * calls made, tokens, time so far. Nothing with --quiet.
 */
export function createProgress(logger: Logger, label: string, total: number, options: ProgressOptions = {}): Progress {
  if (total === 0) return { tick() {}, stop() {} };
  if (!logger.interactive) return createProgressLines(logger, label, total, options);
  const bar = new cliProgress.SingleBar(
    {
      stream: logger.stream as NodeJS.WriteStream,
      format: `${label} [{bar}] {value}/{total} | {eta_formatted} left | last: {status}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { status: "-" });
  return {
    tick(status) {
      bar.increment(1, { status });
    },
    stop() {
      bar.stop();
    },
  };
}

function createProgressLines(logger: Logger, label: string, total: number, options: ProgressOptions): Progress {
  const started = Date.now();
  let done = 0;
  const timer = setInterval(() => logger.info(formatProgressLine(label, done, total, Date.now() - started, options.activity)), options.intervalMs ?? 10_000);
  // The line is for people watching; it never keeps the process alive.
  timer.unref();
  return {
    tick() {
      done += 1;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export function formatProgressLine(label: string, done: number, total: number, elapsedMs: number, activity?: Readonly<Pick<RunSpend, "calls" | "inFlight" | "usage">>): string {
  const parts = [`${label}: ${done}/${total} done`];
  if (activity) {
    parts.push(`${activity.inFlight} call(s) in flight`, `${activity.calls} call(s), ${activity.usage.total_tokens} tokens`);
  }
  parts.push(formatElapsed(elapsedMs));
  return parts.join(" | ");
}

function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
