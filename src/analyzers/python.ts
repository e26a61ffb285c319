import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { z } from "zod";
import { dependencyError } from "../errors.js";

export type PythonSource = "--python" | "CODEENHANCER_PYTHON" | ".venv" | "PATH";

export interface FindPythonOptions {
  flag?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where the package is installed (default: this one's), for its own .venv. */
  packageRoot?: string;
}

export interface FoundPython {
  python: string;
  source: PythonSource;
}

export interface AnalyzerVersions {
  python: string;
  pythonVersion: string;
  pylint: string;
  bandit: string;
  /** Present when Semgrep was asked for: its package version and its engine binary. */
  semgrep?: { version: string; core: string };
}

/** The Python packages an analyzer needs. */
export type PythonTool = "pylint" | "bandit" | "semgrep";

/** The installed package's folder (dist/ and src/ both sit one level below it). */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The requirements file shipped beside dist/ and src/ (pinned pylint and bandit). */
export const REQUIREMENTS_FILE = fileURLToPath(new URL("../../requirements.txt", import.meta.url));

/**
 * The Python that runs pylint and bandit: `--python`, then CODEENHANCER_PYTHON, then
 * `<cwd>/.venv/bin/python` if it exists, then `python3` on PATH.
 */
export function findPython(options: FindPythonOptions): FoundPython {
  const flag = options.flag?.trim();
  if (flag) return { python: resolveCommand(flag, options.cwd), source: "--python" };
  const fromEnv = options.env.CODEENHANCER_PYTHON?.trim();
  if (fromEnv) return { python: resolveCommand(fromEnv, options.cwd), source: "CODEENHANCER_PYTHON" };
  // The working folder's .venv, then the installed package's own (npm run setup makes it there), so
  // that running from another folder still finds the project's analyzers.
  for (const root of [options.cwd, options.packageRoot ?? PACKAGE_ROOT]) {
    const venv = process.platform === "win32" ? path.join(root, ".venv", "Scripts", "python.exe") : path.join(root, ".venv", "bin", "python");
    if (existsSync(venv)) return { python: venv, source: ".venv" };
  }
  return { python: "python3", source: "PATH" };
}

// Analyzers run in a neutral cwd, so a relative path must be made absolute now; a bare name
// ("python3.12") is looked up on PATH.
function resolveCommand(command: string, cwd: string): string {
  return command.includes("/") || command.includes(path.sep) ? path.resolve(cwd, command) : command;
}

/** Where pylint and bandit run: a folder of no project, so no configuration around it is read. */
export function analyzerCwd(): string {
  return os.tmpdir();
}

/**
 * Arguments before the script or module: -I (isolated: no PYTHON* variables, no user
 * site-packages, neither the cwd nor the script's folder on sys.path) and UTF-8 mode.
 */
export const PYTHON_FLAGS = ["-I", "-X", "utf8"] as const;

/** The whole environment of an analyzer process; nothing else from ours is passed on. */
export function analyzerEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = { HOME: os.homedir(), TMPDIR: os.tmpdir() };
  // PATH finds a bare `python3`; Windows needs SYSTEMROOT to start Python at all.
  for (const name of ["PATH", "SYSTEMROOT"]) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}

const PROBE_TIMEOUT_MS = 30_000;

// Prints one JSON line; never imports more than pylint's and bandit's top modules. Semgrep is
// only located (its engine, semgrep-core, is a binary inside the package), not imported.
const PROBE_SCRIPT = `
import json, os, platform, sys
from importlib import metadata, util
out = {"python": platform.python_version(), "missing": []}
for name in sys.argv[1:]:
    try:
        if name == "semgrep":
            spec = util.find_spec("semgrep")
            core = os.path.join(spec.submodule_search_locations[0], "bin", "semgrep-core")
            if not os.access(core, os.X_OK):
                raise FileNotFoundError(core)
            out["semgrep"] = {"version": metadata.version("semgrep"), "core": core}
        else:
            # The package's metadata, not an import: importing pylint and bandit costs the start
            # of every run a few hundred milliseconds, and the workers import them anyway.
            if util.find_spec(name) is None:
                raise ModuleNotFoundError(name)
            out[name] = metadata.version(name)
    except Exception:
        out["missing"].append(name)
print(json.dumps(out))
`;

const probeSchema = z.object({
  python: z.string(),
  missing: z.array(z.string()),
  pylint: z.string().optional(),
  bandit: z.string().optional(),
  semgrep: z.object({ version: z.string(), core: z.string() }).optional(),
});

/** Checks that `python` runs and has the tools' packages; throws a one-line dependencyError if not. */
export async function probeAnalyzers(python: string, tools: readonly PythonTool[] = ["pylint", "bandit"]): Promise<AnalyzerVersions> {
  const install = `run \`npm run setup\`, or \`${python} -m pip install -r ${REQUIREMENTS_FILE}\``;
  const result = await execa(python, [...PYTHON_FLAGS, "-c", PROBE_SCRIPT, ...tools], {
    cwd: analyzerCwd(),
    env: analyzerEnv(),
    extendEnv: false,
    reject: false,
    timeout: PROBE_TIMEOUT_MS,
    stdin: "ignore",
  });
  if (isNotFound(result)) {
    throw dependencyError(`Python not found: ${python} (install Python 3.10+, then ${install}; or pass --python)`);
  }
  if (result.timedOut) {
    throw dependencyError(`Python did not answer within ${PROBE_TIMEOUT_MS / 1000}s: ${python}`);
  }
  const parsed = probeSchema.safeParse(parseJsonLine(result.stdout));
  if (result.exitCode !== 0 || !parsed.success) {
    throw dependencyError(`cannot run ${python}: ${lastLine(result.stderr) || `exit status ${result.exitCode ?? "none"}`}`);
  }
  const probe = parsed.data;
  if (probe.missing.length > 0) {
    throw dependencyError(`${probe.missing.join(" and ")} not installed for ${python}: ${install}`);
  }
  const [major = 0, minor = 0] = probe.python.split(".").map(Number);
  if (major < 3 || (major === 3 && minor < 10)) {
    throw dependencyError(`${python} is Python ${probe.python}; the analyzers need Python 3.10 or newer`);
  }
  return {
    python,
    pythonVersion: probe.python,
    pylint: probe.pylint ?? "unknown",
    bandit: probe.bandit ?? "unknown",
    ...(probe.semgrep ? { semgrep: probe.semgrep } : {}),
  };
}

/** Whether an execa result failed because the executable does not exist. */
export function isNotFound(result: { failed: boolean; code?: string | undefined; cause?: unknown }): boolean {
  if (!result.failed) return false;
  if (result.code === "ENOENT") return true;
  const cause = result.cause;
  return typeof cause === "object" && cause !== null && "code" in cause && cause.code === "ENOENT";
}

function parseJsonLine(stdout: unknown): unknown {
  const text = typeof stdout === "string" ? stdout.trim() : "";
  try {
    return JSON.parse(text.split("\n").at(-1) ?? "");
  } catch {
    return undefined;
  }
}

/** The last non-empty line of a tool's stderr, where Python puts the error of a traceback. */
export function lastLine(text: unknown): string {
  if (typeof text !== "string") return "";
  const lines = text.split("\n").map((line) => line.trim());
  return lines.filter(Boolean).at(-1) ?? "";
}
