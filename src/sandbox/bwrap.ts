import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";

// Everything about bubblewrap: finding it, the Python the tests run with, and the command line
// that builds one sandbox. bwrap(1): https://github.com/containers/bubblewrap

export const INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: `sudo apt install bubblewrap`; Fedora: `sudo dnf install bubblewrap`), or pass --no-tests";

/** Limits inside the sandbox, per process (set with setrlimit before the solution is imported). */
export interface SandboxLimits {
  /** Address space (RLIMIT_AS), bytes. */
  memoryBytes: number;
  /** CPU time (RLIMIT_CPU), seconds. */
  cpuSeconds: number;
  /** Processes and threads of the sandbox's user (RLIMIT_NPROC): bounds fork bombs. */
  processes: number;
  /** Largest file it may write (RLIMIT_FSIZE), bytes. */
  fileBytes: number;
  /** Size of the writable working folder (a tmpfs), and of /dev/shm, bytes. */
  workBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 512 * 2 ** 20,
  cpuSeconds: 10,
  processes: 32,
  fileBytes: 16 * 2 ** 20,
  workBytes: 64 * 2 ** 20,
};

/** The Python the sandbox runs: its real executable and the install prefix bound read-only. */
export interface SandboxPython {
  executable: string;
  prefix: string;
}

/** Where the host's files appear inside the sandbox. */
export const SANDBOX_DIR = "/sandbox";
export const HARNESS_DIR = "/harness";

// Run as root, the sandbox's processes would count as the host's root, whom RLIMIT_NPROC does not
// bind (kernel/fork.c exempts INIT_USER): a fork bomb would be bounded only by the clock. So as
// root the sandbox runs as "nobody" in its own user namespace.
const NOBODY = 65534;
export const dropToNobody = () => process.getuid?.() === 0;
export const spawnIds = (): { uid?: number; gid?: number } => (dropToNobody() ? { uid: NOBODY, gid: NOBODY } : {});

/** `name` as an absolute path: itself if it has a slash, else the first match on PATH. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? path.resolve(name) : undefined;
  for (const dir of (env.PATH ?? "/usr/bin:/bin").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    const stat = statSync(file);
    return stat.isFile() && (stat.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Whether "others" can reach `file` (every folder above it searchable, itself readable). */
function reachableByOthers(file: string): boolean {
  let current = file;
  try {
    if ((statSync(current).mode & 0o004) === 0) return false;
    while (current !== path.dirname(current)) {
      current = path.dirname(current);
      if ((statSync(current).mode & 0o001) === 0) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The Python for tests: `candidate` (the analyzers' Python) resolved through its symlinks (a venv's
 * python points into the real install, which is what gets bound). Run as root, the sandbox user
 * must be able to reach it; else the system's /usr/bin/python3 is used.
 */
export async function resolveSandboxPython(candidate: string): Promise<SandboxPython | string> {
  const tried: string[] = [];
  for (const name of [candidate, "/usr/bin/python3"]) {
    const found = which(name);
    if (!found) {
      tried.push(`${name} not found`);
      continue;
    }
    const executable = realpathSync(found);
    // Checked before it is run: a Python the sandbox user cannot reach is not worth starting.
    if (dropToNobody() && !reachableByOthers(executable)) {
      tried.push(`${executable} is not readable by the sandbox user (run as root, tests run as nobody)`);
      continue;
    }
    // Python itself, not generated code: asked where its standard library lives.
    const result = await execa(executable, ["-I", "-c", "import sys; print(sys.prefix)"], { reject: false, timeout: 15_000, extendEnv: false, env: { PATH: "/usr/bin:/bin" } });
    if (result.exitCode !== 0) {
      tried.push(`${executable} does not run`);
      continue;
    }
    const prefix = realpathSync(result.stdout.trim());
    if (dropToNobody() && !reachableByOthers(prefix)) {
      tried.push(`${executable} is not readable by the sandbox user (run as root, tests run as nobody)`);
      continue;
    }
    return { executable, prefix };
  }
  return tried.join("; ");
}

export interface ServerSandbox {
  /** Host folder holding test_server.py and test_harness.py, bound read-only at /harness. */
  harnessDir: string;
  python: SandboxPython;
}

/**
 * bwrap's arguments for the sandbox the test server (python/test_server.py) lives in. Only /usr
 * (and the Python install) is visible, read-only; no network, own PID, IPC, UTS and user
 * namespaces, and no further user namespaces; a cleared environment; killed with its parent. It
 * keeps CAP_SYS_ADMIN and CAP_NET_ADMIN in its own user namespace: what the server needs to give
 * each run its own mount, PID, network and IPC namespaces, a fresh /sandbox and a loopback. Each
 * run drops every capability before any of its code runs.
 */
export function serverBwrapArgs(sandbox: ServerSandbox, command: string[]): string[] {
  const args = [
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--cap-add", "CAP_SYS_ADMIN",
    "--cap-add", "CAP_NET_ADMIN",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--setenv", "PATH", "/usr/bin:/bin",
    "--setenv", "HOME", SANDBOX_DIR,
    "--setenv", "TMPDIR", SANDBOX_DIR,
    "--setenv", "LANG", "C.UTF-8",
    "--hostname", "sandbox",
    "--ro-bind", "/usr", "/usr",
  ];
  // Merged-/usr systems have /lib, /lib64, /bin as links into /usr; others have real folders.
  for (const top of ["/bin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    const link = readLink(top);
    if (link !== undefined) args.push("--symlink", link, top);
    else args.push("--ro-bind-try", top, top);
  }
  args.push("--ro-bind-try", "/etc/alternatives", "/etc/alternatives", "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache");
  if (sandbox.python.prefix !== "/usr" && !sandbox.python.prefix.startsWith("/usr/")) args.push("--ro-bind", sandbox.python.prefix, sandbox.python.prefix);
  args.push("--proc", "/proc", "--dev", "/dev", "--dir", SANDBOX_DIR);
  args.push("--ro-bind", sandbox.harnessDir, HARNESS_DIR);
  args.push("--remount-ro", "/", "--chdir", "/", "--", ...command);
  return args;
}

function readLink(file: string): string | undefined {
  try {
    return path.isAbsolute(file) && statSync(file) && realpathSync(file) !== file ? path.relative("/", realpathSync(file)) : undefined;
  } catch {
    return undefined;
  }
}
