import type { FileAnalysis } from "../analyzers/finding.js";
import { extractTaggedCode, parseVerdict } from "../llm/extract.js";
import { failingTestNames, type TestRun } from "../sandbox/types.js";
import type { RevisionStatus, ValidateStatus } from "../schemas.js";
import { splitDocstring } from "./docstring.js";

// The per-file validation loop as a state machine: `nextAction(state)` says what to do, the driver
// (validate.ts) does it (files, analyzers, sandbox, model) and `advance(state, event)` takes the
// outcome. Both are pure, so every branch is tested in-process with plain values.

/** `auto`: the judge runs when a file has no tests. */
export type JudgeMode = "always" | "auto" | "never";

export interface CandidateGate {
  /** A reason to refuse a new body before analyzing it (silenced tools, dropped code). */
  precheck(current: string, candidate: string): string | undefined;
  /** A reason to refuse an analyzed candidate (new findings, the analyzers failed on it). */
  compare(before: FileAnalysis, after: FileAnalysis): string | undefined;
}

export interface MachineConfig {
  /** Fix or judge rounds, each one model call at most. */
  maxAttempts: number;
  analyzeOnly: boolean;
  hasTests: boolean;
  judge: JudgeMode;
  /** Whether there is something to judge against: the docstring, or the dataset's prompt. */
  canJudge: boolean;
  gate: CandidateGate;
}

export type AskPurpose = "fix-findings" | "fix-tests" | "judge";
export type Verdict = "Correct" | "Incorrect";

export type Action =
  /** Write `body` as attempt `attempt`'s file and run the analyzers on it. */
  | { kind: "analyze"; body: string; attempt: number }
  /** Run the file's tests on attempt `attempt`'s file (which holds `body`). */
  | { kind: "test"; body: string; attempt: number }
  /** One model call; `rejection` says why the previous fix was refused. */
  | { kind: "ask"; purpose: AskPurpose; body: string; analysis: FileAnalysis; tests: TestRun | null; rejection: string | undefined }
  | { kind: "finish"; status: ValidateStatus; error: string | null; verdict: Verdict | null };

export type MachineEvent =
  | { kind: "analyzed"; analysis: FileAnalysis }
  | { kind: "tested"; run: TestRun }
  /** The sandbox could not run the tests at all for this file. */
  | { kind: "test-error"; message: string }
  /** A reply; `failure` when it cannot be used whatever it says (a refusal, cut off at the token limit). */
  | { kind: "replied"; prompt: string; content: string; failure?: string | undefined }
  /** The call failed after the client's retries. */
  | { kind: "llm-error"; prompt: string; message: string };

/** What one attempt did, in the driver's terms; validate.ts turns it into the log's revision. */
export interface MachineRevision {
  attempt: number;
  /** The version checked in this attempt. */
  body: string;
  analysis: FileAnalysis;
  tests: TestRun | null;
  request: AskPurpose | null;
  prompt: string | null;
  response: string | null;
  status: RevisionStatus;
  note: string | null;
  /** The check of a version the model made in the last attempt: no model call is left for it. */
  finalCheck: boolean;
}

interface Version {
  body: string;
  analysis: FileAnalysis;
  tests: TestRun | null;
}

type Phase =
  | { kind: "analyze"; body: string }
  | { kind: "test" }
  | { kind: "ask"; purpose: AskPurpose }
  /** A new body from a fix or a judge's correction, analyzed as the next attempt's file. */
  | { kind: "candidate"; body: string; from: AskPurpose; reason: string | null }
  /** A candidate the analyzers let through, tested before it may replace a version whose tests ran. */
  | { kind: "candidate-test"; body: string; from: AskPurpose; reason: string | null; analysis: FileAnalysis }
  | { kind: "done"; status: ValidateStatus; error: string | null };

export interface MachineState {
  readonly config: MachineConfig;
  readonly attempt: number;
  readonly phase: Phase;
  /** The version under check; undefined until the original has been analyzed. */
  readonly current: Version | undefined;
  readonly revisions: readonly MachineRevision[];
  readonly rejection: string | undefined;
  readonly verdict: Verdict | null;
  /** Model calls made, failed ones included. */
  readonly calls: number;
}

export function startMachine(config: MachineConfig, body: string): MachineState {
  return { config, attempt: 1, phase: { kind: "analyze", body }, current: undefined, revisions: [], rejection: undefined, verdict: null, calls: 0 };
}

