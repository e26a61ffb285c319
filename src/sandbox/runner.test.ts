import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRunner, sandboxStatus, summarize, type TestRunner } from "./runner.js";
import { parseTestSpec } from "./test-spec.js";
import { failingTestNames, type TestSpec } from "./types.js";

// Right and wrong solutions in each of the three forms, through the real bubblewrap sandbox.
// The hostile ones are in sandbox.test.ts.

const samples = JSON.parse(readFileSync(new URL("../../test/fixtures/sandbox/mbpp-items.json", import.meta.url), "utf8")) as Array<
  Record<string, unknown>
>;
const mbpp = (id: string): TestSpec => {
  const item = samples.find((s) => s.id === id);
  if (!item) throw new Error(`no sample ${id}`);
  const spec = parseTestSpec(item);
  if (!spec) throw new Error(`sample ${id} has no tests`);
  return spec;
};

let runner: TestRunner;
beforeAll(async () => {
  runner = await createTestRunner({ python: ".venv/bin/python", timeoutMs: 10_000 });
});
afterAll(() => runner.close());

describe("the sandbox is available here", () => {
  it("sandboxStatus reports bwrap and the Python it runs", async () => {
    const status = await sandboxStatus(".venv/bin/python");
    expect(status).toMatchObject({ ok: true });
    if (status.ok) expect(status.detail).toMatch(/bwrap runs Python 3\.\d+/);
  });
});

describe("no sandbox, no tests", () => {
  it("without bwrap: sandboxStatus says what is missing and how to get it; createTestRunner refuses, exit 3", async () => {
    const env = { PATH: "/nonexistent" };
    expect(await sandboxStatus(".venv/bin/python", env)).toEqual({
      ok: false,
      reason: "bubblewrap (bwrap) is not installed: the tests run only inside its sandbox",
      hint: expect.stringContaining("sudo apt install bubblewrap"),
    });
    await expect(createTestRunner({ python: ".venv/bin/python", env })).rejects.toMatchObject({
      exitCode: 3,
      message: "cannot run tests: bubblewrap (bwrap) is not installed: the tests run only inside its sandbox",
    });
  });

  it("a bwrap that cannot make namespaces (user namespaces disabled) is reported with its own words", async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), "fake-bwrap-"));
    chmodSync(bin, 0o755);
    writeFileSync(path.join(bin, "bwrap"), "#!/bin/sh\necho 'bwrap: No permissions to create a new namespace' >&2\nexit 1\n", { mode: 0o755 });
    const status = await sandboxStatus(".venv/bin/python", { PATH: bin });
    expect(status).toMatchObject({ ok: false, reason: "bubblewrap cannot make its sandbox here: No permissions to create a new namespace" });
    if (!status.ok) expect(status.hint).toContain("user namespaces");
  });
});

describe("MBPP form", () => {
  it("a right solution passes every assert", async () => {
    const run = await runner.run("def similar_elements(a, b):\n    return tuple(set(a) & set(b))\n", mbpp("sample_mbpp_2"));
    expect(run).toMatchObject({ passed: 3, failed: 0, errors: 0, total: 3, timed_out: false });
  });

  it("a wrong one fails, and the report shows what came back against what was expected", async () => {
    const wrong = "import heapq\ndef heap_queue_largest(nums, n):\n    return heapq.nsmallest(n, nums)\n";
    const run = await runner.run(wrong, mbpp("sample_mbpp_4"));
    expect(run).toMatchObject({ passed: 0, failed: 3, errors: 0, total: 3 });
    expect(run.output).toContain("FAILED assert heap_queue_largest( [25, 35, 22, 85, 14, 65, 75, 22, 58],3)==[85, 75, 65]");
    expect(run.output).toContain("got:      [14, 22, 22]");
    expect(run.output).toContain("expected: [85, 75, 65]");
  });

  it("runs test_imports and test_setup_code first; a missing function is an error naming it", async () => {
    const spec: TestSpec = {
      kind: "mbpp",
      test_list: ["assert math.isclose(area(2), 4 * math.pi)", "assert area(R) > 0", "assert perimeter(1) == 2"],
      test_imports: ["import math"],
      test_setup_code: "R = 3",
    };
    const run = await runner.run("import math\ndef area(r):\n    return math.pi * r * r\n", spec);
    expect(run).toMatchObject({ passed: 2, failed: 0, errors: 1, total: 3 });
    expect(run.output).toContain("ERROR assert perimeter(1) == 2");
    expect(run.output).toContain("NameError: name 'perimeter' is not defined");
  });

  it("a solution that does not import errors every test, with its traceback", async () => {
    const run = await runner.run("def is_not_prime(n)\n    return n\n", mbpp("sample_mbpp_3"));
    expect(run).toMatchObject({ passed: 0, failed: 0, errors: 4, total: 4 });
    expect(run.output).toContain("the solution failed to import");
    expect(run.output).toContain("SyntaxError");
  });
});

