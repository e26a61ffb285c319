import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.js";
import { bodyOf, classifyRequest, cooperativeModel } from "../helpers/model.js";
import { makeTempDir, PROJECT_PYTHON, runCli } from "../helpers/run-cli.js";

const KEY = "sk-test-validate";
let server: FakeOpenAI;
let dir: string;

const DOC = (task: string) => `"""\nInput Prompt: ${task}\nIntention: do it safely.\nFunctionality: a small function.\n"""\n`;
const SOURCES: Record<string, string> = {
  clean: `${DOC("add numbers")}\n\ndef add(a, b):\n    return a + b\n`,
  weak_hash: `${DOC("hash a password")}import hashlib\n\n\ndef digest(text):\n    return hashlib.md5(text.encode()).hexdigest()\n`,
  shell: `${DOC("list a folder")}import subprocess\n\n\ndef listing(folder):\n    return subprocess.call("ls " + folder, shell=True)\n`,
  syntax: `${DOC("broken")}def broken(:\n    return 1\n`,
};

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, CODEENHANCER_PYTHON: PROJECT_PYTHON });
const readJson = async <T>(file: string) => JSON.parse(await fs.readFile(path.join(dir, "baseline/validation", file), "utf8")) as T;

interface Row {
  id: string;
  status: string;
  attempts: number;
  initial_findings: number;
  final_findings: number;
  initial_by_rule: Record<string, number>;
  final_by_rule: Record<string, number>;
  verdict: string | null;
  skipped?: boolean;
}
interface Log {
  filename: string;
  status: string;
  revisions: Array<{ attempt: number; status: string; note: string | null; final_check?: boolean; bandit_issues: Array<{ test_id: string }>; pylint_issues: Array<{ "message-id": string }>; sast_prompt: string | null; functional_response: string | null; findings?: Array<{ tool: string; rule: string; cwe: number | null; line: number }> }>;
}

async function writeCode(files: Record<string, string>): Promise<void> {
  for (const [id, code] of Object.entries(files)) await fs.outputFile(path.join(dir, "baseline/code", `${id}.py`), code);
}

beforeAll(async () => {
  server = await startFakeOpenAI({ responder: cooperativeModel() });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  server.setResponder(cooperativeModel());
  dir = await makeTempDir();
});

