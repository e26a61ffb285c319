import { z } from "zod";
import { exportFormatSchema, finetuneMethodSchema } from "../stage2-schemas.js";
import { alias, flag, idList, nonNegativeInt, option, positiveInt, positiveNumber, schemaOf, type OptionTable } from "./options.js";

// ---------------------------------------------------------------------------------------------
// Every flag of every command, declared once. Each entry gives commander its flag and help (the
// help shows the default the zod schema fills in) and zod its schema; the table's keys are also
// the config file's keys (schema/ is generated from these tables).
//
// To add a flag to a command: add one line to that command's table below, e.g.
//   seed: option("--seed <n>", "what it does", nonNegativeInt.optional()),
// or reuse a shared option (`out: OUT`), or `{ ...OUT, help: "..." }` to say it for one command.
// Then read `options.seed` in the command; commander, zod, the config file and its JSON Schema
// follow (regenerate schema/ with `UPDATE_SCHEMA=1 npx vitest run test/config.test.ts`).
// Add `inConfig: false` for flags that only make sense on the command line. An option that means
// something else in another command gets its own name (finetune's base model is `baseModel`).
// ---------------------------------------------------------------------------------------------

const level = z.enum(["low", "medium", "high"]);

/** Options shared by several commands. */
export const ANALYZERS = option("--analyzers <names>", "comma-separated built-in analyzers: pylint, bandit, semgrep", idList.optional(), {
  defaultText: "the profile's: pylint,bandit,semgrep (seed: pylint,bandit)",
});
export const SARIF_ANALYZERS = option(
  "--sarif-analyzer <name=command>",
  "another analyzer: a command that prints SARIF 2.1.0 for the .py files appended to it (repeatable)",
  z.array(z.string().min(1)).default([]),
  { repeatable: true },
);
export const OUT = option("--out <dir>", "output folder", z.string().min(1).default("./baseline"));
export const MODEL = option("--model <id>", "model id, fine-tuned ft:... ids included", z.string().min(1).default("gpt-4o"));
export const BASE_URL = option("--base-url <url>", "OpenAI-compatible endpoint", z.string().optional(), {
  env: "OPENAI_BASE_URL",
  defaultText: "OPENAI_BASE_URL, else api.openai.com",
});
export const CONFIG = option("--config <path>", "config file", z.string().min(1).optional(), {
  inConfig: false,
  defaultText: "./codeenhancer.config.json if present",
});
export const CONCURRENCY = option("--concurrency <n>", "requests in flight at once", positiveInt.default(10));
export const TEMPERATURE = option("--temperature <t>", "sampling temperature", z.coerce.number().min(0).max(2).default(0));
export const MAX_TOKENS = option("--max-tokens <n>", "reply token limit", positiveInt.default(4096));
export const TIMEOUT = option("--timeout <seconds>", "per-request timeout", positiveNumber.default(300));
export const MAX_RETRIES = option("--max-retries <n>", "SDK retries for 429, 5xx, timeouts; Retry-After is honoured", nonNegativeInt.default(6));
export const PYTHON = option("--python <path>", "Python with pylint and bandit", z.string().min(1).optional(), {
  env: "CODEENHANCER_PYTHON",
  defaultText: "CODEENHANCER_PYTHON, ./.venv/bin/python, python3",
});
export const FORCE = option("--force", "redo items that are already finished", flag, { inConfig: false });
export const JSONL = option("--jsonl", "print each finished item's results.json row on stdout as one JSON line", flag, { inConfig: false });
export const QUIET = option("--quiet", "no progress or summary on stderr (errors still)", flag);
export const STRICT = option("--strict", "exit 1 if any item ended in error", flag);
export const BASE_MODEL = option(
  "--base-model <id>",
  "the model you will fine-tune: its tokenizer, training context and price",
  z.string().min(1).default("gpt-4o-2024-08-06"),
);

