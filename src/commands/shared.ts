import path from "node:path";
import { text } from "node:stream/consumers";
import fs from "fs-extra";
import { registerSecret, usageError } from "../errors.js";
import { acquireOutputLock, describeHolder } from "../store/lock.js";
import type { CliContext } from "./context.js";

/**
 * The API key comes from the environment only, never from a flag or a file. It is checked before
 * anything else uses it, and registered so that every message printed or written has it redacted.
 */
export function requireApiKey(ctx: CliContext): string {
  const key = ctx.env.OPENAI_API_KEY?.trim();
  if (!key) {
    throw usageError("OPENAI_API_KEY is not set", "export OPENAI_API_KEY=... (any non-empty value for a local server that ignores keys)");
  }
  registerSecret(key);
  const problem = apiKeyProblem(key);
  if (problem) throw usageError(`OPENAI_API_KEY ${problem}`, "set it to the key alone, on one line (the value is not shown)");
  return key;
}

/** Why a key cannot be sent in an HTTP header, or undefined; never says the key itself. */
function apiKeyProblem(key: string): string | undefined {
  // An Authorization header value is visible ASCII; anything else would be refused by fetch or
  // echoed back in its error message.
  const at = [...key].findIndex((c) => c < "!" || c > "~");
  if (at === -1) return undefined;
  const c = key.codePointAt(at) ?? 0;
  const what = c === 10 || c === 13 ? "a line break" : c === 32 || c === 9 ? "a space or tab" : c < 32 || c === 127 ? "a control character" : "a non-ASCII character";
  return `contains ${what} (character ${at + 1}): it cannot be sent in an HTTP header`;
}

/** Checks --base-url / OPENAI_BASE_URL (already merged by precedence); undefined means OpenAI's own. */
export function resolveBaseUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw usageError(`invalid base URL ${JSON.stringify(value)} (--base-url or OPENAI_BASE_URL): expected http(s)://host[:port]/v1`);
  }
  return value;
}

// statfs f_type of kernel pseudo-filesystems (linux/magic.h): no output belongs there, and Node's
// recursive mkdir spins forever under /proc.
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x1cd1, "devpts"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0xcafe4a11, "bpf"],
  [0x6165676c, "pstore"],
  [0x62656570, "configfs"],
  [0x65735543, "fusectl"],
  [0xde5e81e4, "efivarfs"],
  [0x42494e4d, "binfmt_misc"],
]);

/**
 * Creates `dir` if needed and proves it is writable, before any work starts. The first folder of
 * its path that exists is checked first: a real folder on a normal filesystem, so that nothing is
 * attempted under /proc or /sys.
 */
export async function ensureWritableDir(dir: string, flagLabel: string): Promise<void> {
  let existing = dir;
  for (;;) {
    const stat = await fs.promises.stat(existing).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : error));
    if (stat instanceof Error) throw usageError(`cannot write to ${flagLabel} ${dir} (${(stat as NodeJS.ErrnoException).code ?? "error"} at ${existing})`);
    if (stat) {
      if (!stat.isDirectory()) throw usageError(`cannot write to ${flagLabel} ${dir}: ${existing} is a file, not a folder`);
      break;
    }
    if (path.dirname(existing) === existing) break;
    existing = path.dirname(existing);
  }
  const type = await fs.promises.statfs(existing).then((s) => PSEUDO_FILESYSTEMS.get(s.type), () => undefined);
  if (type) throw usageError(`cannot write to ${flagLabel} ${dir}: ${existing} is on the kernel's ${type} pseudo-filesystem; choose a normal folder`);
  try {
    await fs.ensureDir(dir);
    const probe = path.join(dir, `.codeenhancer-write-test-${process.pid}`);
    await fs.writeFile(probe, "");
    await fs.remove(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw usageError(`cannot write to ${flagLabel} ${dir} (${code})`);
  }
}

/**
 * Takes the lock of the output folder for the whole run (two runs on one --out would do
 * everything twice); with `wait`, waits for the other run instead of refusing. Returns the release.
 */
export async function lockOutput(ctx: CliContext, outDir: string, out: string, command: string, wait: boolean): Promise<() => Promise<void>> {
  return acquireOutputLock(outDir, {
    command,
    wait,
    signal: ctx.stop,
    label: `--out ${out}`,
    onWait: (holder) => ctx.stderr.write(`codeenhancer: waiting for the run writing to --out ${out} (${describeHolder(holder)})\n`),
  });
}

/** Reads a file named by a flag, or standard input for "-", with one-line errors naming it. */
export async function readInput(file: string, ctx: CliContext, flagLabel: string): Promise<{ text: string; source: string }> {
  if (file === "-") return { text: await text(ctx.stdin), source: "<stdin>" };
  const resolved = path.resolve(ctx.cwd, file);
  try {
    return { text: await fs.readFile(resolved, "utf8"), source: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw usageError(`${flagLabel} file not found: ${file}`);
    if (code === "EISDIR") throw usageError(`${flagLabel} ${file} is a directory, not a file`);
    throw usageError(`cannot read ${flagLabel} file ${file} (${code ?? "error"})`);
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** `12 call(s) (2 cut short)`: every call made, also those Ctrl-C or the time budget cut short. */
export function formatCalls(activity: { calls: number; cutShort: number }): string {
  return `${activity.calls} call(s)${activity.cutShort > 0 ? ` (${activity.cutShort} cut short)` : ""}`;
}

export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
}
