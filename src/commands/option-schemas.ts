import { z } from "zod";
import { priceTableSchema } from "../llm/prices.js";
import { exportFormatSchema, finetuneMethodSchema } from "../stage2-schemas.js";
import { DEFAULT_MAX_FILE_BYTES } from "../store/input-files.js";
import { alias, byteSize, flag, idList, nonNegativeInt, option, positiveInt, positiveNumber, schemaOf, type OptionTable } from "./options.js";

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
// Add `inConfig: false` for flags that only make sense on the command line, `affectsVerdict: true`
// for options whose change must redo finished files on resume, `needsTrust: true` for options that
// pick a program to run or where the key is sent (a config file found implicitly may not set them).
// An option that means something else in another command gets its own name (`baseModel`).
// ---------------------------------------------------------------------------------------------

const level = z.enum(["low", "medium", "high"]);

/** Options shared by several commands. */
export const ANALYZERS = option("--analyzers <names>", "comma-separated built-in analyzers: pylint, bandit, semgrep", idList.optional(), {
  defaultText: "the profile's: pylint,bandit,semgrep (seed: pylint,bandit)",
  affectsVerdict: true,
});
export const SARIF_ANALYZERS = option(
  "--sarif-analyzer <name=command>",
  "another analyzer: a command that prints SARIF 2.1.0 for the .py files appended to it (repeatable)",
  z.array(z.string().min(1)).default([]),
  // A command to run: a config file found by itself may not add one (the trust rule).
  { repeatable: true, affectsVerdict: true, needsTrust: true },
);
export const OUT = option("--out <dir>", "output folder", z.string().min(1).default("./baseline"));
export const MODEL = option("--model <id>", "model id, fine-tuned ft:... ids included", z.string().min(1).default("gpt-4o"));
export const BASE_URL = option("--base-url <url>", "OpenAI-compatible endpoint", z.string().optional(), {
  env: "OPENAI_BASE_URL",
  needsTrust: true,
  defaultText: "OPENAI_BASE_URL, else api.openai.com",
});
export const CONFIG = option("--config <path>", "config file", z.string().min(1).optional(), {
  inConfig: false,
  defaultText: "./codeenhancer.config.json if present",
});
export const CONCURRENCY = option("--concurrency <n>", "requests in flight at once", positiveInt.default(10));
// --model-file: a GGUF model run in-process instead of an API; each request in flight needs its own
// context memory there, hence one at a time unless --concurrency says otherwise.
export const MODEL_FILE = option("--model-file <path>", "run this GGUF model in-process (node-llama-cpp) instead of calling an API: no key, no server", z.string().min(1).optional());
export const THREADS = option("--threads <n>", "CPU threads for --model-file", positiveInt.optional(), { defaultText: "the physical core count" });
const LOCAL_CONCURRENCY = { schema: positiveInt.optional(), defaultText: "10; 1 with --model-file" };
export const TEMPERATURE = option("--temperature <t>", "sampling temperature", z.coerce.number().min(0).max(2).default(0));
export const MAX_TOKENS = option("--max-tokens <n>", "reply token limit", positiveInt.default(4096));
export const TIMEOUT = option("--timeout <seconds>", "per-request timeout; a call gets 2 x --timeout + 10 s in all, so one retry after a timeout", positiveNumber.default(300));
export const MAX_RETRIES = option("--max-retries <n>", "SDK retries for 429, 5xx, timeouts; Retry-After is honoured", nonNegativeInt.default(6));
export const PYTHON = option("--python <path>", "Python with pylint and bandit", z.string().min(1).optional(), {
  env: "CODEENHANCER_PYTHON",
  needsTrust: true,
  defaultText: "CODEENHANCER_PYTHON, ./.venv/bin/python, python3",
});
export const FORCE = option("--force", "redo items that are already finished", flag, { inConfig: false });
export const JSONL = option("--jsonl", "print each finished item's results.json row on stdout as one JSON line", flag, { inConfig: false });
export const WAIT_LOCK = option("--wait-lock", "when another run is writing to the same --out, wait for it to end instead of exiting", flag);
export const QUIET = option("--quiet", "no progress or summary on stderr (errors still)", flag);
export const STRICT = option("--strict", "exit 1 if any item ended in error", flag);
// The model client's money and memory: cost, budget and the response cache (generate, validate).
export const MAX_COST = option("--max-cost <usd>", "stop starting work once this many US dollars are spent (exit 4); needs the model's price", positiveNumber.optional());
export const CACHE = option("--cache", "answer repeated requests from the response cache at any temperature", z.boolean().optional(), {
  negatable: "never answer from the response cache (nor store in it)",
  defaultText: "on for requests at temperature 0",
});
export const CACHE_DIR = option("--cache-dir <dir>", "response cache folder, shared by every run", z.string().min(1).optional(), {
  defaultText: "$XDG_CACHE_HOME/codeenhancer, else ~/.cache/codeenhancer",
});
export const CACHE_MAX_MB = option("--cache-max-mb <n>", "response cache size bound; least recently used entries go first", positiveNumber.default(1024));
export const PRICES = option("--prices", "USD per million tokens by model id: {input, output, cachedInput}", priceTableSchema.optional(), {
  configOnly: true,
});

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
  modelFile: MODEL_FILE,
  threads: THREADS,
  concurrency: { ...CONCURRENCY, ...LOCAL_CONCURRENCY },
  limit: option("--limit <n>", "only the first n items", positiveInt.optional()),
  docstringRetries: option("--docstring-retries <n>", "corrective turns when the docstring lacks a section", nonNegativeInt.default(5)),
  temperature: TEMPERATURE,
  maxTokens: { ...MAX_TOKENS, help: "reply token limit; a reply cut off there is an error, never saved" },
  timeout: TIMEOUT,
  maxRetries: MAX_RETRIES,
  force: { ...FORCE, help: "regenerate items that are already finished" },
  waitLock: WAIT_LOCK,
  jsonl: JSONL,
  quiet: QUIET,
  strict: { ...STRICT, help: "exit 1 if any item ended in error or fail_docstring" },
  maxCost: MAX_COST,
  cache: CACHE,
  cacheDir: CACHE_DIR,
  cacheMaxMb: CACHE_MAX_MB,
  prices: PRICES,
  config: CONFIG,
} satisfies OptionTable;