export const generateOptions = {
  dataset: option("--dataset <path>", "JSON array or JSON Lines of {id?, prompt}; - reads standard input", z.string().min(1).default("./dataset.json"), { inConfig: false }),
  out: OUT,
  model: MODEL,
  baseUrl: BASE_URL,
  concurrency: CONCURRENCY,
  limit: option("--limit <n>", "only the first n items", positiveInt.optional()),
  docstringRetries: option("--docstring-retries <n>", "corrective turns when the docstring lacks a section", nonNegativeInt.default(5)),
  temperature: TEMPERATURE,
  maxTokens: { ...MAX_TOKENS, help: "reply token limit; a reply cut off there is an error, never saved" },
  timeout: TIMEOUT,
  maxRetries: MAX_RETRIES,
  force: { ...FORCE, help: "regenerate items that are already finished" },
  jsonl: JSONL,
  quiet: QUIET,
  strict: { ...STRICT, help: "exit 1 if any item ended in error or fail_docstring" },
  config: CONFIG,
} satisfies OptionTable;

export const validateOptions = {
  out: { ...OUT, help: "output folder of generate; reads <out>/code/*.py, writes <out>/validation/" },
  input: option("--input <dir>", "read the .py files from this folder instead of <out>/code", z.string().min(1).optional()),
  model: { ...MODEL, help: "model that fixes and judges" },
  baseUrl: BASE_URL,
  concurrency: { ...CONCURRENCY, help: "files in progress at once" },
  maxAttempts: option("--max-attempts <n>", "attempts per file", positiveInt.default(5)),
  analyzeOnly: option("--analyze-only", "run the analyzers only and write the same reports; no model, no API key", flag),
  python: PYTHON,
  // Pylint takes message ids (E0001), categories (E) or symbols (syntax-error).
  pylintEnable: option(
    "--pylint-enable <ids>",
    "comma-separated Pylint messages or categories to enable, e.g. E",
    idList
      .pipe(z.array(z.string().regex(/^(?:[CRWEFI](?:\d{4})?|[a-z][a-z0-9-]+)$/, "expected Pylint message ids, categories or symbols, e.g. E0001,E,W0611")))
      .default(["E0001"]),
  ),
  profile: option("--profile <name>", "analyzer defaults: default (measured: Pylint, Bandit without its noisy tests, Semgrep) or seed (the original: Pylint E0001 and every Bandit finding)", z.enum(["default", "seed"]).default("default")),
  analyzers: ANALYZERS,
  sarifAnalyzers: SARIF_ANALYZERS,
  banditSeverity: option("--bandit-severity <level>", "lowest Bandit severity counted: low|medium|high", level.optional(), { defaultText: "medium; seed: low" }),
  banditConfidence: option("--bandit-confidence <level>", "lowest Bandit confidence counted: low|medium|high", level.optional(), { defaultText: "low" }),
  banditSkip: option(
    "--bandit-skip <ids>",
    "comma-separated Bandit test ids to skip, e.g. B101,B404 (none: --bandit-skip '')",
    idList.pipe(z.array(z.string().regex(/^B\d{3}$/, "expected Bandit test ids, e.g. B101,B404"))).optional(),
    { defaultText: "B113,B310,B413; seed: none" },
  ),
  analyzerTimeout: option("--analyzer-timeout <seconds>", "per-file analyzer time limit", positiveNumber.default(60)),
  workers: option("--workers <n>", "analyzer worker processes, at most one per core", positiveInt.optional(), { defaultText: "one per core" }),
  temperature: TEMPERATURE,
  maxTokens: MAX_TOKENS,
  timeout: TIMEOUT,
  maxRetries: MAX_RETRIES,
  force: { ...FORCE, help: "validate files that are already finished" },
  jsonl: { ...JSONL, help: "print each finished file's results.json row on stdout as one JSON line" },
  quiet: QUIET,
  strict: { ...STRICT, help: "exit 1 if any file ended unresolved or in error" },
  config: CONFIG,
} satisfies OptionTable;

