import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CliError } from "../errors.js";
import { combineAnalyzers } from "./combine.js";
import { fingerprintOf } from "./finding.js";
import { createSarifAnalyzer, cweOfSarif, parseSarifAnalyzerSpec, sarifToFindings } from "./sarif.js";

const tool = fileURLToPath(new URL("../../test/fixtures/sarif/fake-sarif-tool.mjs", import.meta.url));
const temp = mkdtempSync(path.join(os.tmpdir(), "codeenhancer-sarif-test-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(temp, name);
  writeFileSync(file, text);
  return file;
}

describe("parseSarifAnalyzerSpec", () => {
  it("splits COMMAND like a shell: quotes and escapes, no shell features", () => {
    expect(parseSarifAnalyzerSpec(`ruff=ruff check --output-format sarif --select "S,B" --config 'a b.toml'`)).toEqual({
      name: "ruff",
      argv: ["ruff", "check", "--output-format", "sarif", "--select", "S,B", "--config", "a b.toml"],
    });
    expect(parseSarifAnalyzerSpec("mine=./tools/my\\ scan.sh").argv).toEqual(["./tools/my scan.sh"]);
  });

  it("refuses what a shell would run differently, bad names and built-in names", () => {
    expect(() => parseSarifAnalyzerSpec("x=tool | jq .")).toThrow(/not run by a shell: no pipes/);
    expect(() => parseSarifAnalyzerSpec("x=tool > out.sarif")).toThrow(CliError);
    expect(() => parseSarifAnalyzerSpec("ruff check")).toThrow(/expected NAME=COMMAND/);
    expect(() => parseSarifAnalyzerSpec("x=")).toThrow(/COMMAND is empty/);
    expect(() => parseSarifAnalyzerSpec("bandit=bandit -f sarif")).toThrow(/built-in analyzer/);
  });
});

describe("sarifToFindings", () => {
  const file = "/work/app.py";
  const texts = new Map([[file, "import os\nos.system(cmd)\n"]]);
  const log = (result: Record<string, unknown>, rules: unknown[] = []) => ({ version: "2.1.0", runs: [{ tool: { driver: { name: "t", rules } }, results: [result] }] });
  const at = (uri: string, startLine = 2) => [{ physicalLocation: { artifactLocation: { uri }, region: { startLine, startColumn: 1 } } }];

  it("maps level to severity, the rule's tags to a CWE, the region to line and column", () => {
    const findings = sarifToFindings("t", log({ ruleId: "S605", level: "warning", message: { text: "shell" }, locations: at("app.py") }, [{ id: "S605", properties: { tags: ["CWE-78"] } }]), [file], texts, "/work");
    expect(findings.get(file)).toEqual([
      { tool: "t", rule: "S605", severity: "medium", confidence: null, cwe: 78, line: 2, column: 1, message: "shell", fingerprint: fingerprintOf("t", "S605", "os.system(cmd)") },
    ]);
  });

  it("takes the rule's default level, a security-severity score before a level, and note/none as low", () => {
    const severity = (result: Record<string, unknown>, rules: unknown[] = []) => sarifToFindings("t", log({ ruleId: "r", message: { text: "m" }, locations: at("app.py"), ...result }, rules), [file], texts, "/work").get(file)?.[0]?.severity;
    expect(severity({}, [{ id: "r", defaultConfiguration: { level: "error" } }])).toBe("high");
    expect(severity({})).toBe("medium");
    expect(severity({ level: "note" })).toBe("low");
    expect(severity({ level: "note" }, [{ id: "r", properties: { "security-severity": "8.8" } }])).toBe("high");
  });

  it("gives a result to the file its location names, absolute, file:// or relative", () => {
    const other = "/work/lib/other.py";
    const both = [file, other];
    const files = (uri: string) => [...sarifToFindings("t", log({ ruleId: "r", message: { text: "m" }, locations: at(uri) }), both, texts, "/work")].filter(([, f]) => f.length > 0).map(([name]) => name);
    expect(files("lib/other.py")).toEqual([other]);
    expect(files("file:///work/app.py")).toEqual([file]);
    expect(files("/work/lib/other.py")).toEqual([other]);
    expect(files("/elsewhere/unknown.py")).toEqual([]);
  });

  it("reads CWE numbers in the forms tools write them", () => {
    expect(cweOfSarif({}, { properties: { tags: ["security", "external/cwe/cwe-089"] } })).toBe(89);
    expect(cweOfSarif({ properties: { cwe: "CWE-22" } }, undefined)).toBe(22);
    expect(cweOfSarif({}, { properties: { tags: ["style"] } })).toBeNull();
  });
});

describe("a SARIF tool as an analyzer (a fake tool script)", () => {
  const code = (name: string) => write(name, `import os\n\nos.system("ls " + DANGER)\n`);

  it("runs the command with the files appended; its results become findings", async () => {
    const file = code("flagged.py");
    const analyzer = createSarifAnalyzer({ ...parseSarifAnalyzerSpec(`fake=${tool} --exit-1`), cwd: temp, timeoutMs: 20_000 });
    const results = await analyzer.analyze([file]);
    expect(results.get(file)?.error).toBeNull();
    expect(results.get(file)?.findings).toEqual([
      {
        tool: "fake",
        rule: "fake.danger",
        severity: "high",
        confidence: "high",
        cwe: 78,
        line: 3,
        column: 19,
        message: "DANGER reaches a shell: pass an argument list instead",
        fingerprint: fingerprintOf("fake", "fake.danger", `os.system("ls " + DANGER)`),
      },
    ]);
    expect(analyzer.version).toBe("1.2.3");
  });

  it("reads locations relative to the folder it runs in", async () => {
    const file = code("relative.py");
    const results = await createSarifAnalyzer({ ...parseSarifAnalyzerSpec(`fake=${tool} --relative`), cwd: temp, timeoutMs: 20_000 }).analyze([file, write("quiet.py", "x = 1\n")]);
    expect(results.get(file)?.findings.map((f) => f.line)).toEqual([3]);
    expect(results.get(path.join(temp, "quiet.py"))?.findings).toEqual([]);
  });

  it("makes a crash, a hang or output that is not SARIF that file's error; the other analyzers' findings stand", async () => {
    const file = code("victim.py");
    const broken = (flag: string) => createSarifAnalyzer({ ...parseSarifAnalyzerSpec(`broken=${tool} ${flag}`), cwd: temp, timeoutMs: 1_500 });
    const working = createSarifAnalyzer({ ...parseSarifAnalyzerSpec(`fake=${tool}`), cwd: temp, timeoutMs: 20_000 });
    for (const [flag, error] of [
      ["--crash", "broken: printed no SARIF (exit status 3: fake tool: something broke)"],
      ["--hang", "broken: timed out after 1.5s"],
      ["--garbage", "broken: printed no SARIF (exit status 0)"],
    ] as const) {
      const analysis = await combineAnalyzers([working, broken(flag)]).analyzeFile(file);
      expect(analysis.error).toBe(error);
      expect(analysis.findings.map((f) => f.rule)).toEqual(["fake.danger"]);
    }
    const missing = await createSarifAnalyzer({ name: "gone", argv: ["no-such-tool-anywhere"], cwd: temp, timeoutMs: 5_000 }).analyze([file]);
    expect(missing.get(file)?.error).toBe("no-such-tool-anywhere not found");
  });
});
