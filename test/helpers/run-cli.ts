import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { execa, type ResultPromise } from "execa";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const CLI = path.join(ROOT, "dist", "cli.js");
/** The project's analyzers (npm run setup), unless the environment names another Python. */
export const PROJECT_PYTHON = process.env.CODEENHANCER_PYTHON ?? path.join(ROOT, ".venv", "bin", "python");

export interface RunCliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/**
 * A clean environment: no inherited OPENAI_* or CODEENHANCER_* variables, an isolated HOME, and a
 * response cache of its own for every run (a test that wants two runs to share one passes
 * XDG_CACHE_HOME), so no test is answered from another's cache.
 */
export function cleanEnv(cwd: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "codeenhancer-cache-"));
  tempDirs.push(cache);
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: cwd, XDG_CACHE_HOME: cache, LANG: "C.UTF-8", NO_COLOR: "1" };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/** Spawns the built CLI (dist/cli.js) with the Node running the tests. */
export function runCli(args: string[], options: RunCliOptions): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.cwd, options.env),
    extendEnv: false,
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" }),
  }) as ResultPromise<{ reject: false }>;
}

const tempDirs: string[] = [];

/** A fresh folder under the system temp dir, removed after the test file (test/setup.ts). */
export async function makeTempDir(prefix = "codeenhancer-test-"): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => fs.remove(dir)));
}