export const validateOptions = {
  out: { ...OUT, help: "output folder of generate; reads <out>/code/*.py, writes <out>/validation/" },
  input: option("--input <dir>", "read the .py files from this folder instead of <out>/code", z.string().min(1).optional()),
  maxFileSize: option("--max-file-size <bytes>", "larger input files are skipped (k and M suffixes allowed)", byteSize.default(DEFAULT_MAX_FILE_BYTES), {
    defaultText: "1M",
  }),
  model: { ...MODEL, help: "model that fixes and judges", affectsVerdict: true },
  baseUrl: BASE_URL,
  modelFile: MODEL_FILE,
  threads: THREADS,
  concurrency: { ...CONCURRENCY, ...LOCAL_CONCURRENCY, help: "model calls in flight at once (files are analyzed and tested ahead of them)" },
  maxAttempts: option("--max-attempts <n>", "attempts per file", positiveInt.default(5), { affectsVerdict: true }),
  analyzeOnly: option("--analyze-only", "run the analyzers only and write the same reports; no model, no API key", flag),
  report: option("--no-report", "do not write <out>/report/ (HTML, Markdown, SARIF) at the end", z.boolean().default(true)),
  judge: option("--judge <when>", "when the LLM judge runs: always, auto (for files without tests) or never", z.enum(["always", "auto", "never"]).default("auto"), { affectsVerdict: true }),
  dataset: option(
    "--dataset <path>",
    "the items the files came from (JSON, JSON Lines; - reads standard input): their tests and prompts, by id, over generate's tests/ sidecars",
    z.string().min(1).optional(),
    { inConfig: false },
  ),
  tests: option("--no-tests", "do not run the items' unit tests (no sandbox needed)", z.boolean().default(true), { affectsVerdict: true }),
  testTimeout: option("--test-timeout <seconds>", "wall-clock limit for one run of a file's tests in the sandbox", positiveNumber.default(10), { affectsVerdict: true }),
  python: PYTHON,
  // Pylint takes message ids (E0001), categories (E) or symbols (syntax-error).
  pylintEnable: option(
    "--pylint-enable <ids>",
    "comma-separated Pylint messages or categories to enable, e.g. E",
    idList
      .pipe(z.array(z.string().regex(/^(?:[CRWEFI](?:\d{4})?|[a-z][a-z0-9-]+)$/, "expected Pylint message ids, categories or symbols, e.g. E0001,E,W0611")))
      .default(["E0001"]),
    { affectsVerdict: true },
  ),
  profile: option("--profile <name>", "analyzer defaults: default (measured: Pylint, Bandit without its noisy tests, Semgrep) or seed (the original: Pylint E0001 and every Bandit finding)", z.enum(["default", "seed"]).default("default"), { affectsVerdict: true }),
  analyzers: ANALYZERS,
  sarifAnalyzers: SARIF_ANALYZERS,
  banditSeverity: option("--bandit-severity <level>", "lowest Bandit severity counted: low|medium|high", level.optional(), { defaultText: "medium; seed: low", affectsVerdict: true }),
  banditConfidence: option("--bandit-confidence <level>", "lowest Bandit confidence counted: low|medium|high", level.optional(), { defaultText: "low", affectsVerdict: true }),
  banditSkip: option(
    "--bandit-skip <ids>",
    "comma-separated Bandit test ids to skip, e.g. B101,B404 (none: --bandit-skip '')",
    idList.pipe(z.array(z.string().regex(/^B\d{3}$/, "expected Bandit test ids, e.g. B101,B404"))).optional(),
    { defaultText: "B113,B310,B413; seed: none", affectsVerdict: true },
  ),
  analyzerTimeout: option("--analyzer-timeout <seconds>", "per-file analyzer time limit", positiveNumber.default(60)),
  workers: option("--workers <n>", "files Pylint/Bandit analyze at once (one warm worker forks a process per file), at most one per core", positiveInt.optional(), { defaultText: "one per core" }),
  temperature: TEMPERATURE,
  maxTokens: MAX_TOKENS,
  timeout: TIMEOUT,
  maxRetries: MAX_RETRIES,
  force: { ...FORCE, help: "validate files that are already finished" },
  waitLock: WAIT_LOCK,
  jsonl: { ...JSONL, help: "print each finished file's results.json row on stdout as one JSON line" },
  quiet: QUIET,
  strict: { ...STRICT, help: "exit 1 if any file ended unresolved or in error" },
  maxCost: MAX_COST,
  cache: CACHE,
  cacheDir: CACHE_DIR,
  cacheMaxMb: CACHE_MAX_MB,
  prices: PRICES,
  config: CONFIG,
} satisfies OptionTable;

