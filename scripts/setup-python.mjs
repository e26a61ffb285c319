// `npm run setup`: puts the pinned analyzers, pylint, bandit and semgrep (requirements.txt), into ./.venv.
// Plain Node ESM with no dependencies, so it runs on Node 20 before anything else is installed.
// The base interpreter is $PYTHON, else python3; one line per step goes to stderr.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MIN_PYTHON = [3, 10];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const requirements = path.join(root, "requirements.txt");
const venv = path.join(root, ".venv");
const venvPython =
  process.platform === "win32" ? path.join(venv, "Scripts", "python.exe") : path.join(venv, "bin", "python");

function say(line) {
  process.stderr.write(`${line}\n`);
}

function fail(line) {
  say(`setup: ${line}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, encoding: "utf8", ...options });
}

function lastLine(text) {
  return (text ?? "").trim().split("\n").at(-1)?.trim() ?? "";
}

function pinnedVersions() {
  const text = readFileSync(requirements, "utf8");
  const pin = (name) => new RegExp(`^${name}==([^\\s#]+)`, "im").exec(text)?.[1];
  const versions = { pylint: pin("pylint"), bandit: pin("bandit"), semgrep: pin("semgrep") };
  if (Object.values(versions).some((v) => !v)) fail(`${requirements} must pin pylint==X, bandit==Y and semgrep==Z`);
  return versions;
}

/** [major, minor], or undefined if the command does not run. */
function pythonVersion(python) {
  const result = run(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]);
  if (result.error || result.status !== 0) return undefined;
  const [major, minor] = result.stdout.trim().split(".").map(Number);
  return [major, minor];
}

function isOldPython([major, minor]) {
  return major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1]);
}

/** {pylint, bandit, semgrep} as the venv's Python knows them, or undefined. */
function installedVersions() {
  if (!existsSync(venvPython)) return undefined;
  const result = run(venvPython, [
    "-I",
    "-c",
    "import json; from importlib.metadata import version as v; print(json.dumps({n: v(n) for n in ('pylint', 'bandit', 'semgrep')}))",
  ]);
  if (result.error || result.status !== 0) return undefined;
  try {
    return JSON.parse(lastLine(result.stdout));
  } catch {
    return undefined;
  }
}

// The test sandbox (src/sandbox): unit tests of dataset items run only inside bubblewrap.
function checkSandbox() {
  const found = run("bwrap", ["--version"]);
  if (found.error || found.status !== 0) {
    say("bubblewrap (bwrap) not found: items' unit tests cannot run (validate refuses them, or pass --no-tests); install it: sudo apt install bubblewrap (Fedora: sudo dnf install bubblewrap)");
  } else {
    say(`test sandbox: ${found.stdout.trim()}`);
  }
}
checkSandbox();

const pinned = pinnedVersions();
const describe = (v) => `pylint ${v?.pylint ?? "none"}, bandit ${v?.bandit ?? "none"}, semgrep ${v?.semgrep ?? "none"}`;
const ready = () => say(`analyzers ready: ${describe(pinned)} in .venv`);
const matches = (found) => Object.keys(pinned).every((name) => found?.[name] === pinned[name]);

// What the venv was last installed from: a changed requirements.txt (a new pin) installs again.
const stamp = path.join(venv, ".codeenhancer-requirements.sha256");
const wanted = createHash("sha256").update(readFileSync(requirements)).digest("hex");
const installedFrom = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : undefined;

if (installedFrom === wanted && matches(installedVersions())) {
  ready();
  process.exit(0);
}

if (!existsSync(venvPython)) {
  const base = process.env.PYTHON || "python3";
  const version = pythonVersion(base);
  if (!version) fail(`${base} not found: install Python ${MIN_PYTHON.join(".")}+ or set PYTHON=/path/to/python3`);
  if (isOldPython(version)) {
    fail(`${base} is Python ${version.join(".")}; pylint and bandit need ${MIN_PYTHON.join(".")}+ (set PYTHON=/path/to/python3)`);
  }
  say(`creating .venv with ${base} (Python ${version.join(".")})`);
  const created = run(base, ["-m", "venv", venv]);
  if (created.error || created.status !== 0 || !existsSync(venvPython)) {
    const why = lastLine(created.stderr) || lastLine(created.stdout) || created.error?.message || "unknown error";
    fail(`${base} -m venv .venv failed: ${why} (Debian/Ubuntu: apt install python3-venv)`);
  }
} else {
  const version = pythonVersion(venvPython);
  if (version && isOldPython(version)) {
    fail(`.venv has Python ${version.join(".")}; remove .venv and run again with Python ${MIN_PYTHON.join(".")}+`);
  }
}

say(`installing requirements.txt into .venv (${describe(pinned)})`);
// pip's own output goes to stderr too: stdout is for results.
const installed = run(venvPython, ["-m", "pip", "install", "-q", "-r", requirements], { stdio: ["ignore", 2, 2] });
if (installed.error || installed.status !== 0) {
  fail(`pip install -r requirements.txt failed (exit status ${installed.status ?? installed.error?.message})`);
}
const found = installedVersions();
if (!matches(found)) {
  fail(`.venv has ${describe(found)} after installing`);
}
writeFileSync(stamp, `${wanted}\n`);
ready();
