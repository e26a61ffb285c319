import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { z } from "zod";
import { readJsonIfValid, writeJsonAtomic } from "../store/atomic.js";
import { usageSchema } from "../schemas.js";
import type { ChatReply, ChatRequest, Llm } from "./client.js";
import { classifyReply } from "./reply.js";

// A response cache shared by every run and output folder: the same request to the same endpoint
// and model is answered from disk, at no cost. One file per entry, named by the SHA-256 of the
// request, written atomically (temporary file + rename), so two processes can share it and a
// crash mid-write leaves at worst a stray temporary file that nothing reads.

/** Bumped when the entry format or the key changes: old entries are then simply not found. */
const FORMAT = "v1";

const entrySchema = z.object({
  model: z.string(),
  host: z.string(),
  created: z.string(),
  reply: z.object({ content: z.string(), finishReason: z.string().nullable(), usage: usageSchema }),
});

export interface CacheOptions {
  dir: string;
  /** The endpoint's host (and port, path): part of the key, never the API key. */
  endpoint: string;
  /** Cache replies at any temperature (--cache); by default only at temperature 0, where replies are meant to repeat. */
  anyTemperature: boolean;
  /** Counts the bytes of the entries this client writes (for pruneCacheIfDue at the end of a run). */
  written?: { bytes: number };
}

/** `--cache-dir`, else $XDG_CACHE_HOME/codeenhancer, else ~/.cache/codeenhancer. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME?.trim();
  const home = env.HOME?.trim() || os.homedir();
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, ".cache"), "codeenhancer");
}

/** The cache key of a request: endpoint, model, messages and every parameter that changes the reply. */
export function cacheKey(request: ChatRequest, endpoint: string): string {
  const material = JSON.stringify({
    endpoint,
    model: request.model,
    messages: request.messages,
    temperature: request.temperature,
    max_tokens: request.maxTokens,
  });
  return createHash("sha256").update(material).digest("hex");
}

function entryPath(dir: string, key: string): string {
  return path.join(dir, FORMAT, key.slice(0, 2), `${key}.json`);
}

/** A decorator around any Llm: cacheable requests are answered from disk when they can be. */
export function createCachedLlm(inner: Llm, options: CacheOptions): Llm {
  return {
    async chat(request) {
      if (!options.anyTemperature && request.temperature !== 0) return inner.chat(request);
      const file = entryPath(options.dir, cacheKey(request, options.endpoint));
      // A damaged or foreign entry reads as missing, and the fresh reply replaces it.
      const entry = await readJsonIfValid(file, entrySchema);
      if (entry) {
        const now = new Date();
        // The file's time is its last use: the size bound removes the least recently used first.
        await fs.utimes(file, now, now).catch(() => undefined);
        return { content: entry.reply.content, refusal: null, finishReason: entry.reply.finishReason, usage: entry.reply.usage, cached: true };
      }
      const reply = await inner.chat(request);
      if (isStorable(reply, request)) {
        // A full or read-only cache folder costs a cache entry, never the run.
        const bytes = await writeJsonAtomic(file, entrySchema, {
          model: request.model,
          host: options.endpoint,
          created: new Date().toISOString(),
          reply: { content: reply.content ?? "", finishReason: reply.finishReason, usage: reply.usage },
        }).catch(() => 0);
        if (options.written) options.written.bytes += bytes;
      }
      return reply;
    },
  };
}

/** Only complete, successful replies are stored: no refusal, no filter, nothing cut off, not empty. */
function isStorable(reply: ChatReply, request: ChatRequest): boolean {
  return !reply.cached && classifyReply(reply, request.maxTokens) === undefined;
}

export interface CacheInfo {
  dir: string;
  entries: number;
  bytes: number;
  oldest: Date | undefined;
  newest: Date | undefined;
}

interface EntryFile {
  file: string;
  bytes: number;
  used: number;
}