export const doctorOptions = {
  out: { ...OUT, help: "output folder to check" },
  model: { ...MODEL, help: "model that must exist at the endpoint" },
  baseUrl: BASE_URL,
  python: PYTHON,
  analyzers: ANALYZERS,
  sarifAnalyzers: SARIF_ANALYZERS,
  timeout: { ...TIMEOUT, help: "time limit for the endpoint checks", schema: positiveNumber.default(10) },
  config: CONFIG,
} satisfies OptionTable;

export const exportOptions = {
  out: { ...OUT, help: "the folder generate and validate wrote; data goes to <out>/finetune/" },
  format: option("--format <format>", "sft (chat examples), dpo (OpenAI preference pairs) or trl-dpo (Hugging Face TRL pairs)", exportFormatSchema.default("sft")),
  valFraction: option("--val-fraction <share>", "share of examples held out for validation, chosen by a hash of each id", z.coerce.number().min(0).lt(1).default(0.1)),
  baseModel: BASE_MODEL,
  maxExampleTokens: option("--max-example-tokens <n>", "leave out examples longer than this", positiveInt.optional(), {
    defaultText: "the base model's training context",
  }),
  jsonl: { ...JSONL, help: "print one JSON line per validated file on stdout: its split and tokens, or why it was left out" },
  quiet: { ...QUIET, help: "no summary on stderr (warnings and errors still)" },
  config: CONFIG,
  model: alias("--model <id>", "baseModel"),
  maxTokens: alias("--max-tokens <n>", "maxExampleTokens"),
} satisfies OptionTable;

export const finetuneOptions = {
  out: { ...OUT, help: "the folder export wrote to; reads <out>/finetune/ and writes <out>/finetune/job.json" },
  baseModel: { ...BASE_MODEL, help: "base model to fine-tune" },
  method: option("--method <method>", "supervised (train.jsonl) or dpo (train_dpo.jsonl)", finetuneMethodSchema.optional(), {
    defaultText: "supervised if train.jsonl exists, else dpo",
  }),
  epochs: option("--epochs <n>", "training epochs", positiveInt.max(50).optional(), { defaultText: "the API's auto" }),
  // OpenAI adds the suffix to the model name and allows at most 64 characters.
  suffix: option("--suffix <text>", "up to 64 characters added to the fine-tuned model's name", z.string().min(1).max(64).optional()),
  seed: option("--seed <n>", "the job's seed, for reproducibility", nonNegativeInt.optional()),
  pollInterval: option("--poll-interval <seconds>", "seconds between status checks while waiting", positiveNumber.default(10)),
  wait: option("--no-wait", "return as soon as the job is created", z.boolean().default(true), { inConfig: false }),
  job: option("--job <id>", "follow an existing job (after an interruption) instead of creating one; nothing is uploaded", z.string().min(1).optional(), {
    inConfig: false,
  }),
  new: option("--new", "create a job even though job.json holds one that has not finished", flag, { inConfig: false }),
  dryRun: option("--dry-run", "check the training files and estimate the cost; send nothing", flag, { inConfig: false }),
  baseUrl: BASE_URL,
  jsonl: { ...JSONL, help: "print the final job object on stdout as one JSON line" },
  quiet: QUIET,
  config: CONFIG,
  model: alias("--model <id>", "baseModel"),
} satisfies OptionTable;

/** Every command's option table, by command name: the config file's sections. */
export const commandOptionTables = {
  generate: generateOptions,
  validate: validateOptions,
  doctor: doctorOptions,
  export: exportOptions,
  finetune: finetuneOptions,
} as const satisfies Record<string, OptionTable>;

export const generateOptionsSchema = schemaOf(generateOptions);
export const validateOptionsSchema = schemaOf(validateOptions);
export const doctorOptionsSchema = schemaOf(doctorOptions);
export const exportOptionsSchema = schemaOf(exportOptions);
export const finetuneOptionsSchema = schemaOf(finetuneOptions);

/** Every command's options schema, by command name. */
export const commandOptionSchemas = {
  generate: generateOptionsSchema,
  validate: validateOptionsSchema,
  doctor: doctorOptionsSchema,
  export: exportOptionsSchema,
  finetune: finetuneOptionsSchema,
} as const;
export type CommandName = keyof typeof commandOptionSchemas;