export const doctorOptions = {
  out: { ...OUT, help: "output folder to check" },
  model: { ...MODEL, help: "model that must exist at the endpoint" },
  baseUrl: BASE_URL,
  modelFile: { ...MODEL_FILE, help: "check that this GGUF model loads in-process (instead of the key, endpoint and model checks)" },
  threads: THREADS,
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
  waitLock: WAIT_LOCK,
  quiet: { ...QUIET, help: "no summary on stderr (warnings and errors still)" },
  prices: PRICES,
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
  waitLock: WAIT_LOCK,
  quiet: QUIET,
  prices: PRICES,
  config: CONFIG,
  model: alias("--model <id>", "baseModel"),
} satisfies OptionTable;

export const reportOptions = {
  out: { ...OUT, help: "the folder generate and validate wrote; the report goes to <out>/report/" },
  baseline: option("--baseline <dir>", "another run folder to compare with, over the ids both validated", z.string().min(1).optional(), { inConfig: false }),
  quiet: { ...QUIET, help: "no summary on stderr (errors still)" },
  config: CONFIG,
} satisfies OptionTable;

/** Every command's option table, by command name: the config file's sections. */
export const commandOptionTables = {
  generate: generateOptions,
  validate: validateOptions,
  doctor: doctorOptions,
  export: exportOptions,
  finetune: finetuneOptions,
  report: reportOptions,
} as const satisfies Record<string, OptionTable>;

export const generateOptionsSchema = schemaOf(generateOptions);
export const validateOptionsSchema = schemaOf(validateOptions);
export const doctorOptionsSchema = schemaOf(doctorOptions);
export const exportOptionsSchema = schemaOf(exportOptions);
export const finetuneOptionsSchema = schemaOf(finetuneOptions);
export const reportOptionsSchema = schemaOf(reportOptions);

/** Every command's options schema, by command name. */
export const commandOptionSchemas = {
  generate: generateOptionsSchema,
  validate: validateOptionsSchema,
  doctor: doctorOptionsSchema,
  export: exportOptionsSchema,
  finetune: finetuneOptionsSchema,
  report: reportOptionsSchema,
} as const;
export type CommandName = keyof typeof commandOptionSchemas;
