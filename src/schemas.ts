import { z } from "zod";
import { findingSchema } from "./analyzers/finding.js";
import { testRunSchema } from "./sandbox/types.js";

// ---------------------------------------------------------------------------------------------
// Shared shapes of everything codeenhancer reads from or writes to disk. File names and field
// names mirror the original research scripts (see README "Output layout"); extra fields are ours.
// ---------------------------------------------------------------------------------------------

export const usageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative(),
  /** Prompt tokens the provider served from its prompt cache (priced as cached input). */
  cached_tokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof usageSchema>;

export const emptyUsage = (): Usage => ({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });

export function addUsage(into: Usage, more: Usage): Usage {
  into.prompt_tokens += more.prompt_tokens;
  into.completion_tokens += more.completion_tokens;
  into.total_tokens += more.total_tokens;
  if (more.cached_tokens) into.cached_tokens = (into.cached_tokens ?? 0) + more.cached_tokens;
  return into;
}

/** A chat message as the tool sends it. */
export const chatMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A message as the original stores it in `<id>_dialogue.json`. */
export const dialogueMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.array(z.object({ text: z.string(), type: z.literal("text") })),
});
export type DialogueMessage = z.infer<typeof dialogueMessageSchema>;
export const dialogueSchema = z.array(dialogueMessageSchema);

export function toDialogue(messages: ChatMessage[]): DialogueMessage[] {
  return messages.map((m) => ({ role: m.role, content: [{ text: m.content, type: "text" as const }] }));
}

export function fromDialogue(dialogue: DialogueMessage[]): ChatMessage[] {
  return dialogue.map((m) => ({ role: m.role, content: m.content.map((part) => part.text).join("") }));
}

// ---- generate ---------------------------------------------------------------------------------

export const generateStatusSchema = z.enum(["success", "fail_docstring", "skipped", "error"]);
export type GenerateStatus = z.infer<typeof generateStatusSchema>;

export const generateRowSchema = z.object({
  prompt_id: z.string(),
  status: generateStatusSchema,
  /** For `skipped`: what the existing code file holds (`success` or `fail_docstring`). */
  previous_status: z.enum(["success", "fail_docstring"]).optional(),
  error: z.string().optional(),
  /** Model answers received for this item (1 + docstring retries at most). */
  attempts: z.number().int().nonnegative().optional(),
  /** The corrective retries stopped early: the model sent the same code again. */
  stopped: z.enum(["repeated_reply"]).optional(),
  /** Which part of the last reply the code was taken from (of several fenced blocks, which one and why). */
  extracted: z.string().optional(),
  finish_reason: z.string().nullable().optional(),
  model: z.string().optional(),
  usage: usageSchema.optional(),
  /** USD this run spent on the item; null when the model has no known price. */
  cost_usd: z.number().nonnegative().nullable().optional(),
  /** Every reply came from the response cache. */
  cached: z.boolean().optional(),
  elapsed_ms: z.number().nonnegative().optional(),
});
export type GenerateRow = z.infer<typeof generateRowSchema>;
export const generateResultsSchema = z.array(generateRowSchema);

export const allDialoguesSchema = z.array(z.object({ prompt_id: z.string(), dialogue: dialogueSchema }));

// ---- validate ---------------------------------------------------------------------------------

/** One Pylint message, with Pylint's own JSON fields. */
export const pylintFindingSchema = z
  .object({
    type: z.string(),
    line: z.number().int(),
    column: z.number().int(),
    symbol: z.string(),
    "message-id": z.string(),
    message: z.string(),
  })
  .loose();
export type PylintFinding = z.infer<typeof pylintFindingSchema>;

/** One Bandit result, exactly as Bandit's JSON formatter reports it. */
export const banditFindingSchema = z
  .object({
    test_id: z.string(),
    test_name: z.string(),
    issue_text: z.string(),
    issue_severity: z.string(),
    issue_confidence: z.string(),
    issue_cwe: z.object({ id: z.number(), link: z.string() }).loose().optional(),
    line_number: z.number().int(),
  })
  .loose();
export type BanditFinding = z.infer<typeof banditFindingSchema>;

/** A file Bandit could not scan (its JSON `errors[]`). Counted as a finding, never as clean. */
export const banditErrorSchema = z.object({ filename: z.string(), reason: z.string() }).loose();
export type BanditError = z.infer<typeof banditErrorSchema>;

