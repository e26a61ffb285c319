import { describe, expect, it } from "vitest";
import { fingerprintOf, type FileAnalysis, type Finding } from "../analyzers/finding.js";
import { compareCandidate, precheckCandidate } from "./fix-policy.js";

const finding = (tool: string, rule: string, message: string, line = 3, lineText = `line ${line} of ${rule}`): Finding => ({
  tool,
  rule,
  severity: "low",
  confidence: "high",
  cwe: null,
  line,
  column: 1,
  message,
  fingerprint: fingerprintOf(tool, rule, lineText),
});
const bandit = (rule: string, message: string, line = 3) => finding("bandit", rule, message, line);
const result = (findings: Finding[], error: string | null = null): FileAnalysis => ({ findings, raw: {}, error, elapsedMs: 1 });

describe("precheckCandidate", () => {
  const body = "import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n";
  it("refuses added suppressions", () => {
    expect(precheckCandidate(body, body.replace("shell=True)", "shell=True)  # nosec"))).toMatch(/adds `# nosec`/);
    expect(precheckCandidate(body, `# pylint: disable=all\n${body}`)).toMatch(/pylint: disable/);
    expect(precheckCandidate(body, body.replace("shell=True)", "shell=True)  # nosemgrep"))).toMatch(/adds `# nosemgrep`/);
  });
  it("keeps suppressions that were already there", () => {
    const suppressed = body.replace("shell=True)", "shell=True)  # nosec");
    expect(precheckCandidate(suppressed, suppressed.replace("cmd, shell", "list(cmd), shell"))).toBeUndefined();
  });
  it("refuses a candidate that drops the code", () => {
    expect(precheckCandidate(body, "pass\n")).toMatch(/drops the code: none of run/);
    const long = Array.from({ length: 20 }, (_, i) => `x${i} = ${i}`).join("\n");
    expect(precheckCandidate(long, "x0 = 0\n")).toMatch(/drops the code: 1 code lines left of 20/);
  });
  it("accepts a real fix", () => {
    expect(precheckCandidate(body, body.replace("cmd, shell=True", "shlex.split(cmd)"))).toBeUndefined();
  });
});

describe("compareCandidate", () => {
  it("refuses findings that were not there, whatever their line", () => {
    const before = result([bandit("B324", "Use of weak MD5 hash", 5)]);
    const after = result([bandit("B403", "Consider possible security implications associated with pickle module.", 1)]);
    expect(compareCandidate(before, after)).toBe("it adds findings that were not there before: bandit B403 at line 1");
  });
  it("accepts the same finding on another line", () => {
    expect(compareCandidate(result([bandit("B404", "import subprocess", 1), bandit("B602", "shell", 8)]), result([bandit("B404", "import subprocess", 2)]))).toBeUndefined();
  });
  it("accepts the successor Bandit reports for the safe form of a removed call", () => {
    const before = result([bandit("B602", "subprocess call with shell=True identified")]);
    const after = result([bandit("B603", "subprocess call - check for execution of untrusted input.")]);
    expect(compareCandidate(before, after)).toBeUndefined();
    // ...but not when nothing was removed that it could replace.
    expect(compareCandidate(result([]), after)).toMatch(/B603/);
  });
  it("refuses a fix that trades a Bandit finding for another analyzer's", () => {
    const before = result([bandit("B608", "Possible SQL injection vector through string-based query construction.", 6)]);
    const after = result([finding("semgrep", "python.sqli.execute-fstring", "SQL built with an f-string reaches execute()", 6)]);
    expect(compareCandidate(before, after)).toMatch(/adds findings that were not there before: semgrep python\.sqli\.execute-fstring at line 6/);
    // Bandit's successors are Bandit's own: a Semgrep finding with the same rule id is still new.
    const successorElsewhere = result([finding("semgrep", "B603", "subprocess call")]);
    expect(compareCandidate(result([bandit("B602", "shell=True")]), successorElsewhere)).toMatch(/semgrep B603/);
  });
  it("refuses a candidate the analyzers failed on", () => {
    expect(compareCandidate(result([]), result([], "timed out"))).toMatch(/analyzers failed on it: timed out/);
  });
});
