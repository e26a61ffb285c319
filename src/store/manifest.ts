import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { usageSchema, type Usage } from "../schemas.js";
import { readJsonIfValid, writeJsonAtomic } from "./atomic.js";

// manifest.json in --out: what produced the folder. Each command keeps its own section, so a
// validate run does not erase what generate recorded.

const toolVersionSchema = z.object({ name: z.string(), version: z.string().nullable() });

export const runRecordSchema = z.object({
  command: z.enum(["generate", "validate"]),
  codeenhancer_version: z.string(),
  /** The command's options after defaults, config file and environment; secrets never appear here. */
  options: z.record(z.string(), z.unknown()),
  model: z.string().nullable(),
  /** Host (and port) of the endpoint; the rest of the URL may carry credentials. */
  base_url_host: z.string().nullable(),
  analyzers: z.array(toolVersionSchema).default([]),
  rule_packs: z.array(toolVersionSchema).default([]),
  python: z.object({ path: z.string(), version: z.string() }).nullable().default(null),
  node_version: z.string(),
  dataset: z.object({ path: z.string(), sha256: z.string() }).nullable().default(null),
  started_at: z.string(),
  ended_at: z.string(),
  interrupted: z.boolean().default(false),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  /** USD this run spent on the model; null when the model has no known price (absent in manifests of 0.1). */
  cost_usd: z.number().nonnegative().nullable().optional(),
  /** Model calls this run made, and how many of them the response cache answered. */
  calls: z.number().int().nonnegative().optional(),
  cached_calls: z.number().int().nonnegative().optional(),
  usage: usageSchema.optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export const manifestSchema = z.object({ generate: runRecordSchema.optional(), validate: runRecordSchema.optional() }).loose();
export type Manifest = z.infer<typeof manifestSchema>;

export function manifestPath(outDir: string): string {
  return path.join(outDir, "manifest.json");
}

export interface RunManifestInput {
  command: RunRecord["command"];
  options: Record<string, unknown>;
  /** Date.now() when the command started. */
  started: number;
  counts: Record<string, number>;
  model: string | null;
  /** The endpoint as configured; undefined means OpenAI's own, null none (a local model file). */
  baseUrl: string | null | undefined;
  interrupted?: boolean;
  /** Analyzer versions by name, as the tools reported them. */
  analyzers?: Record<string, string | null | undefined>;
  /** Rule-pack versions by the analyzer that loads them. */
  rulePacks?: Record<string, string | null | undefined>;
  python?: { path: string; version: string };
  /** The dataset as read: its path (or "<stdin>") and text, hashed here. */
  dataset?: { source: string; text: string };
  /** What the run spent on the model (the meter's total); undefined when no model was used (--analyze-only). */
  spent?: { calls: number; cachedCalls: number; usage: Usage; costUsd: number | null } | undefined;
}

/** Writes (or updates) `<outDir>/manifest.json` with this command's section. */
export async function writeRunManifest(outDir: string, input: RunManifestInput): Promise<void> {
  const file = manifestPath(outDir);
  const previous = (await readJsonIfValid(file, manifestSchema)) ?? {};
  const record: RunRecord = {
    command: input.command,
    codeenhancer_version: packageVersion(),
    options: withoutSecrets(input.options),
    model: input.model,
    base_url_host: input.model === null || input.baseUrl === null ? null : hostOf(input.baseUrl),
    analyzers: Object.entries(input.analyzers ?? {}).map(([name, version]) => ({ name, version: version ?? null })),
    rule_packs: Object.entries(input.rulePacks ?? {}).map(([name, version]) => ({ name, version: version ?? null })),
    python: input.python ?? null,
    node_version: process.versions.node,
    dataset: input.dataset ? { path: input.dataset.source, sha256: createHash("sha256").update(input.dataset.text).digest("hex") } : null,
    started_at: new Date(input.started).toISOString(),
    ended_at: new Date().toISOString(),
    interrupted: input.interrupted ?? false,
    counts: input.counts,
    cost_usd: input.spent ? input.spent.costUsd : 0,
    calls: input.spent?.calls ?? 0,
    cached_calls: input.spent?.cachedCalls ?? 0,
    ...(input.spent ? { usage: { ...input.spent.usage } } : {}),
  };
  await writeJsonAtomic(file, manifestSchema, { ...previous, [input.command]: record });
}

/** How many rows fall under each key, e.g. each status. */
export function countBy<T>(rows: readonly T[], key: (row: T) => string): Record<string, number> {
  const counts: Record<string, number> = { total: rows.length };
  for (const row of rows) counts[key(row)] = (counts[key(row)] ?? 0) + 1;
  return counts;
}

/** Reads `<outDir>/manifest.json`; undefined for a folder written before manifests existed. */
export function readManifest(outDir: string): Promise<Manifest | undefined> {
  return readJsonIfValid(manifestPath(outDir), manifestSchema);
}

const SECRET_KEY = /key|token|secret|password|credential/i;

/** Options as recorded: no key that names a secret, URLs without user info or query. */
export function withoutSecrets(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (SECRET_KEY.test(key) && !/^max/i.test(key)) continue;
    out[key] = typeof value === "string" && /^https?:\/\//i.test(value) ? withoutCredentials(value) : value;
  }
  return out;
}

function withoutCredentials(value: string): string {
  try {
    const url = new URL(value);
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return url.toString();
  } catch {
    return "<invalid URL>";
  }
}

function hostOf(baseUrl: string | undefined): string | null {
  try {
    return new URL(baseUrl ?? "https://api.openai.com/v1").host;
  } catch {
    return null;
  }
}

let version: string | undefined;

/** codeenhancer's own version; src/store/ and dist/store/ both sit two folders below package.json. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}
