import path from "node:path";
import fs from "fs-extra";
import writeFileAtomic from "write-file-atomic";
import type { z } from "zod";

/** Writes a file atomically (temp file + fsync + rename), creating its folder; strings as UTF-8. */
export async function writeTextAtomic(file: string, content: string | Buffer): Promise<void> {
  await fs.ensureDir(path.dirname(file));
  await writeFileAtomic(file, content, typeof content === "string" ? { encoding: "utf8" } : {});
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