export function nextAction(state: MachineState): Action {
  const { phase, current } = state;
  switch (phase.kind) {
    case "analyze":
      return { kind: "analyze", body: phase.body, attempt: state.attempt };
    case "candidate":
      return { kind: "analyze", body: phase.body, attempt: state.attempt + 1 };
    case "test":
      return { kind: "test", body: need(current).body, attempt: lastRevision(state).attempt };
    case "candidate-test":
      return { kind: "test", body: phase.body, attempt: state.attempt + 1 };
    case "ask": {
      const version = need(current);
      return { kind: "ask", purpose: phase.purpose, body: version.body, analysis: version.analysis, tests: version.tests, rejection: state.rejection };
    }
    case "done":
      return { kind: "finish", status: phase.status, error: phase.error, verdict: state.verdict };
  }
}

export function advance(state: MachineState, event: MachineEvent): MachineState {
  const { phase } = state;
  if (phase.kind === "analyze" && event.kind === "analyzed") {
    const version: Version = { body: phase.body, analysis: event.analysis, tests: null };
    return check(pushRevision({ ...state, current: version }, version, false));
  }
  if (phase.kind === "test" && event.kind === "tested") {
    const tested = { ...state, current: { ...need(state.current), tests: event.run } };
    return afterTests(updateLast(tested, { tests: event.run }));
  }
  if (phase.kind === "candidate-test" && event.kind === "tested") return onCandidateTested(state, phase, event.run);
  if ((phase.kind === "test" || phase.kind === "candidate-test") && event.kind === "test-error") {
    // The sandbox failed, not the code: the file ends in error with the version it had.
    const failed = updateLast(state, { status: "Test-Error", note: event.message });
    return { ...failed, phase: { kind: "done", status: "error", error: `tests could not run: ${event.message}` } };
  }
  if (phase.kind === "ask" && (event.kind === "replied" || event.kind === "llm-error")) {
    return onReply({ ...state, calls: state.calls + 1 }, phase.purpose, event);
  }
  if (phase.kind === "candidate" && event.kind === "analyzed") return onCandidate(state, phase, event.analysis);
  throw new Error(`validate machine: event ${event.kind} does not fit phase ${phase.kind}`);
}

/** A version's tests all ran and passed. */
export function testsPassed(run: TestRun | null): boolean {
  return run !== null && run.total > 0 && run.passed === run.total && run.failed === 0 && run.errors === 0 && !run.timed_out;
}

/** Decides what the revision just opened needs, from its version's analysis and tests. */
function check(state: MachineState): MachineState {
  const { config } = state;
  const version = need(state.current);
  if (version.analysis.error) {
    const failed = updateLast(state, { status: "Analyzer-Error" });
    return { ...failed, phase: { kind: "done", status: "error", error: `analyzers failed: ${version.analysis.error}` } };
  }
  const clean = version.analysis.findings.length === 0;
  if (config.analyzeOnly) return { ...state, phase: { kind: "done", status: clean ? "passed" : "unresolved", error: null } };
  // Only the file as given gets here untested (a candidate is tested before it is taken): attempt 1
  // tests it whatever the analyzers say, for the pass@1 before the loop and the gate's first baseline.
  if (config.hasTests && version.tests === null) return { ...state, phase: { kind: "test" } };
  return afterTests(state);
}

function afterTests(state: MachineState): MachineState {
  const { config } = state;
  const version = need(state.current);
  const final = lastRevision(state).finalCheck;
  if (version.analysis.findings.length > 0) {
    if (final) return finish(updateLast(state, { note: "final check: findings remain and no attempts are left" }), "unresolved");
    return { ...state, phase: { kind: "ask", purpose: "fix-findings" } };
  }
  if (config.hasTests && !testsPassed(version.tests)) {
    if (final) return finish(updateLast(state, { status: "Tests-Failed", note: `final check: ${describeRun(version.tests)} and no attempts are left` }), "unresolved");
    return { ...state, phase: { kind: "ask", purpose: "fix-tests" } };
  }
  const judgeNeeded = config.judge === "always" || (config.judge === "auto" && !config.hasTests);
  if (!judgeNeeded) {
    const why = config.hasTests ? `clean and ${describeRun(version.tests)}` : "clean; not judged (--judge never)";
    return finish(updateLast(state, { status: config.hasTests ? "Tests-Passed" : "Analyzed", note: why }), "passed");
  }
  if (!config.canJudge) {
    const note = "no docstring with the three sections and no dataset prompt to judge the code against";
    return finish(updateLast(state, { status: "Unjudgeable", note }), "unresolved");
  }
  if (final) return finish(updateLast(state, { note: "final check: clean, but no attempt is left for the judge" }), "unresolved");
  return { ...state, phase: { kind: "ask", purpose: "judge" } };
}