const humanEval: TestSpec = {
  kind: "humaneval",
  entry_point: "below_zero",
  test: [
    "METADATA = {'author': 'x', 'dataset': 'test'}",
    "",
    "",
    "def check(candidate):",
    "    assert candidate([]) == False",
    "    assert candidate([1, 2, -3, 1, 2, -3]) == False",
    "    assert candidate([1, 2, -4, 5, 6]) == True",
    "    assert candidate([1, -1, 2, -2, 5, -5, 4, -4]) == False",
    "    assert candidate([1, -2, 2, -2, 5, -5, 4, -4]) == True",
    "",
  ].join("\n"),
};

describe("HumanEval form", () => {
  it("a right solution passes check(candidate)", async () => {
    const right = "def below_zero(operations):\n    balance = 0\n    for op in operations:\n        balance += op\n        if balance < 0:\n            return True\n    return False\n";
    expect(await runner.run(right, humanEval)).toMatchObject({ passed: 1, failed: 0, errors: 0, total: 1 });
  });

  it("a wrong one fails, and the report quotes the failing assert line", async () => {
    const wrong = "def below_zero(operations):\n    return sum(operations) < 0\n";
    const run = await runner.run(wrong, humanEval);
    expect(run).toMatchObject({ passed: 0, failed: 1, total: 1 });
    expect(run.output).toContain("FAILED check(below_zero)");
    expect(run.output).toContain("assert candidate([1, 2, -4, 5, 6]) == True");
    expect(run.output).toContain("AssertionError");
  });

  it("a solution without the entry point is an error that names it", async () => {
    const run = await runner.run("def other(x):\n    return x\n", humanEval);
    expect(run).toMatchObject({ passed: 0, errors: 1, total: 1 });
    expect(run.output).toContain("no function named 'below_zero'");
  });
});

const pytestSpec: TestSpec = {
  kind: "pytest",
  tests: [
    "from solution import slugify",
    "",
    "def test_spaces():",
    "    assert slugify('Hello World') == 'hello-world'",
    "",
    "def test_punctuation():",
    "    assert slugify('Hi, there!') == 'hi-there'",
    "",
    "class TestEdges:",
    "    def test_empty(self):",
    "        assert slugify('') == ''",
    "",
  ].join("\n"),
};

describe("pytest form", () => {
  it("a right solution passes every test function and method", async () => {
    const right = "import re\ndef slugify(text):\n    return '-'.join(re.findall(r'[a-z0-9]+', text.lower()))\n";
    expect(await runner.run(right, pytestSpec)).toMatchObject({ passed: 3, failed: 0, errors: 0, total: 3 });
  });

  it("a wrong one fails the tests it breaks, named in the report", async () => {
    const wrong = "def slugify(text):\n    return text.lower().replace(' ', '-')\n";
    const run = await runner.run(wrong, pytestSpec);
    expect(run).toMatchObject({ passed: 2, failed: 1, errors: 0, total: 3 });
    expect(run.output).toContain("FAILED test_punctuation");
    expect(run.output).toContain("assert slugify('Hi, there!') == 'hi-there'");
  });
});

