import type { Readable, Writable } from "node:stream";
import type { Command } from "commander";

/** What a command gets from the outside world; only cli.ts builds it from `process`. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  /** Aborted at the first Ctrl-C/SIGTERM: start nothing new. */
  stop: AbortSignal;
  /** Aborted a few seconds after `stop`: abandon calls still in flight. */
  abort: AbortSignal;
}

/**
 * Each command module exports one of these. Its action reports the exit code through `done`;
 * errors are thrown (CliError for the user's) and mapped to exit codes by cli.ts alone.
 */
export type RegisterCommand = (program: Command, ctx: CliContext, done: (exitCode: number) => void) => void;
