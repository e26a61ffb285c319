import { describe, expect, it } from "vitest";
import type { FileAnalysis, Finding } from "../analyzers/finding.js";
import type { TestRun } from "../sandbox/types.js";
import {
  advance,
  nextAction,
  compareTestRuns,
  startMachine,
  testsPassed,
  type Action,
  type AskPurpose,
  type MachineConfig,
  type MachineEvent,
  type MachineState,
} from "./validate-machine.js";

// Plain fakes: a body's findings are its lines that say `BAD`; of its three tests, `BUG` fails two,
// `WORSE` all three, `SWAP` two others than `BUG` does, and `HANG` times out.

function finding(line: number): Finding {
  return { tool: "bandit", rule: "B999", severity: "high", confidence: "high", cwe: null, line, column: 1, message: "bad", fingerprint: `f${line}` };
}

function analysisOf(body: string): FileAnalysis {
  const findings = body.split("\n").flatMap((text, i) => (text.includes("BAD") ? [finding(i + 1)] : []));
  return { findings, raw: {}, error: null, elapsedMs: 0 };
}

function testsOf(body: string): TestRun {
  if (body.includes("HANG")) return { passed: 0, failed: 0, errors: 3, total: 3, timed_out: true, output: "0/3 tests passed\nTIMEOUT: the tests did not finish within 10 s" };
  const failing = body.includes("WORSE")
    ? ["test_one", "test_two", "test_three"]
    : body.includes("SWAP")
      ? ["test_one", "test_two"]
      : body.includes("BUG")
        ? ["test_two", "test_three"]
        : [];
  const report = failing.map((name) => `FAILED ${name}\n    AssertionError: f(2) == 4`);
  return { passed: 3 - failing.length, failed: failing.length, errors: 0, total: 3, timed_out: false, output: [`${3 - failing.length}/3 tests passed`, ...report].join("\n") };
}

type Reply = string | { error: string } | { content: string; failure: string };

interface Fakes {
  replies?: Partial<Record<AskPurpose, Reply[]>>;
  analyze?: (body: string) => FileAnalysis;
  test?: (body: string) => TestRun | { error: string };
}

const gate: MachineConfig["gate"] = {
  precheck: (_current, candidate) => (candidate.includes("# nosec") ? "it adds `# nosec`" : undefined),
  compare: (before, after) => (after.error ? `the analyzers failed on it: ${after.error}` : after.findings.length > before.findings.length ? "it adds findings" : undefined),
};

function config(overrides: Partial<MachineConfig> = {}): MachineConfig {
  return { maxAttempts: 5, analyzeOnly: false, hasTests: false, judge: "auto", canJudge: true, gate, ...overrides };
}

/** Drives the machine to its end with the fakes, recording every action. */
function drive(cfg: MachineConfig, body: string, fakes: Fakes = {}) {
  let state: MachineState = startMachine(cfg, body);
  const actions: Action[] = [];
  const queues = { "fix-findings": [...(fakes.replies?.["fix-findings"] ?? [])], "fix-tests": [...(fakes.replies?.["fix-tests"] ?? [])], judge: [...(fakes.replies?.judge ?? [])] };
  for (let steps = 0; steps < 100; steps += 1) {
    const action = nextAction(state);
    actions.push(action);
    if (action.kind === "finish") return { state, finish: action, actions, asks: actions.filter((a) => a.kind === "ask").map((a) => (a as { purpose: AskPurpose }).purpose) };
    let event: MachineEvent;
    if (action.kind === "analyze") event = { kind: "analyzed", analysis: (fakes.analyze ?? analysisOf)(action.body) };
    else if (action.kind === "test") {
      const run = (fakes.test ?? testsOf)(action.body);
      event = "error" in run ? { kind: "test-error", message: run.error } : { kind: "tested", run };
    } else {
      const reply = queues[action.purpose].shift();
      if (reply === undefined) throw new Error(`no scripted reply for ${action.purpose}`);
      const prompt = `${action.purpose} prompt`;
      if (typeof reply === "string") event = { kind: "replied", prompt, content: reply };
      else if ("error" in reply) event = { kind: "llm-error", prompt, message: reply.error };
      else event = { kind: "replied", prompt, content: reply.content, failure: reply.failure };
    }
    state = advance(state, event);
  }
  throw new Error("the machine did not finish in 100 steps");
}

