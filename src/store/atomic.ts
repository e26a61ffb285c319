import path from "node:path";
import fs from "fs-extra";
import type { z } from "zod";

/** Folders known to exist: a long run writes thousands of files into a handful of folders. */
const knownDirs = new Set<string>();

let sequence = 0;

/** A temporary name beside `file` (same file system, so the rename is atomic), unique in this process. */
export function tempPathFor(file: string): string {
  sequence += 1;
  return `${file}.${process.pid}.${sequence}.tmp`;
}

/**
 * Writes a file atomically, creating its folder; strings as UTF-8. The data goes to a temporary
 * file, is flushed to disk, then renamed over `file`: a reader, or a run killed at any moment,
 * sees the old file or the new one, never a part.
 *
 * This is write-file-atomic's method without its per-write realpath, stat, chown and chmod calls
 * and per-call promisify: measured on 10,000-item runs, those made a third of the CLI's CPU time and
 * of its garbage, which is what limited throughput and set the peak RSS (`npm run bench`, section 4).
 */
export async function writeTextAtomic(file: string, content: string | Buffer): Promise<void> {
  const dir = path.dirname(file);
  if (!knownDirs.has(dir)) {
    await fs.ensureDir(dir);
    knownDirs.add(dir);
  }
  try {
    await writeThenRename(file, content);
  } catch (error) {
    // The folder was removed under us: make it again, once.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await fs.ensureDir(dir);
    await writeThenRename(file, content);
  }
}

async function writeThenRename(file: string, content: string | Buffer): Promise<void> {
  const temp = tempPathFor(file);
  try {
    await fs.promises.writeFile(temp, content, { flush: true });
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
}

/** Validates `value` with `schema`, then writes it as pretty JSON, atomically. */
export async function writeJsonAtomic<S extends z.ZodType>(file: string, schema: S, value: z.input<S>): Promise<void> {
  const checked = schema.parse(value);
  await writeTextAtomic(file, `${JSON.stringify(checked, null, 2)}\n`);
}

/** Reads a JSON file through `schema`; undefined when it is missing or does not match. */
export async function readJsonIfValid<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S> | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
