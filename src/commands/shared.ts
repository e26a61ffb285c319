import path from "node:path";
import { text } from "node:stream/consumers";
import fs from "fs-extra";
import { usageError } from "../errors.js";
import type { CliContext } from "./context.js";

/** The API key comes from the environment only, never from a flag or a file. */
export function requireApiKey(ctx: CliContext): string {
  const key = ctx.env.OPENAI_API_KEY?.trim();
  if (!key) {
    throw usageError("OPENAI_API_KEY is not set", "export OPENAI_API_KEY=... (any non-empty value for a local server that ignores keys)");
  }
  return key;
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

/** Creates `dir` if needed and proves it is writable, before any work starts. */
export async function ensureWritableDir(dir: string, flagLabel: string): Promise<void> {
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
