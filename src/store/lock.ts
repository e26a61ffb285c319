import { constants } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { CliError, ExitCode, usageError } from "../errors.js";

/** `<out>/.codeenhancer/lock`: who is writing to this output folder. */
export function lockFile(outDir: string): string {
  return path.join(outDir, ".codeenhancer", "lock");
}

const lockInfoSchema = z.object({ pid: z.number().int(), host: z.string(), command: z.string(), started: z.string() });
export type LockInfo = z.infer<typeof lockInfoSchema>;

export interface LockOptions {
  command: string;
  /** Wait for the holder to finish instead of refusing (--wait-lock). */
  wait: boolean;
  /** Aborted (Ctrl-C): stop waiting. */
  signal?: AbortSignal;
  /** Said once when the run starts waiting. */
  onWait?: (holder: LockInfo) => void;
  /** How the output folder is named in messages (e.g. "--out baseline"). */
  label: string;
  pollMs?: number;
}

/**
 * Takes the output folder's lock, so that two runs never do the same work twice: the lock file
 * holds the holder's pid, and a lock whose process is gone (same host) is stale and taken over.
 * Returns the function that releases it.
 */
export async function acquireOutputLock(outDir: string, options: LockOptions): Promise<() => Promise<void>> {
  const file = lockFile(outDir);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), command: options.command, started: new Date().toISOString() };
  let announced = false;
  for (;;) {
    // Made again on every try: the holder removes the folder when it releases an otherwise empty one.
    await fs.mkdir(path.dirname(file), { recursive: true });
    if (await tryCreate(file, mine)) {
      return async () => {
        // Only our own lock is removed (a stale-lock takeover could have replaced it).
        const current = await readLock(file);
        if (current?.pid === mine.pid && current.started === mine.started) await fs.rm(file, { force: true });
        // Leave no state folder behind when nothing else is in it.
        await fs.rmdir(path.dirname(file)).catch(() => {});
      };
    }
    const holder = await readLock(file);
    if (holder === undefined) {
      // Being written this very moment, or garbage: garbage older than a few seconds is removed.
      const age = await fs.stat(file).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 5000) await fs.rm(file, { force: true });
    } else if (isStale(holder)) {
      await fs.rm(file, { force: true });
      continue;
    } else if (!options.wait) {
      throw usageError(
        `${options.label} is in use by another codeenhancer run (${describeHolder(holder)})`,
        `wait for it to end, or pass --wait-lock to wait; if no such run exists, remove ${file}`,
      );
    } else if (!announced) {
      announced = true;
      options.onWait?.(holder);
    }
    if (options.signal?.aborted) throw new CliError(`interrupted while waiting for ${options.label}`, { exitCode: ExitCode.interrupted });
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}

export function describeHolder(holder: LockInfo): string {
  return `pid ${holder.pid} on ${holder.host}, ${holder.command}, started ${holder.started}`;
}

async function tryCreate(file: string, info: LockInfo): Promise<boolean> {
  let handle;
  try {
    handle = await fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(info)}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

async function readLock(file: string): Promise<LockInfo | undefined> {
  try {
    const parsed = lockInfoSchema.safeParse(JSON.parse(await fs.readFile(file, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A lock left by a process that is gone. Another host's lock cannot be checked, so it is never stale. */
function isStale(holder: LockInfo): boolean {
  if (holder.host !== os.hostname()) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
