import { z } from "zod";
import { parseTestSpec, TestSpecError } from "../sandbox/test-spec.js";
import type { TestSpec } from "../sandbox/types.js";
import { unsafeIdReason } from "../store/ids.js";

export interface DatasetItem {
  id: string;
  prompt: string;
  /** Position in the dataset (0-based), for the default id and dataset-order output. */
  index: number;
  /** The item's unit tests, when it carries them in one of the accepted forms. */
  tests?: TestSpec;
}

/** A dataset problem: one line naming the file and the item, line or position. */
export class DatasetError extends Error {}

const itemSchema = z
  .object({
    id: z.union([z.string(), z.number().int()]).optional(),
    prompt: z.string({ error: (issue) => (issue.input === undefined ? "has no `prompt`" : "has a `prompt` that is not a string") }),
  })
  .loose(); // real datasets carry tests, CWE ids and sources: kept out of the prompt, never an error

/**
 * Parses a dataset: a JSON array of objects, or JSON Lines (one object a line).
 * Every item is checked before anything is sent to the API.
 */
export function parseDataset(text: string, source: string): DatasetItem[] {
  const records = parseRecords(text.replace(/^\uFEFF/, ""), source);
  if (records.length === 0) throw new DatasetError(`${source}: the dataset is empty`);
  const items: DatasetItem[] = [];
  const seen = new Map<string, number>();
  records.forEach(({ value, where }, index) => {
    const label = `${source}: ${where}`;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new DatasetError(`${label} is not a JSON object`);
    }
    const parsed = itemSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path[0] === "id" ? "has an `id` that is not a string" : (issue?.message ?? "is invalid");
      throw new DatasetError(`${label}${describeId(value)} ${field}`);
    }
    // An empty prompt would be sent as is and paid for; it is an input error like the others.
    if (parsed.data.prompt.trim() === "") throw new DatasetError(`${label}${describeId(value)} has an empty prompt`);
    const id = parsed.data.id === undefined ? `sample_${String(index).padStart(4, "0")}` : String(parsed.data.id);
    const unsafe = unsafeIdReason(id);
    if (unsafe) throw new DatasetError(`${label}: id ${JSON.stringify(id)} is not a safe file name: ${unsafe}`);
    const first = seen.get(id);
    if (first !== undefined) throw new DatasetError(`${label}: duplicate id ${JSON.stringify(id)} (first used by item ${first + 1})`);
    seen.set(id, index);
    const tests = parseItemTests(value as Record<string, unknown>, `${label} (id ${JSON.stringify(id)})`);
    items.push({ id, prompt: parsed.data.prompt, index, ...(tests ? { tests } : {}) });
  });
  return items;
}

function parseItemTests(value: Record<string, unknown>, label: string): TestSpec | undefined {
  try {
    return parseTestSpec(value);
  } catch (error) {
    if (error instanceof TestSpecError) throw new DatasetError(`${label}: ${error.message}`);
    throw error;
  }
}

function describeId(value: object): string {
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? ` (id ${JSON.stringify(id)})` : "";
}

interface RawRecord {
  value: unknown;
  where: string;
}

function parseRecords(text: string, source: string): RawRecord[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DatasetError(`${source}: invalid JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(value)) throw new DatasetError(`${source}: expected a JSON array of objects`);
    return value.map((v, i) => ({ value: v, where: `item ${i + 1}` }));
  }
  if (trimmed === "") return [];
  // JSON Lines: one object per non-empty line.
  const records: RawRecord[] = [];
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      records.push({ value: JSON.parse(line), where: `line ${i + 1}` });
    } catch (error) {
      const hint = records.length === 0 && trimmed.startsWith("{") ? " (expected a JSON array or JSON Lines: one object per line)" : "";
      throw new DatasetError(`${source}: line ${i + 1}: invalid JSON: ${(error as Error).message}${hint}`);
    }
  }
  return records;
}