export const revisionStatusSchema = z.enum([
  "SAST-Fixed", // findings were sent to the model and its fix was accepted
  "SAST-Fix-Rejected", // the model's fix was worse (suppressions, lost code, new findings): kept the previous version
  "Correct", // clean in both analyzers and judged correct
  "Incorrect", // clean, judged incorrect; the model's corrected body replaces the current one
  "Unparseable-Reply", // the model's reply held no usable code or verdict
  "LLM-Error", // the API call failed after the SDK's retries
  "Analyzer-Error", // an analyzer crashed, timed out or gave no report on this version
  "Analyzed", // --analyze-only, or a check that asked the model nothing (the note says why)
  "Test-Fixed", // clean but tests failed; the failures were sent to the model and its fix was accepted
  "Test-Fix-Rejected", // the model's fix for failing tests was refused (as for SAST-Fix-Rejected)
  "Tests-Passed", // clean and every test passed: the file passed without the judge
  "Tests-Failed", // the final check: tests still fail and no attempt is left
  "Test-Error", // the sandbox could not run the tests for this version
  "Unjudgeable", // clean, but no docstring and no dataset prompt to judge against: no model call
]);
export type RevisionStatus = z.infer<typeof revisionStatusSchema>;

export const revisionSchema = z.object({
  attempt: z.number().int().positive(),
  pylint_issues: z.array(pylintFindingSchema),
  bandit_issues: z.array(banditFindingSchema),
  bandit_errors: z.array(banditErrorSchema).default([]),
  analyzer_error: z.string().nullable().default(null),
  /** Every analyzer's normalized findings on this version (absent in logs of 0.1.0). */
  findings: z.array(findingSchema).optional(),
  sast_prompt: z.string().nullable(),
  sast_response: z.string().nullable(),
  functional_prompt: z.string().nullable(),
  functional_response: z.string().nullable(),
  status: revisionStatusSchema,
  /** Why a reply was not accepted, or what else happened; for people reading the log. */
  note: z.string().nullable().default(null),
  /** The tokens of this revision's model call, when it made one. */
  usage: usageSchema.optional(),
  /** Whether this revision's model call was answered from the response cache (absent when it made none). */
  cached: z.boolean().optional(),
  /** The unit tests run on this version in the sandbox; null when none ran. */
  tests: testRunSchema.nullable().optional(),
  /** A check of the version the model made in the last attempt (analyzers and tests, no model call). */
  final_check: z.boolean().optional(),
});
export type Revision = z.infer<typeof revisionSchema>;

export const validateStatusSchema = z.enum(["passed", "unresolved", "error"]);
export type ValidateStatus = z.infer<typeof validateStatusSchema>;

export const fileLogSchema = z.object({
  filename: z.string(),
  status: validateStatusSchema,
  revisions: z.array(revisionSchema),
  /** `analyze-only` logs come from --analyze-only (no model): a full run does not skip them. */
  mode: z.enum(["validate", "analyze-only"]).default("validate"),
  model: z.string().nullable().default(null),
  error: z.string().nullable().default(null),
  /** SHA-256 of the input file and of the verdict-changing options: a re-run redoes the file when either differs. */
  input_sha256: z.string().nullable().default(null),
  settings_sha256: z.string().nullable().default(null),
});
export type FileLog = z.infer<typeof fileLogSchema>;
export const allResultSchema = z.array(fileLogSchema);

export const unresolvedSchema = z.array(z.object({ filename: z.string(), final_status: z.string() }));

/** Findings counted by rule (Bandit test ids, Pylint message ids, `bandit-error`, Semgrep rule ids) or by CWE (`CWE-89`). */
export const findingCountsSchema = z.record(z.string(), z.number().int().nonnegative());
export type FindingCounts = z.infer<typeof findingCountsSchema>;

export const testCountSchema = z.object({ passed: z.number().int().nonnegative(), total: z.number().int().nonnegative() });
export type TestCount = z.infer<typeof testCountSchema>;

export const validateRowSchema = z.object({
  id: z.string(),
  status: validateStatusSchema,
  attempts: z.number().int().nonnegative(),
  initial_findings: z.number().int().nonnegative(),
  final_findings: z.number().int().nonnegative(),
  initial_by_rule: findingCountsSchema,
  final_by_rule: findingCountsSchema,
  initial_by_cwe: findingCountsSchema.default({}),
  final_by_cwe: findingCountsSchema.default({}),
  /** The judge's last verdict on the final version, if it was judged. */
  verdict: z.enum(["Correct", "Incorrect"]).nullable(),
  /** Tests passed by the file as given and by the final version; null when the file has no tests (or they did not run). */
  initial_tests: testCountSchema.nullable().optional(),
  final_tests: testCountSchema.nullable().optional(),
  mode: z.enum(["validate", "analyze-only"]).default("validate"),
  error: z.string().optional(),
  skipped: z.boolean().optional(),
  model: z.string().optional(),
  usage: usageSchema.optional(),
  cost_usd: z.number().nonnegative().nullable().optional(),
  cached: z.boolean().optional(),
  elapsed_ms: z.number().nonnegative().optional(),
});
export type ValidateRow = z.infer<typeof validateRowSchema>;
export const validateResultsSchema = z.array(validateRowSchema);
