/** Exit codes: the contract documented in the README and in `--help`. */
export const ExitCode = {
  ok: 0,
  itemsFailed: 1,
  usage: 2,
  dependency: 3,
  budget: 4,
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

/** A short, one-line description of anything thrown, with anything key-like redacted. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return redactSecrets(error.message.split("\n")[0] ?? error.name);
  return redactSecrets(String(error));
}

const secrets = new Set<string>();

/** Remembers a secret (the API key) so that redactSecrets removes it from every message. */
export function registerSecret(secret: string): void {
  // Each line too: a key with a newline in it shows up split in messages.
  for (const part of [secret, ...secret.split(/\s+/)]) if (part.length >= 8) secrets.add(part);
}

/**
 * Removes the registered secrets and anything that looks like a key (sk-..., Bearer tokens,
 * api_key=...) from a message that is about to reach a file or the terminal.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join("[redacted]");
  return out
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, "$1 [redacted]")
    .replace(/\b(sk|rk|pk)-[A-Za-z0-9_-]{6,}/g, "$1-[redacted]")
    .replace(/\b(api[_-]?key|authorization|x-api-key)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, "$1$2[redacted]");
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

/**
 * Thrown by an item that the run stopped (Ctrl-C) before it asked the model anything: it has done
 * nothing that counts, so it is not recorded and the next run does it.
 */
export class ItemWithdrawnError extends Error {
  constructor() {
    super("the run stopped before this item started");
    this.name = "ItemWithdrawnError";
  }
}

/** Errors an item must not record as its own failure: they stop the whole run (a fatal fault, the budget, Ctrl-C). */
export function stopsTheRun(error: unknown): boolean {
  return error instanceof CliError || error instanceof BudgetExceededError || error instanceof ItemWithdrawnError;
}