async function listEntries(dir: string): Promise<{ entries: EntryFile[]; stale: string[] }> {
  const root = path.join(dir, FORMAT);
  const entries: EntryFile[] = [];
  const stale: string[] = [];
  const shards = await fs.readdir(root).catch(() => [] as string[]);
  const hourAgo = Date.now() - 3_600_000;
  for (const shard of shards) {
    const shardDir = path.join(root, shard);
    for (const name of await fs.readdir(shardDir).catch(() => [] as string[])) {
      const file = path.join(shardDir, name);
      const stat = await fs.lstat(file).catch(() => undefined);
      if (!stat?.isFile()) continue;
      if (name.endsWith(".json")) entries.push({ file, bytes: stat.size, used: stat.mtimeMs });
      else if (name.endsWith(".tmp") && stat.mtimeMs < hourAgo) stale.push(file); // left by a crash mid-write
    }
  }
  return { entries, stale };
}

export async function readCacheInfo(dir: string): Promise<CacheInfo> {
  const { entries } = await listEntries(dir);
  const times = entries.map((e) => e.used);
  return {
    dir,
    entries: entries.length,
    bytes: entries.reduce((sum, e) => sum + e.bytes, 0),
    oldest: times.length ? new Date(Math.min(...times)) : undefined,
    newest: times.length ? new Date(Math.max(...times)) : undefined,
  };
}

/** Removes the least recently used entries until the cache holds at most `maxBytes`; returns how many went. */
export async function pruneCache(dir: string, maxBytes: number): Promise<number> {
  return (await pruneToSize(dir, maxBytes)).removed;
}

async function pruneToSize(dir: string, maxBytes: number): Promise<{ removed: number; remaining: number; entries: number }> {
  const { entries, stale } = await listEntries(dir);
  await Promise.all(stale.map((file) => fs.rm(file, { force: true })));
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  let removed = 0;
  for (const entry of entries.sort((a, b) => a.used - b.used)) {
    if (total <= maxBytes) break;
    await fs.rm(entry.file, { force: true });
    total -= entry.bytes;
    removed += 1;
  }
  return { removed, remaining: total, entries: entries.length - removed };
}

// Listing the cache costs a stat per entry: about 0.5 s at 20,000 entries, paid at the end of every
// run. A ledger beside the entries keeps the size the last listing found plus what runs wrote since.
const LEDGER = "size-ledger.json";
const ledgerSchema = z.object({ bytes: z.number().nonnegative(), listed: z.number() });
/** A ledger older than this is not trusted (another process's writes may be missing from it). */
const LEDGER_TRUST_MS = 24 * 3_600_000;

/**
 * The end-of-run bound on the cache's size: lists and prunes the cache (pruneCache) only when the
 * ledger says it may be near `maxBytes` (within a tenth), or the last listing is more than a day
 * old, or there is no ledger; otherwise adds `writtenBytes` to the ledger. Returns how many
 * entries went.
 */
export async function pruneCacheIfDue(dir: string, maxBytes: number, writtenBytes: number): Promise<number> {
  const file = path.join(dir, FORMAT, LEDGER);
  const ledger = await readJsonIfValid(file, ledgerSchema);
  const age = ledger ? Date.now() - ledger.listed : Number.POSITIVE_INFINITY;
  if (ledger && age >= 0 && age < LEDGER_TRUST_MS && ledger.bytes + writtenBytes <= maxBytes * 0.9) {
    if (writtenBytes > 0) await writeJsonAtomic(file, ledgerSchema, { bytes: ledger.bytes + writtenBytes, listed: ledger.listed });
    return 0;
  }
  const listed = Date.now();
  const { removed, remaining, entries } = await pruneToSize(dir, maxBytes);
  // No cache folder, no ledger: a run that cached nothing leaves nothing behind.
  if (entries > 0 || (await fs.pathExists(path.dirname(file)))) await writeJsonAtomic(file, ledgerSchema, { bytes: remaining, listed });
  return removed;
}

/** Removes every entry; returns how many there were. */
export async function clearCache(dir: string): Promise<number> {
  const { entries } = await listEntries(dir);
  await fs.rm(path.join(dir, FORMAT), { recursive: true, force: true });
  return entries.length;
}
