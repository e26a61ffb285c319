import cliProgress from "cli-progress";
import type { Logger } from "./log.js";

export interface Progress {
  tick(status: string): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; nothing otherwise (logs and CI stay clean). */
export function createProgress(logger: Logger, label: string, total: number): Progress {
  if (!logger.interactive || total === 0) return { tick() {}, stop() {} };
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
