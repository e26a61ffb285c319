import fs from "fs-extra";
import { z } from "zod";
import { usageError } from "../errors.js";
import { writeJsonAtomic } from "../store/atomic.js";
import { generateLayout } from "../store/layout.js";
import { testSpecSchema } from "./test-spec.js";
import type { TestSpec } from "./types.js";

/** `<out>/tests/<id>.json`: an item's tests, kept by generate for validate. */
export const testSidecarSchema = z.object({ id: z.string(), tests: testSpecSchema });
export type TestSidecar = z.infer<typeof testSidecarSchema>;

export async function writeTestSidecar(outDir: string, id: string, tests: TestSpec): Promise<void> {
  await writeJsonAtomic(generateLayout(outDir).tests(id), testSidecarSchema, { id, tests });
}

/**
 * The tests generate kept for `id`, or undefined when it kept none. A sidecar that is there but
 * does not read back is a usage error naming the file: silently dropping tests would let
 * untested code pass.
 */
export async function readTestSidecar(outDir: string, id: string): Promise<TestSpec | undefined> {
  const file = generateLayout(outDir).tests(id);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw usageError(`${file}: cannot read: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file}: invalid JSON: ${(error as Error).message}`, "delete it, or run generate again with --force");
  }
  const parsed = testSidecarSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw usageError(`${file}: ${issue?.path.join(".") || "the file"}: ${issue?.message ?? "is invalid"}`, "delete it, or run generate again with --force");
  }
  if (parsed.data.id !== id) throw usageError(`${file}: holds the tests of ${JSON.stringify(parsed.data.id)}, not ${JSON.stringify(id)}`);
  return parsed.data.tests;
}

/** Writes the item's sidecar, or removes a stale one when the item no longer carries tests. */
export async function syncTestSidecar(outDir: string, id: string, tests: TestSpec | undefined): Promise<void> {
  if (tests) await writeTestSidecar(outDir, id, tests);
  else await fs.rm(generateLayout(outDir).tests(id), { force: true });
}
