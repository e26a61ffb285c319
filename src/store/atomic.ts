import path from "node:path";
import fs from "fs-extra";
import writeFileAtomic from "write-file-atomic";
import type { z } from "zod";

/** Folders known to exist: a long run writes thousands of files into a handful of folders. */
const knownDirs = new Set<string>();

/** Writes a file atomically (temp file + fsync + rename), creating its folder; strings as UTF-8. */
export async function writeTextAtomic(file: string, content: string | Buffer): Promise<void> {
  const dir = path.dirname(file);
  const options = typeof content === "string" ? { encoding: "utf8" as const } : {};
  if (!knownDirs.has(dir)) {
    await fs.ensureDir(dir);
    knownDirs.add(dir);
  }
  try {
    await writeFileAtomic(file, content, options);
  } catch (error) {
    // The folder was removed under us: make it again, once.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    await fs.ensureDir(dir);
    await writeFileAtomic(file, content, options);
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