const code = (body: string) => `<Code>\n${body}</Code>`;
const statuses = (state: MachineState) => state.revisions.map((r) => r.status);

describe("validate machine: analyzers and judge", () => {
  it("passes a clean file judged Correct at once", () => {
    const run = drive(config(), "def f():\n    return 1\n", { replies: { judge: ["Correct"] } });
    expect(run.finish).toEqual({ kind: "finish", status: "passed", error: null, verdict: "Correct" });
    expect(statuses(run.state)).toEqual(["Correct"]);
    expect(run.state.revisions[0]).toMatchObject({ request: "judge", prompt: "judge prompt", response: "Correct", attempt: 1 });
  });

  it("fixes findings, re-analyzes the fix as the next attempt's file, then judges it", () => {
    const run = drive(config(), "x = BAD\n", { replies: { "fix-findings": [code("x = good\n")], judge: ["Correct"] } });
    expect(run.finish.kind === "finish" && run.finish.status).toBe("passed");
    expect(statuses(run.state)).toEqual(["SAST-Fixed", "Correct"]);
    expect(run.state.revisions[0]?.note).toBe("findings 1 -> 0");
    expect(run.actions.filter((a) => a.kind === "analyze").map((a) => [a.body, (a as { attempt: number }).attempt])).toEqual([
      ["x = BAD\n", 1],
      ["x = good\n", 2],
    ]);
    expect(run.state.revisions[1]?.body).toBe("x = good\n");
  });

  it("refuses a fix the gate rejects, keeps the version and tells the model why next time", () => {
    const run = drive(config({ maxAttempts: 2 }), "x = BAD\n", {
      replies: { "fix-findings": [code("x = BAD  # nosec\n"), code("x = BAD\ny = BAD\n")] },
    });
    expect(run.finish.kind === "finish" && run.finish.status).toBe("unresolved");
    expect(statuses(run.state)).toEqual(["SAST-Fix-Rejected", "SAST-Fix-Rejected"]);
    expect(run.state.revisions[0]?.note).toBe("kept the previous version: it adds `# nosec`");
    expect(run.state.revisions[1]?.note).toBe("kept the previous version: it adds findings");
    const asks = run.actions.filter((a): a is Extract<Action, { kind: "ask" }> => a.kind === "ask");
    expect(asks.map((a) => a.rejection)).toEqual([undefined, "kept the previous version: it adds `# nosec`"]);
    expect(run.state.revisions.every((r) => r.body === "x = BAD\n")).toBe(true);
  });

  it("counts an unparseable or unusable fix reply as a failed attempt", () => {
    const run = drive(config({ maxAttempts: 3 }), "x = BAD\n", {
      replies: { "fix-findings": ["Sorry, no idea.", { content: "<Code>\nx = 1\n", failure: "the reply was cut off at --max-tokens 10" }, code("x = ok\n")] },
      analyze: analysisOf,
    });
    expect(statuses(run.state).slice(0, 2)).toEqual(["Unparseable-Reply", "Unparseable-Reply"]);
    expect(run.state.revisions[0]?.note).toBe("no code in <Code> tags or a fenced block");
    expect(run.state.revisions[1]?.note).toMatch(/cut off/);
    // The fix in the last attempt is checked without a model call: clean, but nothing left for the judge.
    expect(statuses(run.state)).toEqual(["Unparseable-Reply", "Unparseable-Reply", "SAST-Fixed", "Analyzed"]);
    expect(run.state.revisions[3]).toMatchObject({ attempt: 4, finalCheck: true, note: "final check: clean, but no attempt is left for the judge" });
    expect(run.finish.kind === "finish" && run.finish.status).toBe("unresolved");
    expect(run.state.calls).toBe(3);
  });

  it("replaces the body on Incorrect and passes when the correction is judged Correct", () => {
    const run = drive(config(), "def f():\n    return 1\n", {
      replies: { judge: ["Incorrect\n<Code>\ndef f():\n    return 2\n</Code>\n<Reason>off by one</Reason>", "Correct"] },
    });
    expect(statuses(run.state)).toEqual(["Incorrect", "Correct"]);
    expect(run.state.revisions[0]?.note).toBe("reason: off by one; findings 0 -> 0");
    expect(run.state.revisions[1]?.body).toBe("def f():\n    return 2\n");
    expect(run.finish).toMatchObject({ status: "passed", verdict: "Correct" });
  });

  it("takes a correction that brings findings, then fixes them", () => {
    const run = drive(config(), "def f():\n    return 1\n", {
      replies: { judge: ["Incorrect\n<Code>\ndef f():\n    return BAD\n</Code>", "Correct"], "fix-findings": [code("def f():\n    return 2\n")] },
    });
    expect(statuses(run.state)).toEqual(["Incorrect", "SAST-Fixed", "Correct"]);
    expect(run.asks).toEqual(["judge", "fix-findings", "judge"]);
  });

  it("keeps the version when a correction cannot be analyzed", () => {
    const run = drive(config({ maxAttempts: 2 }), "def f():\n    return 1\n", {
      replies: { judge: ["Incorrect\n<Code>\ndef f():\n    return CRASH\n</Code>", "Correct"] },
      analyze: (body) => (body.includes("CRASH") ? { findings: [], raw: {}, error: "pylint: timed out", elapsedMs: 0 } : analysisOf(body)),
    });
    expect(run.state.revisions[0]?.note).toBe("kept the previous version: the analyzers failed on it: pylint: timed out");
    expect(statuses(run.state)).toEqual(["Incorrect", "Correct"]);
    expect(run.state.revisions[1]?.body).toBe("def f():\n    return 1\n");
  });

  it("ends in error when the analyzers fail on the file", () => {
    const run = drive(config(), "x = 1\n", { analyze: () => ({ findings: [], raw: {}, error: "bandit: crashed", elapsedMs: 0 }) });
    expect(run.finish).toEqual({ kind: "finish", status: "error", error: "analyzers failed: bandit: crashed", verdict: null });
    expect(statuses(run.state)).toEqual(["Analyzer-Error"]);
    expect(run.asks).toEqual([]);
  });

  it("ends in error when the model call fails", () => {
    const run = drive(config(), "x = BAD\n", { replies: { "fix-findings": [{ error: "503 after 6 retries" }] } });
    expect(run.finish).toMatchObject({ status: "error", error: "503 after 6 retries" });
    expect(run.state.revisions[0]).toMatchObject({ status: "LLM-Error", note: "503 after 6 retries", prompt: "fix-findings prompt" });
  });

  it("stops after maxAttempts rounds when findings stay, with no extra check", () => {
    const run = drive(config({ maxAttempts: 3 }), "x = BAD\n", { replies: { "fix-findings": ["no", "no", "no"] } });
    expect(run.state.revisions).toHaveLength(3);
    expect(run.state.calls).toBe(3);
    expect(run.finish.kind === "finish" && run.finish.status).toBe("unresolved");
  });

  it("analyze-only records the analysis and asks nothing", () => {
    const run = drive(config({ analyzeOnly: true, hasTests: true }), "x = BAD\n");
    expect(run.finish).toMatchObject({ status: "unresolved" });
    expect(run.actions.map((a) => a.kind)).toEqual(["analyze", "finish"]);
  });
});