function onReply(state: MachineState, purpose: AskPurpose, event: Extract<MachineEvent, { kind: "replied" | "llm-error" }>): MachineState {
  if (event.kind === "llm-error") {
    const failed = updateLast(state, { request: purpose, prompt: event.prompt, status: "LLM-Error", note: event.message });
    return { ...failed, phase: { kind: "done", status: "error", error: event.message } };
  }
  const asked = updateLast(state, { request: purpose, prompt: event.prompt, response: event.content });
  if (purpose === "judge") return onVerdict(asked, event);

  const body = event.failure ? undefined : bodyOfReply(event.content);
  if (body === undefined) {
    const unparseable = updateLast(asked, { status: "Unparseable-Reply", note: event.failure ?? "no code in <Code> tags or a fenced block" });
    return nextAttempt({ ...unparseable, rejection: "your reply held no code between <Code> and </Code>" }, false);
  }
  const refused = unchanged(need(state.current).body, body) ?? state.config.gate.precheck(need(state.current).body, body);
  if (refused) return rejectFix(asked, purpose, `kept the previous version: ${refused}`);
  return { ...asked, phase: { kind: "candidate", body, from: purpose, reason: null } };
}

function onVerdict(state: MachineState, event: Extract<MachineEvent, { kind: "replied" }>): MachineState {
  const parsed = event.failure ? ({ kind: "unparseable", why: event.failure } as const) : parseVerdict(event.content);
  if (parsed.kind === "correct") return finish({ ...updateLast(state, { status: "Correct" }), verdict: "Correct" }, "passed");
  if (parsed.kind === "unparseable") {
    // The same version may still be judged in the next attempt, if there is one.
    return nextAttempt(updateLast(state, { status: "Unparseable-Reply", note: parsed.why }), false);
  }
  const judged = { ...updateLast(state, { status: "Incorrect" as const }), verdict: "Incorrect" as const };
  const reason = parsed.reason ? `reason: ${parsed.reason}` : null;
  const body = withoutDocstring(parsed.body);
  const refused = unchanged(need(state.current).body, body) ?? state.config.gate.precheck(need(state.current).body, body);
  if (refused) return nextAttempt(updateLast(judged, { note: joinNotes(reason, `kept the previous version: ${refused}`) }), false);
  return { ...judged, phase: { kind: "candidate", body, from: "judge", reason } };
}

function onCandidate(state: MachineState, phase: Extract<Phase, { kind: "candidate" }>, analysis: FileAnalysis): MachineState {
  const current = need(state.current);
  // A judge's correction may bring findings: the next attempt has them fixed. A failed analysis never passes.
  const worse = phase.from === "judge" && !analysis.error ? undefined : state.config.gate.compare(current.analysis, analysis);
  if (worse) {
    const note = `kept the previous version: ${worse}`;
    if (phase.from === "judge") return nextAttempt(updateLast(state, { note: joinNotes(phase.reason, note) }), false);
    return rejectFix(state, phase.from, note);
  }
  if (state.config.hasTests) return { ...state, phase: { kind: "candidate-test", body: phase.body, from: phase.from, reason: phase.reason, analysis } };
  return acceptCandidate(state, phase, analysis, null);
}

/** The test gate: a candidate that passes fewer tests than the version it would replace is refused. */
function onCandidateTested(state: MachineState, phase: Extract<Phase, { kind: "candidate-test" }>, run: TestRun): MachineState {
  const before = need(state.current).tests;
  const worse = before ? compareTestRuns(before, run) : undefined;
  if (worse) {
    const note = `kept the previous version: ${worse}`;
    if (phase.from === "judge") return nextAttempt(updateLast(state, { note: joinNotes(phase.reason, note) }), false);
    return rejectFix(state, phase.from, note);
  }
  return acceptCandidate(state, phase, phase.analysis, run);
}

