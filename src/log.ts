import type { Writable } from "node:stream";

/** Everything for people goes to stderr; stdout is reserved for results (--jsonl). */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  /** True when stderr is a terminal and --quiet is off: progress bars may be drawn. */
  readonly interactive: boolean;
  readonly stream: Writable;
}

export function createLogger(stream: Writable & { isTTY?: boolean }, options: { quiet: boolean }): Logger {
  return {
    info(line) {
      if (!options.quiet) stream.write(`${line}\n`);
    },
    warn(line) {
      stream.write(`warning: ${line}\n`);
    },
    interactive: Boolean(stream.isTTY) && !options.quiet,
    stream,
  };
}