describe("validate machine: --max-attempts holds (issue 14 item 6)", () => {
  it("a judge that answers outside the protocol costs at most maxAttempts calls", () => {
    for (const maxAttempts of [1, 2, 3, 5]) {
      const run = drive(config({ maxAttempts }), "def f():\n    return 1\n", { replies: { judge: Array.from({ length: 10 }, () => "I think it looks fine overall.") } });
      expect(run.state.calls, `--max-attempts ${maxAttempts}`).toBe(maxAttempts);
      expect(run.state.revisions).toHaveLength(maxAttempts);
      expect(run.finish).toMatchObject({ status: "unresolved", verdict: null });
    }
  });

  it("never makes more than maxAttempts calls, whatever the replies", () => {
    const replies = ["Correct", "garbage", code("x = BAD\n"), code("x = fine\n"), code("x = BUG\n"), "Incorrect\n<Code>\nx = BUG\n</Code>", { error: "boom" }];
    for (const maxAttempts of [1, 2, 3]) {
      for (let seed = 0; seed < 60; seed += 1) {
        const pick = (i: number) => replies[(seed * 7 + i * 3) % replies.length]!;
        const script = Array.from({ length: 10 }, (_, i) => pick(i));
        const run = drive(config({ maxAttempts, hasTests: seed % 2 === 0, judge: seed % 3 === 0 ? "always" : "auto" }), "x = BAD\n", {
          replies: { "fix-findings": script, "fix-tests": script, judge: script },
        });
        expect(run.state.calls).toBeLessThanOrEqual(maxAttempts);
        expect(run.state.revisions.filter((r) => !r.finalCheck).length).toBeLessThanOrEqual(maxAttempts);
      }
    }
  });
});

