import { z } from "zod";
import { chatMessageSchema } from "./schemas.js";

// Shapes written and read by `export` and `finetune` under `<out>/finetune/`.

export const exportFormatSchema = z.enum(["sft", "dpo", "trl-dpo"]);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const finetuneMethodSchema = z.enum(["supervised", "dpo"]);
export type FinetuneMethod = z.infer<typeof finetuneMethodSchema>;

const assistantMessageSchema = z.object({ role: z.literal("assistant"), content: z.string() });

/** One line of OpenAI's chat fine-tuning format (supervised). */
export const sftExampleSchema = z.object({ messages: z.array(chatMessageSchema) });
export type SftExample = z.infer<typeof sftExampleSchema>;

/** One line of OpenAI's preference format (DPO). */
export const dpoExampleSchema = z.object({
  input: z.object({ messages: z.array(chatMessageSchema) }),
  preferred_output: z.array(assistantMessageSchema),
  non_preferred_output: z.array(assistantMessageSchema),
});
export type DpoExample = z.infer<typeof dpoExampleSchema>;

/** One line of TRL's conversational preference format (DPOTrainer). */
export const trlDpoExampleSchema = z.object({
  prompt: z.array(chatMessageSchema),
  chosen: z.array(assistantMessageSchema),
  rejected: z.array(assistantMessageSchema),
});
export type TrlDpoExample = z.infer<typeof trlDpoExampleSchema>;

export type TrainingExample = SftExample | DpoExample | TrlDpoExample;

export const leftOutReasonSchema = z.enum([
  "not_passed", // validation did not end in `passed`
  "missing_input", // a file export needs (final code, dialogue, first version) is missing or malformed
  "no_preference", // DPO: the first version had no findings and was not judged incorrect
  "identical_versions", // DPO: the first version is the final one
  "duplicate_code", // the same final code as an earlier file
  "over_token_limit", // longer than the model's training context
]);
export type LeftOutReason = z.infer<typeof leftOutReasonSchema>;

export const tokenSummarySchema = z.object({
  min: z.number().int().nonnegative(),
  max: z.number().int().nonnegative(),
  mean: z.number().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type TokenSummary = z.infer<typeof tokenSummarySchema>;

export const costEstimateSchema = z.object({
  model: z.string(),
  usd_per_million_training_tokens: z.number().nonnegative(),
  epochs: z.number().int().positive(),
  /** How the epochs were chosen: given with --epochs, or OpenAI's "auto" rule for this many examples. */
  epochs_source: z.enum(["given", "auto"]),
  billed_tokens: z.number().int().nonnegative(),
  usd: z.number().nonnegative(),
});
export type CostEstimate = z.infer<typeof costEstimateSchema>;

export const exportStatsSchema = z.object({
  format: exportFormatSchema,
  files: z.object({ train: z.string(), val: z.string() }),
  model: z.string(),
  tokenizer: z.string(),
  context_limit: z.number().int().positive(),
  val_fraction: z.number().min(0).max(1),
  examples: z.object({
    train: z.number().int().nonnegative(),
    val: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  validated_files: z.number().int().nonnegative(),
  left_out: z.object({
    total: z.number().int().nonnegative(),
    by_reason: z.record(z.string(), z.number().int().nonnegative()),
    files: z.array(z.object({ id: z.string(), reason: leftOutReasonSchema, detail: z.string() })),
  }),
  tokens: z.object({
    train: tokenSummarySchema,
    val: tokenSummarySchema,
    total: z.number().int().nonnegative(),
    per_example: z.array(z.object({ id: z.string(), split: z.enum(["train", "val"]), tokens: z.number().int().nonnegative() })),
  }),
  /** null when the model's price is unknown or the format is not for OpenAI. */
  estimated_cost: costEstimateSchema.nullable(),
  warnings: z.array(z.string()),
});
export type ExportStats = z.infer<typeof exportStatsSchema>;

/**
 * `finetune/job.json`: the job object exactly as the API returned it (extra fields kept). Only what
 * following a job needs is required, so a provider that leaves fields out is not refused.
 */
export const fineTuningJobFileSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    model: z.string().optional(),
    fine_tuned_model: z.string().nullable().optional(),
  })
  .loose();
export type FineTuningJobFile = z.infer<typeof fineTuningJobFileSchema>;
