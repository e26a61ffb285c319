import { createHash } from "node:crypto";
import fs from "fs-extra";
import { z } from "zod";
import { readJsonIfValid, writeJsonAtomic } from "./atomic.js";

// What resume compares to decide that a finished item is still valid: the content it was made
// from, not only that its files exist.

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A stable hash of the options that change a verdict (key order does not matter). */
export function settingsHash(settings: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  return sha256Hex(JSON.stringify(sorted));
}

/**
 * Whether a per-file validation log was made from this input and these settings. Logs written
 * before the hashes existed (null) are trusted, as they were.
 */
export function logMatches(log: { input_sha256?: string | null; settings_sha256?: string | null }, input: Buffer, settings: string | undefined): boolean {
  if (log.input_sha256 && log.input_sha256 !== sha256Hex(input)) return false;
  if (log.settings_sha256 && settings !== undefined && log.settings_sha256 !== settings) return false;
  return true;
}

/** `<out>/.codeenhancer/prompts/<id>.json`: the hash of the prompt an item's code was made from. */
export const promptRecordSchema = z.object({ prompt_sha256: z.string() });

export async function writePromptRecord(file: string, prompt: string): Promise<void> {
  await writeJsonAtomic(file, promptRecordSchema, { prompt_sha256: sha256Hex(prompt) });
}

/** false when the item's code was made from another prompt; true when it matches or predates the records. */
export async function promptUnchanged(file: string, prompt: string): Promise<boolean> {
  const record = await readJsonIfValid(file, promptRecordSchema);
  if (record) return record.prompt_sha256 === sha256Hex(prompt);
  // A record that exists but cannot be read says nothing; one that is missing predates them.
  return !(await fs.pathExists(file));
}