describe("validate machine: tests", () => {
  const withTests = (overrides: Partial<MachineConfig> = {}) => config({ hasTests: true, ...overrides });

  it("passes a clean file whose tests pass, without the judge", () => {
    const run = drive(withTests(), "def f():\n    return 1\n");
    expect(run.finish).toMatchObject({ status: "passed", verdict: null });
    expect(run.actions.map((a) => a.kind)).toEqual(["analyze", "test", "finish"]);
    expect(run.state.revisions[0]).toMatchObject({ status: "Tests-Passed", tests: { passed: 3, total: 3 }, note: "clean and 3 of 3 tests pass" });
  });

  it("sends failing tests to the model and passes once the fix passes them", () => {
    const run = drive(withTests(), "x = BUG\n", { replies: { "fix-tests": [code("x = right\n")] } });
    expect(run.asks).toEqual(["fix-tests"]);
    const ask = run.actions.find((a) => a.kind === "ask");
    expect(ask).toMatchObject({ purpose: "fix-tests", tests: { passed: 1, failed: 2, output: expect.stringContaining("FAILED test_two\n    AssertionError: f(2) == 4") } });
    expect(statuses(run.state)).toEqual(["Test-Fixed", "Tests-Passed"]);
    expect(run.state.revisions.map((r) => r.tests?.passed)).toEqual([1, 3]);
    expect(run.finish).toMatchObject({ status: "passed" });
  });

  it("fixes findings first, then tests the clean version", () => {
    const run = drive(withTests(), "x = BAD\ny = BUG\n", { replies: { "fix-findings": [code("x = ok\ny = BUG\n")], "fix-tests": [code("x = ok\ny = ok\n")] } });
    expect(run.asks).toEqual(["fix-findings", "fix-tests"]);
    expect(statuses(run.state)).toEqual(["SAST-Fixed", "Test-Fixed", "Tests-Passed"]);
    // Attempt 1 tests the file as given although it has findings: the pass@1 before the loop.
    expect(run.state.revisions[0]?.tests?.passed).toBe(1);
  });

  it("is not passed when tests pass but findings remain", () => {
    const run = drive(withTests({ maxAttempts: 2 }), "x = BAD\n", { replies: { "fix-findings": ["nothing", "still nothing"] } });
    expect(run.state.revisions.map((r) => r.tests?.passed)).toEqual([3, 3]);
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("tests every fix before taking it, findings or not, so every revision has a test result", () => {
    const run = drive(withTests({ maxAttempts: 1 }), "x = BAD\nz = BUG\n", { replies: { "fix-findings": [code("x = BAD\nz = BUG\ny = 1\n")] } });
    // The fix keeps the finding and the failing tests (neither worse: accepted); the final check has both.
    expect(statuses(run.state)).toEqual(["SAST-Fixed", "Analyzed"]);
    expect(run.state.revisions[0]?.note).toBe("findings 1 -> 1; tests passed 1 -> 1 of 3");
    expect(run.state.revisions[1]).toMatchObject({ finalCheck: true, tests: { passed: 1, total: 3 } });
    expect(run.actions.map((a) => a.kind)).toEqual(["analyze", "test", "ask", "analyze", "test", "finish"]);
    expect(run.actions[4]).toMatchObject({ kind: "test", attempt: 2, body: "x = BAD\nz = BUG\ny = 1\n" });
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("a fix for failing tests in the last attempt is tested in the final check", () => {
    const run = drive(withTests({ maxAttempts: 1 }), "x = BUG\n", { replies: { "fix-tests": [code("x = fine\n")] } });
    expect(statuses(run.state)).toEqual(["Test-Fixed", "Tests-Passed"]);
    expect(run.finish).toMatchObject({ status: "passed" });
    expect(run.state.calls).toBe(1);
  });

  it("ends Tests-Failed when the tests still fail after the last attempt", () => {
    const run = drive(withTests({ maxAttempts: 1 }), "x = BUG\n", { replies: { "fix-tests": [code("x = BUG\ny = 1\n")] } });
    expect(statuses(run.state)).toEqual(["Test-Fixed", "Tests-Failed"]);
    expect(run.state.revisions[1]?.note).toBe("final check: 1 of 3 tests pass and no attempts are left");
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("counts a timed-out run as failing", () => {
    const hang: TestRun = { passed: 0, failed: 0, errors: 0, total: 3, timed_out: true, output: "timed out after 10 s" };
    expect(testsPassed(hang)).toBe(false);
    expect(testsPassed({ ...hang, passed: 3, timed_out: false })).toBe(true);
    expect(testsPassed({ ...hang, total: 0, timed_out: false })).toBe(false);
    const run = drive(withTests({ maxAttempts: 1 }), "x = 1\n", { test: () => hang, replies: { "fix-tests": ["no code"] } });
    expect(run.asks).toEqual(["fix-tests"]);
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("refuses a test fix the gate rejects", () => {
    const run = drive(withTests({ maxAttempts: 1 }), "x = BUG\n", { replies: { "fix-tests": [code("x = BUG  # nosec\n")] } });
    expect(statuses(run.state)).toEqual(["Test-Fix-Rejected"]);
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("refuses a reply that sends the code back unchanged", () => {
    const run = drive(withTests({ maxAttempts: 2 }), "x = BUG\n", { replies: { "fix-tests": [code("x = BUG\n"), code("x = fixed\n")] } });
    expect(statuses(run.state)).toEqual(["Test-Fix-Rejected", "Test-Fixed", "Tests-Passed"]);
    expect(run.state.revisions[0]?.note).toBe("kept the previous version: it is the same code, unchanged");
    expect(run.actions.filter((a) => a.kind === "analyze")).toHaveLength(2);
  });

  it("ends in error, with the version it had, when the sandbox cannot test a fix", () => {
    const run = drive(withTests(), "x = BUG\n", {
      replies: { "fix-tests": [code("x = BOOM\n")] },
      test: (body) => (body.includes("BOOM") ? { error: "bwrap: out of memory" } : testsOf(body)),
    });
    expect(run.finish).toMatchObject({ status: "error", error: "tests could not run: bwrap: out of memory" });
    expect(statuses(run.state)).toEqual(["Test-Error"]);
    expect(run.state.revisions[0]).toMatchObject({ body: "x = BUG\n", request: "fix-tests", response: code("x = BOOM\n") });
  });

  it("ends in error when the sandbox cannot run the tests", () => {
    const run = drive(withTests(), "x = 1\n", { test: () => ({ error: "bwrap: setting up uid map: Permission denied" }) });
    expect(run.finish).toMatchObject({ status: "error", error: "tests could not run: bwrap: setting up uid map: Permission denied" });
    expect(statuses(run.state)).toEqual(["Test-Error"]);
  });

  it("--judge always asks the judge once the tests pass", () => {
    const run = drive(withTests({ judge: "always" }), "x = 1\n", { replies: { judge: ["Correct"] } });
    expect(run.actions.map((a) => a.kind)).toEqual(["analyze", "test", "ask", "finish"]);
    expect(run.finish).toMatchObject({ status: "passed", verdict: "Correct" });
  });

  it("--judge never passes a clean file without tests and asks nothing", () => {
    const run = drive(config({ judge: "never" }), "x = 1\n");
    expect(run.finish).toMatchObject({ status: "passed", verdict: null });
    expect(run.state.revisions[0]?.note).toBe("clean; not judged (--judge never)");
  });
});

describe("validate machine: the test gate (a fix that passes fewer tests is refused)", () => {
  const withTests = (overrides: Partial<MachineConfig> = {}) => config({ hasTests: true, ...overrides });
  const asksOf = (actions: Action[]) => actions.filter((a): a is Extract<Action, { kind: "ask" }> => a.kind === "ask");

  it("refuses a test fix that breaks a passing test, keeps the version, spends the attempt and says why next time", () => {
    const run = drive(withTests({ maxAttempts: 3 }), "x = BUG\n", { replies: { "fix-tests": [code("x = WORSE\n"), code("x = right\n")] } });
    const refusal = "kept the previous version: it broke tests that passed before: `test_one` (with it 0 of 3 tests pass; without it 1 of 3 tests pass)";
    expect(statuses(run.state)).toEqual(["Test-Fix-Rejected", "Test-Fixed", "Tests-Passed"]);
    expect(run.state.revisions[0]).toMatchObject({ attempt: 1, body: "x = BUG\n", note: refusal, response: code("x = WORSE\n") });
    // The candidate was analyzed and tested as attempt 2's file, then attempt 2 went on with the kept version.
    expect(run.actions.filter((a) => a.kind !== "ask" && a.kind !== "finish").map((a) => [a.kind, (a as { body: string }).body])).toEqual([
      ["analyze", "x = BUG\n"],
      ["test", "x = BUG\n"],
      ["analyze", "x = WORSE\n"],
      ["test", "x = WORSE\n"],
      ["analyze", "x = right\n"],
      ["test", "x = right\n"],
    ]);
    expect(run.state.revisions[1]).toMatchObject({ attempt: 2, body: "x = BUG\n", tests: { passed: 1 }, note: "findings 0 -> 0; tests passed 1 -> 3 of 3" });
    expect(asksOf(run.actions).map((a) => a.rejection)).toEqual([undefined, refusal]);
    // The second request shows the kept version and its own test report, not the refused one's.
    expect(asksOf(run.actions)[1]).toMatchObject({ body: "x = BUG\n", tests: { passed: 1, output: expect.stringContaining("FAILED test_two") } });
    expect(run.state.calls).toBe(2);
    expect(run.finish).toMatchObject({ status: "passed" });
    expect(run.state.revisions.at(-1)).toMatchObject({ body: "x = right\n", tests: { passed: 3, total: 3 } });
  });

  it("counts a timeout as failures: a fix that hangs is refused", () => {
    const run = drive(withTests({ maxAttempts: 2 }), "x = BUG\n", { replies: { "fix-tests": [code("x = HANG\n"), "no code"] } });
    expect(statuses(run.state)).toEqual(["Test-Fix-Rejected", "Unparseable-Reply"]);
    expect(run.state.revisions[0]?.note).toBe(
      "kept the previous version: it broke tests that passed before (with it 0 of 3 tests pass (timed out, 3 could not run); without it 1 of 3 tests pass)",
    );
    expect(run.state.revisions.every((r) => r.body === "x = BUG\n" && r.tests?.passed === 1)).toBe(true);
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("refuses a findings fix that breaks tests the version passed", () => {
    const run = drive(withTests(), "x = BAD\n", { replies: { "fix-findings": [code("x = ok\ny = WORSE\n"), code("x = ok\n")] } });
    expect(statuses(run.state)).toEqual(["SAST-Fix-Rejected", "SAST-Fixed", "Tests-Passed"]);
    expect(run.state.revisions[0]?.note).toMatch(/^kept the previous version: it broke tests that passed before: `test_one`, `test_two`, `test_three` \(/);
    expect(asksOf(run.actions)[1]?.rejection).toBe(run.state.revisions[0]?.note);
    expect(run.finish).toMatchObject({ status: "passed" });
  });

  it("takes a fix that passes as many tests, even other ones", () => {
    const run = drive(withTests({ maxAttempts: 2 }), "x = BUG\n", { replies: { "fix-tests": [code("x = SWAP\n"), code("x = right\n")] } });
    expect(statuses(run.state)).toEqual(["Test-Fixed", "Test-Fixed", "Tests-Passed"]);
    expect(run.state.revisions[1]).toMatchObject({ body: "x = SWAP\n", tests: { passed: 1 } });
  });

  it("a fix refused in the last attempt leaves the kept version as the final one, unresolved", () => {
    const run = drive(withTests({ maxAttempts: 1 }), "x = BUG\n", { replies: { "fix-tests": [code("x = WORSE\n")] } });
    expect(statuses(run.state)).toEqual(["Test-Fix-Rejected"]);
    expect(run.state.revisions).toHaveLength(1);
    expect(run.state.revisions[0]).toMatchObject({ body: "x = BUG\n", tests: { passed: 1, total: 3 } });
    expect(run.state.current?.body).toBe("x = BUG\n");
    expect(run.state.calls).toBe(1);
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("a fix that passes every test but brings findings is refused: never passed on tests alone", () => {
    const run = drive(withTests({ maxAttempts: 1 }), "x = BUG\n", { replies: { "fix-tests": [code("x = BAD\n")] } });
    expect(statuses(run.state)).toEqual(["Test-Fix-Rejected"]);
    expect(run.state.revisions[0]?.note).toBe("kept the previous version: it adds findings");
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("refuses a judge's correction that breaks tests, and judges the kept version again", () => {
    const run = drive(withTests({ judge: "always" }), "x = 1\n", {
      replies: { judge: ["Incorrect\n<Code>\nx = WORSE\n</Code>\n<Reason>wrong</Reason>", "Correct"] },
    });
    expect(statuses(run.state)).toEqual(["Incorrect", "Correct"]);
    expect(run.state.revisions[0]?.note).toMatch(/^reason: wrong; kept the previous version: it broke tests that passed before: `test_one`/);
    expect(run.state.revisions[1]).toMatchObject({ body: "x = 1\n", tests: { passed: 3 } });
    expect(run.finish).toMatchObject({ status: "passed", verdict: "Correct" });
  });

  it("passed always means the final version is clean and passes every test, whatever the replies", () => {
    const replies = [code("x = WORSE\n"), code("x = BAD\n"), code("x = right\n"), code("x = HANG\n"), code("x = SWAP\n"), "Correct", "Incorrect\n<Code>\nx = BUG\n</Code>", "junk"];
    for (let seed = 0; seed < 200; seed += 1) {
      const pick = (i: number) => replies[(seed * 5 + i * (seed % 3 + 1)) % replies.length]!;
      const script = Array.from({ length: 10 }, (_, i) => pick(i));
      const start = ["x = BUG\n", "x = BAD\n", "x = 1\n", "x = SWAP\n"][seed % 4]!;
      const run = drive(withTests({ maxAttempts: 1 + (seed % 4), judge: seed % 5 === 0 ? "always" : "auto" }), start, {
        replies: { "fix-findings": script, "fix-tests": script, judge: script },
      });
      const last = run.state.revisions.at(-1)!;
      expect(last.body).toBe(run.state.current?.body);
      // The tests never go down from one revision to the next.
      const passes = run.state.revisions.map((r) => r.tests?.passed ?? 0);
      expect(passes).toEqual([...passes].sort((a, b) => a - b));
      if (run.finish.kind === "finish" && run.finish.status === "passed") {
        expect(last.analysis.findings).toEqual([]);
        expect(testsPassed(last.tests)).toBe(true);
      }
    }
  });
});

describe("compareTestRuns", () => {
  const run = (passed: number, failing: string[], extra: Partial<TestRun> = {}): TestRun => ({
    passed,
    failed: failing.length,
    errors: 0,
    total: passed + failing.length,
    timed_out: false,
    output: [`${passed}/${passed + failing.length} tests passed`, ...failing.map((name) => `FAILED ${name}\n    AssertionError`)].join("\n"),
    ...extra,
  });

  it("is silent unless fewer tests pass", () => {
    expect(compareTestRuns(run(1, ["b", "c"]), run(1, ["a", "c"]))).toBeUndefined();
    expect(compareTestRuns(run(1, ["b", "c"]), run(3, []))).toBeUndefined();
  });

  it("names the tests that passed before and fail now, five at most", () => {
    const before = run(7, ["h"]);
    const after = run(1, ["a", "b", "c", "d", "e", "f", "h"]);
    expect(compareTestRuns(before, after)).toBe(
      "it broke tests that passed before: `a`, `b`, `c`, `d`, `e` and 1 more (with it 1 of 8 tests pass; without it 7 of 8 tests pass)",
    );
  });

  it("counts errors and a timeout as failures", () => {
    const crashed: TestRun = { passed: 0, failed: 0, errors: 2, total: 2, timed_out: false, output: "0/2 tests passed\nERROR assert f(1) == 1\n    ImportError\nERROR assert f(2) == 2\n    ImportError" };
    expect(compareTestRuns(run(1, ["assert f(2) == 2"]), crashed)).toBe(
      "it broke tests that passed before: `assert f(1) == 1` (with it 0 of 2 tests pass (2 could not run); without it 1 of 2 tests pass)",
    );
    expect(compareTestRuns(run(2, []), { ...run(1, []), total: 2, errors: 1, timed_out: true })).toMatch(/^it broke tests that passed before \(with it 1 of 2 tests pass \(timed out, 1 could not run\)/);
  });
});

describe("validate machine: nothing to judge against (issue 14 item 5)", () => {
  it("marks a clean file without a specification unjudgeable and asks nothing", () => {
    const run = drive(config({ canJudge: false }), "x = 1\n");
    expect(run.asks).toEqual([]);
    expect(statuses(run.state)).toEqual(["Unjudgeable"]);
    expect(run.finish).toMatchObject({ status: "unresolved" });
  });

  it("still fixes its findings first", () => {
    const run = drive(config({ canJudge: false }), "x = BAD\n", { replies: { "fix-findings": [code("x = 1\n")] } });
    expect(run.asks).toEqual(["fix-findings"]);
    expect(statuses(run.state)).toEqual(["SAST-Fixed", "Unjudgeable"]);
  });

  it("lets tests decide when the file has them", () => {
    const run = drive(config({ canJudge: false, hasTests: true }), "x = 1\n");
    expect(run.finish).toMatchObject({ status: "passed" });
  });
});
