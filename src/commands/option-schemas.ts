import { z } from "zod";
import { exportFormatSchema, finetuneMethodSchema } from "../stage2-schemas.js";
import { flag, idList, nonNegativeInt, positiveInt, positiveNumber } from "./options.js";

// Each command's options: defaults and coercions live here, commander only parses syntax.
// They are also the keys a config file accepts (see config.ts and schema/).

export const generateOptionsSchema = z.strictObject({
  dataset: z.string().min(1).default("./dataset.json"),
  out: z.string().min(1).default("./baseline"),
  model: z.string().min(1).default("gpt-4o"),
  baseUrl: z.string().optional(),
  concurrency: positiveInt.default(10),
  limit: positiveInt.optional(),
  docstringRetries: nonNegativeInt.default(5),
  temperature: z.coerce.number().min(0).max(2).default(0),
  maxTokens: positiveInt.default(4096),
  timeout: positiveNumber.default(300),
  maxRetries: nonNegativeInt.default(6),
  force: flag,
  jsonl: flag,
  quiet: flag,
  strict: flag,
});

const level = z.enum(["low", "medium", "high"]);

export const validateOptionsSchema = z.strictObject({
  out: z.string().min(1).default("./baseline"),
  input: z.string().min(1).optional(),
  model: z.string().min(1).default("gpt-4o"),
  baseUrl: z.string().optional(),
  concurrency: positiveInt.default(10),
  maxAttempts: positiveInt.default(5),
  temperature: z.coerce.number().min(0).max(2).default(0),
  maxTokens: positiveInt.default(4096),
  timeout: positiveNumber.default(300),
  maxRetries: nonNegativeInt.default(6),
  python: z.string().min(1).optional(),
  // Pylint takes message ids (E0001), categories (E) or symbols (syntax-error).
  pylintEnable: idList
    .pipe(z.array(z.string().regex(/^(?:[CRWEFI](?:\d{4})?|[a-z][a-z0-9-]+)$/, "expected Pylint message ids, categories or symbols, e.g. E0001,E,W0611")))
    .default(["E0001"]),
  banditSeverity: level.default("low"),
  banditConfidence: level.default("low"),
  banditSkip: idList.pipe(z.array(z.string().regex(/^B\d{3}$/, "expected Bandit test ids, e.g. B101,B404"))).default([]),
  analyzerTimeout: positiveNumber.default(60),
  workers: positiveInt.optional(),
  analyzeOnly: flag,
  force: flag,
  jsonl: flag,
  quiet: flag,
  strict: flag,
});

export const doctorOptionsSchema = z.strictObject({
  out: z.string().min(1).default("./baseline"),
  model: z.string().min(1).default("gpt-4o"),
  baseUrl: z.string().optional(),
  python: z.string().min(1).optional(),
  timeout: positiveNumber.default(10),
});

export const exportOptionsSchema = z.strictObject({
  out: z.string().min(1).default("./baseline"),
  format: exportFormatSchema.default("sft"),
  valFraction: z.coerce.number().min(0).lt(1).default(0.1),
  model: z.string().min(1).default("gpt-4o-2024-08-06"),
  maxTokens: positiveInt.optional(),
  jsonl: flag,
  quiet: flag,
});
export const finetuneOptionsSchema = z.strictObject({
  out: z.string().min(1).default("./baseline"),
  model: z.string().min(1).default("gpt-4o-2024-08-06"),
  method: finetuneMethodSchema.optional(),
  epochs: positiveInt.max(50).optional(),
  // OpenAI adds the suffix to the model name and allows at most 64 characters.
  suffix: z.string().min(1).max(64).optional(),
  seed: nonNegativeInt.optional(),
  pollInterval: positiveNumber.default(10),
  wait: z.boolean().default(true),
  job: z.string().min(1).optional(),
  new: flag,
  dryRun: flag,
  baseUrl: z.string().optional(),
  jsonl: flag,
  quiet: flag,
});
/** Every command's options schema, by command name: the config file's sections. */
export const commandOptionSchemas = {
  generate: generateOptionsSchema,
  validate: validateOptionsSchema,
  doctor: doctorOptionsSchema,
  export: exportOptionsSchema,
  finetune: finetuneOptionsSchema,
} as const;
export type CommandName = keyof typeof commandOptionSchemas;