function acceptCandidate(state: MachineState, phase: { body: string; from: AskPurpose; reason: string | null }, analysis: FileAnalysis, tests: TestRun | null): MachineState {
  const current = need(state.current);
  const findings = `findings ${current.analysis.findings.length} -> ${analysis.findings.length}`;
  const counts = tests && current.tests ? `${findings}; tests passed ${current.tests.passed} -> ${tests.passed} of ${tests.total}` : findings;
  const accepted: MachineState = { ...state, current: { body: phase.body, analysis, tests } };
  if (phase.from === "judge") return nextAttempt(updateLast(accepted, { note: joinNotes(phase.reason, counts) }), true);
  const status = phase.from === "fix-tests" ? "Test-Fixed" : "SAST-Fixed";
  return nextAttempt({ ...updateLast(accepted, { status, note: counts }), rejection: undefined }, true);
}

/**
 * Why a candidate's test run is worse than the current version's: fewer tests pass (a test that
 * failed, could not run or was cut off by the timeout is not a pass). Undefined when it is not worse.
 */
export function compareTestRuns(before: TestRun, after: TestRun): string | undefined {
  if (after.passed >= before.passed) return undefined;
  const failingBefore = new Set(failingTestNames(before));
  const broken = failingTestNames(after).filter((name) => !failingBefore.has(name));
  const named = broken.length > 0 ? `: ${broken.slice(0, 5).map((name) => `\`${name}\``).join(", ")}${broken.length > 5 ? ` and ${broken.length - 5} more` : ""}` : "";
  return `it broke tests that passed before${named} (with it ${describeRun(after)}; without it ${describeRun(before)})`;
}

/** A "fix" that is the code as it was: nothing to check again. */
function unchanged(current: string, candidate: string): string | undefined {
  return current.trim() === candidate.trim() ? "it is the same code, unchanged" : undefined;
}

function rejectFix(state: MachineState, purpose: AskPurpose, note: string): MachineState {
  const status = purpose === "fix-tests" ? "Test-Fix-Rejected" : "SAST-Fix-Rejected";
  return nextAttempt({ ...updateLast(state, { status, note }), rejection: note }, false);
}

/**
 * Opens the next attempt on the current version. Past the last attempt only a version the model has
 * just made is checked (analyzers and tests, no model call), so a file never costs more than
 * maxAttempts calls.
 */
function nextAttempt(state: MachineState, fresh: boolean): MachineState {
  const attempt = state.attempt + 1;
  const finalCheck = attempt > state.config.maxAttempts;
  if (finalCheck && !fresh) return finish(state, "unresolved");
  return check(pushRevision({ ...state, attempt }, need(state.current), finalCheck));
}

function finish(state: MachineState, status: ValidateStatus): MachineState {
  return { ...state, phase: { kind: "done", status, error: null } };
}

function pushRevision(state: MachineState, version: Version, finalCheck: boolean): MachineState {
  const revision: MachineRevision = {
    attempt: state.attempt,
    body: version.body,
    analysis: version.analysis,
    tests: version.tests,
    request: null,
    prompt: null,
    response: null,
    status: "Analyzed",
    note: null,
    finalCheck,
  };
  return { ...state, revisions: [...state.revisions, revision] };
}

function updateLast(state: MachineState, patch: Partial<MachineRevision>): MachineState {
  const revisions = state.revisions.slice();
  revisions[revisions.length - 1] = { ...lastRevision(state), ...patch };
  return { ...state, revisions };
}

function lastRevision(state: MachineState): MachineRevision {
  const last = state.revisions[state.revisions.length - 1];
  if (!last) throw new Error("validate machine: no revision yet");
  return last;
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("validate machine: no version analyzed yet");
  return value;
}

function joinNotes(...notes: Array<string | null>): string | null {
  return notes.filter(Boolean).join("; ") || null;
}

/** "2 of 3 tests pass", with a timeout or errors said. */
export function describeRun(run: TestRun | null): string {
  if (!run) return "the tests did not run";
  const extra = [run.timed_out ? "timed out" : null, run.errors > 0 ? `${run.errors} could not run` : null].filter(Boolean);
  return `${run.passed} of ${run.total} tests pass${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

/** The body in a fix reply; a model that repeats the docstring despite being asked not to gets it removed. */
function bodyOfReply(reply: string): string | undefined {
  const code = extractTaggedCode(reply);
  return code === undefined ? undefined : withoutDocstring(code);
}

function withoutDocstring(code: string): string {
  const split = splitDocstring(code);
  return split.templated ? code : split.body;
}