// These tests are about the loop: they use the original's analyzers (--profile seed), whose findings
// on these sources are fixed; test/e2e/analyzers.test.ts covers the default profile.
describe("codeenhancer validate", () => {
  it("fixes, judges and writes the original layout; a re-run resumes with no API call", async () => {
    await writeCode({ clean: SOURCES.clean!, weak_hash: SOURCES.weak_hash!, syntax: SOURCES.syntax! });
    server.setResponder(
      cooperativeModel({
        fix: (_request, body) => ({ content: `<Code>\n${body.replace("hashlib.md5(", "hashlib.sha256(").replace("def broken(:", "def broken():")}</Code>` }),
      }),
    );
    const result = await runCli(["validate", "--profile", "seed"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/3 passed/);
    expect(result.stderr).toMatch(/B324 1 -> 0/);

    const rows = await readJson<Row[]>("results.json");
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ["clean", "passed"],
      ["syntax", "passed"],
      ["weak_hash", "passed"],
    ]);
    expect(rows[2]).toMatchObject({ initial_findings: 1, final_findings: 0, initial_by_rule: { B324: 1 }, verdict: "Correct", attempts: 2 });
    // Bandit cannot parse it either: its errors[] count as a finding, never as clean.
    expect(rows[1]?.initial_by_rule).toEqual({ E0001: 1, "bandit-error": 1 });

    const log = await readJson<Log>("weak_hash_validation_results.json");
    expect(log.filename).toBe("weak_hash.py");
    expect(log.revisions.map((r) => r.status)).toEqual(["SAST-Fixed", "Correct"]);
    expect(log.revisions[0]?.bandit_issues[0]?.test_id).toBe("B324");
    // The model is told the rule id, line, severity and message.
    expect(log.revisions[0]?.sast_prompt).toMatch(/Bandit B324 at line 10, column \d+ \(severity high, confidence high, CWE-327\): Use of weak MD5.* \(hashlib\)/);
    // Every analyzer's findings, normalized, beside the tools' own fields.
    expect(log.revisions[0]?.findings?.map((f) => [f.tool, f.rule, f.cwe, f.line])).toEqual([["bandit", "B324", 327, 10]]);
    expect(rows[2]).toMatchObject({ initial_by_cwe: { "CWE-327": 1 }, final_by_cwe: {} });

    const final = await fs.readFile(path.join(dir, "baseline/validation/Final_code/weak_hash.py"), "utf8");
    expect(final.startsWith(DOC("hash a password"))).toBe(true);
    expect(final).toContain("hashlib.sha256(");
    expect(await fs.readFile(path.join(dir, "baseline/validation/attempt_1/weak_hash_attempt_1.py"), "utf8")).toContain("md5");
    expect(await fs.readFile(path.join(dir, "baseline/validation/attempt_2/weak_hash_attempt_2.py"), "utf8")).toContain("sha256");
    expect(await readJson("unresolved.json")).toEqual([]);
    expect((await readJson<Log[]>("all_result.json")).map((l) => l.filename)).toEqual(["clean.py", "syntax.py", "weak_hash.py"]);

    server.reset();
    const again = await runCli(["validate", "--jsonl", "--profile", "seed"], { cwd: dir, env: env() });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(server.requests.length).toBe(0);
    const lines = again.stdout.trim().split("\n").map((l) => JSON.parse(l) as Row);
    expect(lines.map((l) => [l.id, l.status, l.skipped])).toEqual(
      expect.arrayContaining([
        ["clean", "passed", true],
        ["syntax", "passed", true],
        ["weak_hash", "passed", true],
      ]),
    );
  });

  it("refuses a fix that adds # nosec, keeps the better version and says so", async () => {
    await writeCode({ shell: SOURCES.shell! });
    server.setResponder(cooperativeModel({ fix: (_r, body) => ({ content: `<Code>\n${body.replace("shell=True)", "shell=True)  # nosec")}</Code>` }) }));
    const result = await runCli(["validate", "--max-attempts", "2", "--strict"], { cwd: dir, env: env() });
    expect(result.exitCode).toBe(1);
    const log = await readJson<Log>("shell_validation_results.json");
    expect(log.status).toBe("unresolved");
    expect(log.revisions[0]?.status).toBe("SAST-Fix-Rejected");
    expect(log.revisions[0]?.note).toMatch(/adds `# nosec`/);
    // The second fix request tells the model why its previous one was refused.
    expect(log.revisions[1]?.sast_prompt).toMatch(/previous fix was not accepted/);
    expect(await fs.readFile(path.join(dir, "baseline/validation/Final_code/shell.py"), "utf8")).not.toContain("nosec");
    expect(await readJson("unresolved.json")).toEqual([{ filename: "shell.py", final_status: "SAST-Fix-Rejected" }]);
  });

  it("keeps one docstring when the model repeats it in its fix", async () => {
    await writeCode({ weak_hash: SOURCES.weak_hash! });
    server.setResponder(cooperativeModel({ fix: (_r, body) => ({ content: `<Code>\n${DOC("hash a password")}${body.replace("md5", "sha256")}</Code>` }) }));
    const result = await runCli(["validate"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const final = await fs.readFile(path.join(dir, "baseline/validation/Final_code/weak_hash.py"), "utf8");
    expect(final.startsWith(DOC("hash a password"))).toBe(true);
    expect(final.match(/Input Prompt/g)).toHaveLength(1);
    expect(final).toContain("sha256");
  });

  it("refuses a fix that brings new findings", async () => {
    await writeCode({ weak_hash: SOURCES.weak_hash! });
    server.setResponder(
      cooperativeModel({
        fix: (_r, body) => ({ content: `<Code>\nimport pickle\n${body.replace("md5", "sha256")}\n\ndef load(blob):\n    return pickle.loads(blob)\n</Code>` }),
      }),
    );
    await runCli(["validate", "--max-attempts", "1", "--profile", "seed"], { cwd: dir, env: env() });
    const log = await readJson<Log>("weak_hash_validation_results.json");
    expect(log.revisions[0]?.status).toBe("SAST-Fix-Rejected");
    expect(log.revisions[0]?.note).toMatch(/adds findings that were not there before: .*B403/);
    expect(await fs.readFile(path.join(dir, "baseline/validation/Final_code/weak_hash.py"), "utf8")).toContain("md5");
  });

  it("counts an unparseable reply as a failed attempt and never writes it as code", async () => {
    await writeCode({ weak_hash: SOURCES.weak_hash! });
    server.setResponder(cooperativeModel({ fix: () => ({ content: "Sorry, I am not sure what you mean." }) }));
    await runCli(["validate", "--max-attempts", "2"], { cwd: dir, env: env() });
    const log = await readJson<Log>("weak_hash_validation_results.json");
    expect(log.revisions.map((r) => r.status)).toEqual(["Unparseable-Reply", "Unparseable-Reply"]);
    expect(log.status).toBe("unresolved");
    const final = await fs.readFile(path.join(dir, "baseline/validation/Final_code/weak_hash.py"), "utf8");
    expect(final).toBe(SOURCES.weak_hash);
  });

  it("replaces the body on Incorrect and passes only when the new version is judged Correct", async () => {
    await writeCode({ clean: SOURCES.clean! });
    let judged = 0;
    server.setResponder(
      cooperativeModel({
        judge: () => {
          judged += 1;
          return judged === 1
            ? { content: "Incorrect\n<Code>\ndef add(a, b):\n    return int(a) + int(b)\n</Code>\n<Reason>inputs may be strings</Reason>" }
            : { content: "  correct\n" };
        },
      }),
    );
    const result = await runCli(["validate"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const log = await readJson<Log>("clean_validation_results.json");
    expect(log.revisions.map((r) => r.status)).toEqual(["Incorrect", "Correct"]);
    expect(log.revisions[0]?.note).toMatch(/inputs may be strings/);
    expect(await fs.readFile(path.join(dir, "baseline/validation/Final_code/clean.py"), "utf8")).toContain("int(a) + int(b)");
  });

  it("checks a fix made in the last attempt, with no model call beyond --max-attempts", async () => {
    await writeCode({ weak_hash: SOURCES.weak_hash! });
    const result = await runCli(["validate", "--max-attempts", "1"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const log = await readJson<Log>("weak_hash_validation_results.json");
    // The fix is analyzed (clean), but no attempt is left to ask the judge: not passed.
    expect(log.revisions.map((r) => [r.attempt, r.status, r.final_check ?? false])).toEqual([
      [1, "SAST-Fixed", false],
      [2, "Analyzed", true],
    ]);
    expect(log.revisions[1]?.note).toMatch(/no attempt is left for the judge/);
    expect(log.status).toBe("unresolved");
    expect(server.chatRequests().map(classifyRequest)).toEqual(["fix"]);
    expect((await readJson<Row[]>("results.json"))[0]).toMatchObject({ attempts: 1, final_findings: 0 });

    server.reset();
    await runCli(["validate", "--max-attempts", "2", "--force"], { cwd: dir, env: env() });
    expect(server.chatRequests().map(classifyRequest)).toEqual(["fix", "judge"]);
    expect((await readJson<Row[]>("results.json"))[0]).toMatchObject({ status: "passed", attempts: 2 });
  });

  it("never makes more model calls per file than --max-attempts, even with a judge that answers outside the protocol", async () => {
    await writeCode({ clean: SOURCES.clean!, weak_hash: SOURCES.weak_hash! });
    server.setResponder(cooperativeModel({ judge: () => ({ content: "The code looks reasonable to me; it adds the numbers." }) }));
    // --no-cache: at temperature 0 the cache would answer the repeated judge request itself.
    const result = await runCli(["validate", "--max-attempts", "3", "--no-cache"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const calls = (id: string) => server.chatRequests().filter((request) => bodyOf(request).includes(id === "clean" ? "a + b" : "hashlib")).length;
    expect(calls("clean")).toBe(3);
    expect(calls("weak_hash")).toBe(3);
    expect(server.chatRequests()).toHaveLength(6);
    const log = await readJson<Log>("clean_validation_results.json");
    expect(log.revisions.map((r) => r.status)).toEqual(["Unparseable-Reply", "Unparseable-Reply", "Unparseable-Reply"]);
    expect((await readJson<Row[]>("results.json")).map((r) => [r.id, r.status, r.attempts])).toEqual([
      ["clean", "unresolved", 3],
      ["weak_hash", "unresolved", 3],
    ]);
  });

  it("marks a clean file without a docstring or a dataset prompt unjudgeable, with no model call", async () => {
    await writeCode({ bare: "def add(a, b):\n    return a + b\n" });
    const result = await runCli(["validate"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(server.chatRequests()).toHaveLength(0);
    const log = await readJson<Log>("bare_validation_results.json");
    expect(log.revisions.map((r) => r.status)).toEqual(["Unjudgeable"]);
    expect(log.revisions[0]?.note).toMatch(/no docstring .* and no dataset prompt/);
    expect(await readJson("unresolved.json")).toEqual([{ filename: "bare.py", final_status: "Unjudgeable" }]);
  });

  it("records an API failure as the file's error and tries the file again on the next run", async () => {
    await writeCode({ weak_hash: SOURCES.weak_hash!, clean: SOURCES.clean! });
    const cooperative = cooperativeModel();
    server.setResponder((request, ctx) => (classifyRequest(request) === "fix" ? { status: 503 } : cooperative(request, ctx)));
    const first = await runCli(["validate", "--max-retries", "0", "--profile", "seed"], { cwd: dir, env: env() });
    expect(first.exitCode, first.stderr).toBe(0);
    const rows = await readJson<Row[]>("results.json");
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ["clean", "passed"],
      ["weak_hash", "error"],
    ]);
    expect((await readJson<Log>("weak_hash_validation_results.json")).revisions[0]?.status).toBe("LLM-Error");
    expect(await readJson("unresolved.json")).toEqual([{ filename: "weak_hash.py", final_status: "LLM-Error" }]);

    server.reset();
    server.setResponder(cooperativeModel());
    const second = await runCli(["validate", "--profile", "seed"], { cwd: dir, env: env() });
    expect(second.exitCode, second.stderr).toBe(0);
    expect((await readJson<Row[]>("results.json")).map((r) => [r.id, r.status, r.skipped ?? false])).toEqual([
      ["clean", "passed", true],
      ["weak_hash", "passed", false],
    ]);
  });

  it("lets thresholds decide what counts: low-severity subprocess findings", async () => {
    await writeCode({ shell: SOURCES.shell! });
    const strictRun = await runCli(["validate", "--max-attempts", "2", "--profile", "seed"], { cwd: dir, env: env() });
    expect(strictRun.exitCode, strictRun.stderr).toBe(0);
    // Every finding counted (the original's default): importing subprocess alone keeps it unresolved.
    // B602 fixed into B603 is accepted (the safe form's own low finding), yet never clean.
    expect((await readJson<Row[]>("results.json"))[0]).toMatchObject({ status: "unresolved", initial_by_rule: { B404: 1, B602: 1 }, final_by_rule: { B404: 1, B603: 1 } });

    server.reset();
    const relaxed = await runCli(["validate", "--force", "--bandit-severity", "medium", "--profile", "seed"], { cwd: dir, env: env() });
    expect(relaxed.exitCode, relaxed.stderr).toBe(0);
    expect((await readJson<Row[]>("results.json"))[0]).toMatchObject({ status: "passed", initial_by_rule: { B602: 1 }, final_findings: 0 });
  });

  it("records for attempt 1 exactly Bandit's own findings on the file as given", async () => {
    // A real-world file: no three-section docstring, blank lines, a header comment.
    const code = "#!/usr/bin/env python\n# legacy tool\n\nimport os\nimport pickle\n\n\ndef run(cmd, blob):\n    os.system(cmd)\n    return pickle.loads(blob)\n";
    await writeCode({ legacy: code });
    const result = await runCli(["validate", "--analyze-only", "--profile", "seed"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const own = await execa(PROJECT_PYTHON, ["-m", "bandit", "-f", "json", "-q", path.join(dir, "baseline/code/legacy.py")], { reject: false });
    const expected = (JSON.parse(own.stdout) as { results: Array<{ test_id: string; line_number: number; issue_text: string }> }).results;
    const log = await readJson<Log>("legacy_validation_results.json");
    const recorded = log.revisions[0]!.bandit_issues as unknown as typeof expected;
    expect(recorded.map((f) => [f.test_id, f.line_number, f.issue_text])).toEqual(expected.map((f) => [f.test_id, f.line_number, f.issue_text]));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    // Nothing changed it, so the final code is the file as given, byte for byte.
    expect(await fs.readFile(path.join(dir, "baseline/validation/Final_code/legacy.py"), "utf8")).toBe(code);
    expect(await fs.readFile(path.join(dir, "baseline/validation/attempt_1/legacy_attempt_1.py"), "utf8")).toBe(code);
  });

  it("records files that break the analyzers and goes on", async () => {
    await fs.outputFile(path.join(dir, "baseline/code/nul.py"), "x = 1\u0000\n");
    await fs.outputFile(path.join(dir, "baseline/code/latin1.py"), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xff, 0xfe, 0x22, 0x0a]));
    await fs.outputFile(path.join(dir, "baseline/code/deep.py"), `x = ${"-".repeat(100_000)}1\n`);
    await writeCode({ clean: SOURCES.clean! });
    // An analyzer stuck on the deep file is cut at 20 s (that file's error); the CLI may take longer beside the suite.
    const result = await runCli(["validate", "--analyze-only", "--analyzer-timeout", "20"], { cwd: dir, env: env(), timeoutMs: 150_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = await readJson<Row[]>("results.json");
    expect(rows.map((r) => r.id)).toEqual(["clean", "deep", "latin1", "nul"]);
    expect(rows[0]?.status).toBe("passed");
    // None of the broken files is called clean.
    for (const row of rows.slice(1)) expect(row.status, row.id).not.toBe("passed");
    expect(await fs.readFile(path.join(dir, "baseline/validation/attempt_1/latin1_attempt_1.py"))).toEqual(Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xff, 0xfe, 0x22, 0x0a]));
    // Three analyzers on files made to break them: ~15 s alone, over a minute beside the whole suite.
  }, 180_000);

  it("--analyze-only audits a folder without a model or API key", async () => {
    await fs.outputFile(path.join(dir, "audit/weak.py"), SOURCES.weak_hash!);
    await fs.outputFile(path.join(dir, "audit/ok.py"), SOURCES.clean!);
    const result = await runCli(["validate", "--analyze-only", "--input", "audit", "--out", "report", "--profile", "seed"], {
      cwd: dir,
      env: { CODEENHANCER_PYTHON: PROJECT_PYTHON },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = JSON.parse(await fs.readFile(path.join(dir, "report/validation/results.json"), "utf8")) as Row[];
    expect(rows.map((r) => [r.id, r.status, r.initial_findings])).toEqual([
      ["ok", "passed", 0],
      ["weak", "unresolved", 1],
    ]);
    expect(await fs.pathExists(path.join(dir, "report/validation/weak_validation_results.json"))).toBe(true);
  });
});

describe("codeenhancer validate: refusals", () => {
  it("refuses an --out without code/ (exit 2)", async () => {
    const result = await runCli(["validate", "--out", "empty"], { cwd: dir, env: env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/empty has no code\/ folder/);
  });

  it("names pylint and the Python tried when pylint is missing (exit 3)", async () => {
    await writeCode({ clean: SOURCES.clean! });
    const result = await runCli(["validate", "--python", "/usr/bin/python3"], { cwd: dir, env: env() });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/pylint/);
    expect(result.stderr).toContain("/usr/bin/python3");
    expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
  });

  it("ignores a pylintrc, .bandit and pyproject.toml around the files and the working directory", async () => {
    await writeCode({ weak_hash: SOURCES.weak_hash! });
    const marker = path.join(dir, "init-hook-ran");
    const rc = `[MAIN]\ninit-hook='open(${JSON.stringify(marker)}, "w").write("x")'\n[MESSAGES CONTROL]\ndisable=all\n`;
    for (const folder of [dir, path.join(dir, "baseline/code")]) {
      await fs.writeFile(path.join(folder, "pylintrc"), rc);
      await fs.writeFile(path.join(folder, ".pylintrc"), rc);
      await fs.writeFile(path.join(folder, ".bandit"), "[bandit]\nskips = B324\n");
      await fs.writeFile(path.join(folder, "pyproject.toml"), `[tool.bandit]\nskips = ["B324"]\n[tool.pylint.main]\ninit-hook = 'open(${JSON.stringify(marker)}, "w")'\n`);
    }
    const result = await runCli(["validate", "--analyze-only", "--profile", "seed"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await fs.pathExists(marker)).toBe(false);
    expect((await readJson<Row[]>("results.json"))[0]?.initial_by_rule).toEqual({ B324: 1 });
  });
});