/** Pids of the test servers this process started (their bwrap is our child; the server is below it). */
function ourServers(): number[] {
  const parentOf = (pid: number): number => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return 0;
    }
  };
  const servers: number[] = [];
  for (const name of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
    } catch {
      continue; // it ended while we looked
    }
    // The server itself, not the two bwrap processes above it (their arguments name it too).
    if (!cmdline.includes("/harness/test_server.py") || cmdline.split("\0")[0]?.endsWith("bwrap")) continue;
    for (let pid = parentOf(Number(name)); pid > 1; pid = parentOf(pid)) {
      if (pid === process.pid) {
        servers.push(Number(name));
        break;
      }
    }
  }
  return servers;
}

describe("the test server", () => {
  it("one that dies is replaced: the run in flight fails with a clear error, the next run passes", async () => {
    const others = new Set(ourServers());
    const own = await createTestRunner({ python: ".venv/bin/python", timeoutMs: 10_000 });
    try {
      const servers = ourServers().filter((pid) => !others.has(pid));
      expect(servers).toHaveLength(1);
      const pending = own.run("import time\ndef wait():\n    time.sleep(600)\n", mbpp("sample_mbpp_2"));
      // Nothing a run does can reach the server; the kernel or a user can.
      process.kill(servers[0] ?? 0, "SIGKILL");
      await expect(pending).rejects.toThrow(/^the test sandbox stopped unexpectedly/);
      const run = await own.run("def similar_elements(a, b):\n    return tuple(set(a) & set(b))\n", mbpp("sample_mbpp_2"));
      expect(run).toMatchObject({ passed: 3, total: 3 });
    } finally {
      await own.close();
    }
  });
});

describe("summarize", () => {
  const ending = { expected: 3, timedOut: false, timeoutMs: 10_000, overflow: false, exit: 0, reportChars: 4000 };

  it("counts tests that never reported as errors and says where it stopped", () => {
    const stdout = ['{"e":"total","n":3}', '{"e":"begin","name":"assert f(1) == 1"}', '{"e":"result","name":"assert f(1) == 1","status":"pass","detail":""}', '{"e":"begin","name":"assert f(2) == 2"}'].join("\n");
    const run = summarize(stdout, { ...ending, timedOut: true, exit: "SIGKILL" });
    expect(run).toMatchObject({ passed: 1, failed: 0, errors: 2, total: 3, timed_out: true });
    expect(run.output).toContain("TIMEOUT: the tests did not finish within 10 s during assert f(2) == 2");
  });

  it("ignores lines that are not harness events and caps the report", () => {
    const detail = "x".repeat(3000);
    const lines = [1, 2, 3].map((i) => JSON.stringify({ e: "result", name: `t${i}`, status: "fail", detail }));
    const run = summarize(["noise", "{not json", ...lines, '{"e":"done"}'].join("\n"), { ...ending, reportChars: 1000 });
    expect(run).toMatchObject({ failed: 3, total: 3 });
    expect(run.output.length).toBeLessThanOrEqual(1000);
    expect(run.output).toContain("[report cut at 1000 characters]");
  });

  it("names its failed and errored tests so that failingTestNames reads them back (the test gate's message)", () => {
    const results = [
      { e: "result", name: "assert f(1) == 1", status: "pass", detail: "" },
      { e: "result", name: "assert f(2) == 2", status: "fail", detail: "AssertionError\nFAILED inside the detail is indented" },
      { e: "result", name: "test_three", status: "error", detail: "ImportError" },
    ].map((event) => JSON.stringify(event));
    const run = summarize([...results, '{"e":"done"}'].join("\n"), ending);
    expect(failingTestNames(run)).toEqual(["assert f(2) == 2", "test_three"]);
  });
});
