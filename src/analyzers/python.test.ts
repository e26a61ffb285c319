import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError, ExitCode } from "../errors.js";
import { analyzerEnv, findPython, probeAnalyzers } from "./python.js";

const projectPython = process.env.CODEENHANCER_PYTHON ?? path.resolve(".venv/bin/python");
const temp = mkdtempSync(path.join(os.tmpdir(), "codeenhancer-python-test-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function projectWithVenv(name: string): string {
  const cwd = path.join(temp, name);
  mkdirSync(path.join(cwd, ".venv", "bin"), { recursive: true });
  writeFileSync(path.join(cwd, ".venv", "bin", "python"), "");
  return cwd;
}

describe.skipIf(process.platform === "win32")("findPython", () => {
  it("prefers --python, then CODEENHANCER_PYTHON, then ./.venv, then python3 on PATH", () => {
    const cwd = projectWithVenv("with-venv");
    const env = { CODEENHANCER_PYTHON: "/opt/env/python" };
    expect(findPython({ flag: "/opt/flag/python", env, cwd })).toEqual({ python: "/opt/flag/python", source: "--python" });
    expect(findPython({ env, cwd })).toEqual({ python: "/opt/env/python", source: "CODEENHANCER_PYTHON" });
    expect(findPython({ env: {}, cwd })).toEqual({ python: path.join(cwd, ".venv", "bin", "python"), source: ".venv" });
    const bare = path.join(temp, "no-venv");
    mkdirSync(bare, { recursive: true });
    expect(findPython({ env: {}, cwd: bare, packageRoot: bare })).toEqual({ python: "python3", source: "PATH" });
    // From another folder, the installed package's own .venv (npm run setup) is found.
    expect(findPython({ env: {}, cwd: bare, packageRoot: cwd })).toEqual({ python: path.join(cwd, ".venv", "bin", "python"), source: ".venv" });
  });

  it("ignores empty values and resolves relative paths against cwd (analyzers run elsewhere)", () => {
    const cwd = path.join(temp, "relative");
    mkdirSync(cwd, { recursive: true });
    expect(findPython({ flag: "", env: { CODEENHANCER_PYTHON: " " }, cwd, packageRoot: cwd })).toEqual({ python: "python3", source: "PATH" });
    expect(findPython({ flag: "venvs/a/bin/python", env: {}, cwd }).python).toBe(path.join(cwd, "venvs/a/bin/python"));
    expect(findPython({ env: { CODEENHANCER_PYTHON: "./py" }, cwd }).python).toBe(path.join(cwd, "py"));
    expect(findPython({ flag: "python3.11", env: {}, cwd }).python).toBe("python3.11");
  });
});

describe("analyzerEnv", () => {
  it("passes on PATH and nothing that would change Python's behaviour", () => {
    const env = analyzerEnv({ PATH: "/usr/bin", PYTHONPATH: "/evil", PYTHONSTARTUP: "/evil.py", PYLINTRC: "/rc", OPENAI_API_KEY: "sk" });
    expect(env.PATH).toBe("/usr/bin");
    expect(Object.keys(env).sort()).toEqual(["HOME", "PATH", "TMPDIR"]);
  });
});

describe("probeAnalyzers", () => {
  let bareVenvPython: string;

  beforeAll(async () => {
    // A Python without pylint and bandit: a fresh venv of the project's interpreter, no packages.
    const venv = path.join(temp, "bare-venv");
    await execa(projectPython, ["-m", "venv", "--without-pip", venv]);
    bareVenvPython = path.join(venv, "bin", "python");
  });

  it("reports the versions of the project's Python, pylint and bandit", async () => {
    const versions = await probeAnalyzers(projectPython);
    expect(versions.python).toBe(projectPython);
    expect(versions.pythonVersion).toMatch(/^3\.\d+\.\d+/);
    expect(versions.pylint).toMatch(/^\d+\.\d+\.\d+/);
    expect(versions.bandit).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("names the missing tool, the Python and how to install, in one line (exit 3)", async () => {
    const error = await probeAnalyzers(bareVenvPython).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    const cliError = error as CliError;
    expect(cliError.exitCode).toBe(ExitCode.dependency);
    expect(cliError.message).not.toContain("\n");
    expect(cliError.message).toContain("pylint");
    expect(cliError.message).toContain(bareVenvPython);
    expect(cliError.message).toContain("npm run setup");
    expect(cliError.message).toContain("-m pip install -r");
  });

  it("names a Python that does not exist, in one line (exit 3)", async () => {
    const missing = path.join(temp, "no-such", "python");
    const error = await probeAnalyzers(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.dependency);
    expect((error as CliError).message).toMatch(/^Python not found: /);
    expect((error as CliError).message).toContain(missing);
    expect((error as CliError).message).not.toContain("\n");
  });
});
