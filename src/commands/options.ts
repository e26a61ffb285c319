import { z } from "zod";
import { usageError } from "../errors.js";

// Shared zod pieces: commander hands us strings, these give them meaning.

export const positiveInt = z.coerce.number().int().min(1);
export const nonNegativeInt = z.coerce.number().int().min(0);
export const positiveNumber = z.coerce.number().positive();

/** Accepts true/false from a config file and commander's booleans alike. */
export const flag = z.boolean().default(false);

/** A comma-separated list from a flag, or a list from the config file. */
export const idList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(",")).map((s) => s.trim()).filter(Boolean));

export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Merges option layers (lowest precedence first: config file, environment, flags; undefined values
 * do not override) and parses them. Every problem is reported in one line naming its flag.
 */
export function parseOptions<S extends z.ZodType>(schema: S, ...layers: Array<Record<string, unknown>>): z.output<S> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  const parsed = schema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.map(String).join(".");
    return `${key ? `invalid ${flagName(key)}` : "invalid options"}: ${issue.message}`;
  });
  throw usageError(problems.join("; "));
}
