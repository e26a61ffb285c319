#!/usr/bin/env node
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import v8 from "node:v8";
import { Command, CommanderError } from "commander";
import { CliError, ExitCode, redactSecrets } from "./errors.js";
import type { CliContext } from "./commands/context.js";
import { registerGenerate } from "./commands/generate.js";
import { registerValidate } from "./commands/validate.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerExport } from "./commands/export.js";
import { registerFinetune } from "./commands/finetune.js";
import { registerCache } from "./commands/cache.js";
import { registerReport } from "./commands/report.js";

const EXIT_CODES_HELP = `
Exit codes:
  0    the run completed
  1    with --strict: some item ended in error, fail_docstring or unresolved
  2    usage, configuration or input error (nothing was sent to the API)
  3    an external dependency failed (API key refused, model or server not found, pylint/bandit missing,
       a fine-tuning job failed or the API refused it)
  4    stopped at the budget (--max-cost); run again with a higher --max-cost to continue
  130  interrupted (Ctrl-C or SIGTERM); run the same command again to resume
       (finetune: follow the job with --job <id>)`;

/** How long in-flight calls may finish after the first Ctrl-C before they are abandoned. */
const GRACE_MS = 4000;

export function buildProgram(ctx: CliContext, setExitCode: (code: number) => void): Command {
  const program = new Command("codeenhancer")
    .description("Make LLM-generated Python code safer and better: generate, validate (Pylint + Bandit + LLM judge), export, fine-tune.")
    .version(readVersion())
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .exitOverride();
  for (const register of [registerGenerate, registerValidate, registerReport, registerExport, registerFinetune, registerDoctor, registerCache]) register(program, ctx, setExitCode);
  for (const sub of program.commands) {
    sub.exitOverride().addHelpText("after", EXIT_CODES_HELP);
    for (const nested of sub.commands) nested.exitOverride();
  }
  return program;
}

function readVersion(): string {
  // dist/cli.js and src/cli.ts both sit one folder below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(ctx, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    return reportError(error, ctx);
  }
}

function reportError(error: unknown, ctx: CliContext): number {
  if (error instanceof CommanderError) {
    // commander already printed its message; --help and --version exit 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof CliError) {
    ctx.stderr.write(`codeenhancer: ${redactSecrets(error.message)}\n`);
    if (error.hint) ctx.stderr.write(`hint: ${redactSecrets(error.hint)}\n`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  ctx.stderr.write(`codeenhancer: internal error, please report it with this trace:\n${redactSecrets(stack)}\n`);
  return ExitCode.internal;
}

function installSignals(): Pick<CliContext, "stop" | "abort"> {
  const stop = new AbortController();
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      // A second Ctrl-C: leave at once. Every file is written atomically, so nothing is corrupted.
      process.stderr.write("\ncodeenhancer: interrupted again, exiting now\n");
      process.exit(ExitCode.interrupted);
    }
    process.stderr.write(`\ncodeenhancer: ${signal}: finishing in-flight work (Ctrl-C again to quit now)\n`);
    stop.abort();
    setTimeout(() => abort.abort(), GRACE_MS).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return { stop: stop.signal, abort: abort.signal };
}

/**
 * stdout for the commands: when the reader goes away (`codeenhancer generate --jsonl | head -1`),
 * the result lines stop and the run goes on to write its summaries, instead of dying of EPIPE.
 */
function guardStdout(): { stream: Writable; closed: () => boolean } {
  let closed = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  };
  process.stdout.on("error", onError);
  // A closed stderr is no reason to stop either.
  process.stderr.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  const stream = new Writable({
    // Handed on at once (process.stdout buffers), so nothing waits here when the run exits.
    write(chunk: Buffer, _encoding, callback) {
      if (!closed) process.stdout.write(chunk);
      callback();
    },
  });
  return { stream, closed: () => closed };
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the CLI on this process (bin.ts, after its Node version check, or `node dist/cli.js`). */
export async function runFromCommandLine(): Promise<void> {
  // A long run allocates fast but keeps little alive (~50 MB), and V8's defaults let the heap grow
  // to several times that: 10,000-item runs peaked at 380-430 MB RSS. A gentler old-space growth and
  // a young generation that does not grow keep them near 160 MB, for ~0.2 ms more CPU per item
  // (`npm run bench`, section 4). V8 reads both flags when it resizes, so setting them here works.
  v8.setFlagsFromString("--heap-growing-percent=20");
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  const stdout = guardStdout();
  const ctx: CliContext = {
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: stdout.stream,
    stderr: process.stderr,
    ...installSignals(),
  };
  const code = await main(process.argv.slice(2), ctx);
  process.exitCode = code;
  // Let stdout drain, then exit even if a keep-alive socket or a worker would keep us alive.
  if (stdout.closed()) process.exit(code);
  process.stdout.write("", () => process.exit(code));
}

if (isEntryPoint()) await runFromCommandLine();
