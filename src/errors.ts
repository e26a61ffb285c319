/** Exit codes: the contract documented in the README and in `--help`. */
export const ExitCode = {
  ok: 0,
  itemsFailed: 1,
  usage: 2,
  dependency: 3,
  internal: 70,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The one user-facing error: a message of one line, an exit code and an optional hint.
 * Anything else that reaches cli.ts is a bug and is reported with its stack.
 */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: ExitCodeValue; hint?: string } = {}) {
    super(message);
    this.name = "CliError";
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, { exitCode: ExitCode.usage, ...(hint ? { hint } : {}) });
}

export function dependencyError(message: string, hint?: string): CliError {
  return new CliError(message, { exitCode: ExitCode.dependency, ...(hint ? { hint } : {}) });
}

/** A short, one-line description of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}

/**
 * Thrown by the model client (or an item) when the run has spent its budget: the item is left
 * unfinished (a re-run resumes it), nothing new starts, and items in flight may still finish.
 */
export class BudgetExceededError extends Error {
  constructor(message = "the run's budget is spent") {
    super(message);
    this.name = "BudgetExceededError";
  }
}
