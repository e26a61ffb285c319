import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRunner, type TestRunner } from "./runner.js";
import type { TestSpec } from "./types.js";

// Hostile "generated" files against the real bubblewrap sandbox. Each must be contained: nothing
// written outside, no connection, no key in any output, no process left, and the run finishes.

const FAKE_KEY = `sk-fake-sandbox-${randomUUID()}`;
const marker = () => `ce-escape-${randomUUID()}`;
const mbpp = (...test_list: string[]): TestSpec => ({ kind: "mbpp", test_list, test_imports: [], test_setup_code: "" });

/** Command lines of every process on the host that mention `text`. */
function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(text)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Polls until `done()` holds or `ms` pass (the machine may be busy); the caller asserts after. */
async function waitUntil(done: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await sleep(100);
}

let runner: TestRunner;
let savedKey: string | undefined;
beforeAll(async () => {
  savedKey = process.env.OPENAI_API_KEY;
  process.env.OPENAI_API_KEY = FAKE_KEY;
  runner = await createTestRunner({ python: ".venv/bin/python", timeoutMs: 10_000 });
});
afterAll(async () => {
  await runner.close();
  if (savedKey === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = savedKey;
});

describe("hostile solutions are contained", () => {
  it("cannot write outside its folder: not /tmp, not $HOME, not the files it was given", async () => {
    const name = marker();
    const targets = [path.join("/tmp", name), path.join(os.tmpdir(), name), path.join(os.homedir(), name), `/usr/${name}`];
    const code = [
      "def escape():",
      "    wrote = []",
      `    for target in ${JSON.stringify([...targets, "solution.py", "/harness/test_harness.py"])}:`,
      "        try:",
      "            with open(target, 'a') as handle:",
      "                handle.write('escaped')",
      "            wrote.append(target)",
      "        except OSError as error:",
      "            pass",
      "    with open('scratch.txt', 'w') as handle:",
      "        handle.write('its own folder is writable')",
      "    return wrote",
    ].join("\n");
    const run = await runner.run(code, mbpp("assert escape() == []"));
    expect(run).toMatchObject({ passed: 1, total: 1 });
    for (const target of targets) expect(existsSync(target), target).toBe(false);
  });

  it("cannot connect to a server listening on the host's 127.0.0.1", async () => {
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      socket.end("hello from the host\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const code = [
        "import socket",
        "def reach():",
        "    try:",
        `        with socket.create_connection(('127.0.0.1', ${port}), timeout=3) as s:`,
        "            return s.recv(100).decode()",
        "    except OSError as error:",
        "        return 'unreachable: %s' % error",
      ].join("\n");
      const run = await runner.run(code, mbpp("assert reach() == 'hello from the host\\n'"));
      expect(run).toMatchObject({ passed: 0, failed: 1, total: 1 });
      expect(run.output).toContain("unreachable");
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it("cannot read OPENAI_API_KEY from its environment or any /proc/*/environ", async () => {
    const code = [
      "import glob, os",
      "def sources():",
      "    found = {'os.environ': repr(dict(os.environ))}",
      "    for name in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):",
      "        try:",
      "            with open(name, 'rb') as handle:",
      "                found[name] = handle.read().decode('utf-8', 'replace')",
      "        except OSError as error:",
      "            found[name] = str(error)",
      "    return found",
      "def leaks():",
      "    return [name + ': ' + text for name, text in sources().items() if 'OPENAI' in text or 'sk-' in text]",
      "def init_environ():",
      "    return sources()['/proc/1/environ']",
    ].join("\n");
    // Failing compares put what the code found into the report the model would see.
    const run = await runner.run(code, mbpp("assert leaks() == ['none']", "assert init_environ() == ''"));
    expect(run).toMatchObject({ failed: 2, total: 2 });
    expect(run.output).toContain("got:      []");
    // PID 1 of the run's namespace is the run itself: its environment is the sandbox's, nothing of ours.
    expect(run.output).toContain("got:      'PATH=/usr/bin:/bin\\x00HOME=/sandbox\\x00TMPDIR=/sandbox\\x00LANG=C.UTF-8\\x00PWD=/\\x00'");
    expect(run.output).not.toContain(FAKE_KEY);
    expect(run.output).not.toContain("OPENAI");
  });

  it("a sleep that ignores signals is killed at the wall clock with all it started; the report names the test", async () => {
    const quick = await createTestRunner({ python: ".venv/bin/python", timeoutMs: 4000 });
    const name = marker();
    try {
      const code = [
        "import os, signal, sys, time",
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)",
        "def wait():",
        "    if os.fork() == 0:",
        `        os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)', ${JSON.stringify(name)}])`,
        "    time.sleep(10 ** 6)",
        "    return 1",
        "def one():",
        "    return 1",
      ].join("\n");
      const run = await quick.run(code, mbpp("assert one() == 1", "assert wait() == 1", "assert one() == 1"));
      expect(run).toMatchObject({ passed: 1, failed: 0, errors: 2, total: 3, timed_out: true });
      expect(run.output).toContain("TIMEOUT: the tests did not finish within 4 s during assert wait() == 1");
      await waitUntil(() => processesMentioning(name).length === 0, 5000);
      expect(processesMentioning(name)).toEqual([]);
    } finally {
      await quick.close();
    }
  });

  it("an aborted run is killed at once and rejects with the abort's reason", async () => {
    const name = marker();
    const controller = new AbortController();
    const code = `import os, sys, time\ndef wait():\n    if os.fork() == 0:\n        os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)', ${JSON.stringify(name)}])\n    time.sleep(600)\n`;
    const pending = runner.run(code, mbpp("assert wait() is None"), controller.signal);
    await waitUntil(() => processesMentioning(name).length > 0);
    expect(processesMentioning(name)).toHaveLength(1);
    controller.abort(new Error("stopped by the test"));
    await expect(pending).rejects.toThrow("stopped by the test");
    await waitUntil(() => processesMentioning(name).length === 0, 5000);
    expect(processesMentioning(name)).toEqual([]);
  });

  it("a daemonized fork that outlives the test is killed: no file appears later, no process is left", async () => {
    const name = marker();
    const late = path.join("/tmp", name);
    const code = [
      "import os, sys",
      "def spawn():",
      "    if os.fork() == 0:",
      "        os.setsid()",
      "        if os.fork() == 0:",
      `            later = ${JSON.stringify(`import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(3); open('${late}', 'w').write('late')`)}`,
      `            os.execv(sys.executable, [sys.executable, '-c', later, ${JSON.stringify(name)}])`,
      "        os._exit(0)",
      "    return 'spawned'",
    ].join("\n");
    const run = await runner.run(code, mbpp("assert spawn() == 'spawned'"));
    expect(run).toMatchObject({ passed: 1, total: 1 });
    // Had it escaped, it would still be asleep now, and would write its file a few seconds later.
    await sleep(200);
    expect(processesMentioning(name)).toEqual([]);
    await sleep(4000);
    expect(existsSync(late)).toBe(false);
  });

  it("a memory hog gets a MemoryError, not the host's memory", async () => {
    const code = "def hog():\n    chunks = []\n    while True:\n        chunks.append(bytearray(64 * 2 ** 20))\n";
    const run = await runner.run(code, mbpp("assert hog() is None", "assert len(bytearray(10 ** 12)) > 0"));
    expect(run).toMatchObject({ passed: 0, errors: 2, total: 2, timed_out: false });
    expect(run.output.match(/MemoryError/g)?.length).toBe(2);
  });

  it("a fork bomb hits the process limit; its processes die with the run", async () => {
    const name = marker();
    const code = [
      "import os, sys",
      "def bomb():",
      "    me = os.getpid()",
      "    while True:",
      "        try:",
      "            os.fork()",
      "        except OSError as error:",
      "            if os.getpid() == me:",
      "                return 'limited: ' + error.strerror",
      `            os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)', ${JSON.stringify(name)}])`,
    ].join("\n");
    const run = await runner.run(code, mbpp("assert bomb() == 'limited: Resource temporarily unavailable'"));
    expect(run).toMatchObject({ passed: 1, total: 1, timed_out: false });
    await sleep(500);
    expect(processesMentioning(name)).toEqual([]);
  });

  it("printing 100 MB goes nowhere; writing it to the result channel is cut off at the cap", async () => {
    const printer = "def shout():\n    print('x' * 100_000_000)\n    return 1\n";
    expect(await runner.run(printer, mbpp("assert shout() == 1"))).toMatchObject({ passed: 1, total: 1 });

    const flooder = [
      "import os",
      "def flood():",
      "    block = b'{' + b'x' * (2 ** 20)",
      "    for _ in range(100):",
      "        for fd in range(3, 12):",
      "            try:",
      "                os.write(fd, block)",
      "            except OSError:",
      "                pass",
      "    return 1",
    ].join("\n");
    const run = await runner.run(flooder, mbpp("assert flood() == 1"));
    expect(run.passed).toBe(0);
    expect(run.output).toContain("wrote more than 1048576 bytes to its result channel");
    expect(run.output.length).toBeLessThanOrEqual(4000);
  });

  it("runs no capability: it cannot mount, unshare or make a user namespace", async () => {
    const code = [
      "import ctypes, os",
      "libc = ctypes.CDLL(None, use_errno=True)",
      "def capabilities():",
      "    return [line.split()[1] for line in open('/proc/self/status') if line.startswith(('CapEff', 'CapPrm', 'CapAmb', 'NoNewPrivs'))]",
      "def attempts():",
      "    tries = [libc.unshare(0x10000000), libc.unshare(0x00020000), libc.unshare(0x40000000), libc.mount(b'tmpfs', b'/usr', b'tmpfs', 0, None)]",
      "    return [(result, os.strerror(ctypes.get_errno())) for result in tries]",
    ].join("\n");
    const run = await runner.run(code, mbpp("assert capabilities() == ['0' * 16, '0' * 16, '0' * 16, '1']", "assert all(result == -1 for result, _ in attempts())"));
    expect(run.output).toBe("2/2 tests passed");
  });
});

describe("runs are isolated from each other", () => {
  it("each run starts with only its own files, a clean /dev/shm, and sees no process of another run", async () => {
    const name = marker();
    // The first run leaves files behind and a process asleep (until its run ends and takes it along).
    const leaver = [
      "import os, sys",
      "def leave():",
      "    open('left.txt', 'w').write('x')",
      "    open('/dev/shm/left', 'w').write('x')",
      "    if os.fork() == 0:",
      `        os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(600)', ${JSON.stringify(name)}])`,
      "    import time",
      "    time.sleep(2)",
      "    return 'left'",
    ].join("\n");
    const looker = [
      "import os",
      "def look():",
      "    commands = []",
      "    for pid in os.listdir('/proc'):",
      "        if pid.isdigit():",
      "            try:",
      "                commands.append(open('/proc/%s/cmdline' % pid, 'rb').read())",
      "            except OSError:",
      "                pass",
      `    return sorted(os.listdir('.')), os.listdir('/dev/shm'), [c for c in commands if ${JSON.stringify(name)}.encode() in c], os.getpid()`,
    ].join("\n");
    const first = runner.run(leaver, mbpp("assert leave() == 'left'"));
    await waitUntil(() => processesMentioning(name).length > 0);
    expect(processesMentioning(name)).toHaveLength(1);
    // While the first run is still going: the second sees none of it.
    expect((await runner.run(looker, mbpp("assert look() == (['solution.py'], [], [], 1)"))).output).toBe("1/1 tests passed");
    expect((await first).output).toBe("1/1 tests passed");
    await waitUntil(() => processesMentioning(name).length === 0, 5000);
    expect(processesMentioning(name)).toEqual([]);
    // And after it: nothing it wrote is left for the next run.
    expect((await runner.run(looker, mbpp("assert look() == (['solution.py'], [], [], 1)"))).output).toBe("1/1 tests passed");
  });
});
