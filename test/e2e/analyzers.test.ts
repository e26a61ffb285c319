import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import fs from "fs-extra";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { promptText, startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.js";
import { classifyRequest, cooperativeModel } from "../helpers/model.js";
import { makeTempDir, PROJECT_PYTHON, runCli } from "../helpers/run-cli.js";

// The analyzers as a user meets them: profiles, a SARIF tool plugged in, Semgrep's rule pack.
const KEY = "sk-test-analyzers";
const TOOL = fileURLToPath(new URL("../fixtures/sarif/fake-sarif-tool.mjs", import.meta.url));
let server: FakeOpenAI;
let dir: string;

const DOC = (task: string) => `"""\nInput Prompt: ${task}\nIntention: do it safely.\nFunctionality: a small function.\n"""\n`;
const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, CODEENHANCER_PYTHON: PROJECT_PYTHON });
const readJson = async <T>(file: string) => JSON.parse(await fs.readFile(path.join(dir, "baseline/validation", file), "utf8")) as T;

interface Finding {
  tool: string;
  rule: string;
  cwe: number | null;
  line: number;
}
interface Log {
  revisions: Array<{ findings: Finding[]; bandit_issues: Array<{ test_id: string; line_number: number; issue_text: string }>; pylint_issues: Array<{ "message-id": string }> }>;
}
interface Row {
  id: string;
  status: string;
  initial_by_rule: Record<string, number>;
  initial_by_cwe: Record<string, number>;
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

const SUBPROCESS = `${DOC("list a folder")}import subprocess\n\n\ndef listing(folder):\n    return subprocess.run(["ls", folder], check=True)\n`;
const SQL = `${DOC("find a user")}import sqlite3\n\n\ndef find(name):\n    conn = sqlite3.connect("app.db")\n    return conn.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()\n`;
const PASSWORD_ARG = `${DOC("log in")}\n\ndef login(client, user):\n    return client.authenticate(user, token_type="bearer", password_field="password")\n`;

describe("analyzer profiles", () => {
  it("--profile seed gives exactly Bandit's own findings and Pylint E0001, nothing else", async () => {
    const files = { subprocess_use: SUBPROCESS, sql: SQL, password_arg: PASSWORD_ARG, syntax: `${DOC("broken")}def broken(:\n    return 1\n` };
    await writeCode(files);
    const result = await runCli(["validate", "--analyze-only", "--profile", "seed"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    for (const id of Object.keys(files)) {
      const file = path.join(dir, "baseline/code", `${id}.py`);
      const bandit = await execa(PROJECT_PYTHON, ["-I", "-m", "bandit", "-f", "json", "-q", file], { reject: false });
      const report = JSON.parse(bandit.stdout) as { results: Array<{ test_id: string; line_number: number; issue_text: string }>; errors: unknown[] };
      const log = await readJson<Log>(`${id}_validation_results.json`);
      const first = log.revisions[0]!;
      expect(first.bandit_issues.map((r) => [r.test_id, r.line_number, r.issue_text]), id).toEqual(report.results.map((r) => [r.test_id, r.line_number, r.issue_text]));
      const expected = [...(id === "syntax" ? ["pylint E0001"] : []), ...report.results.map((r) => `bandit ${r.test_id}`), ...report.errors.map(() => "bandit bandit-error")];
      expect(first.findings.map((f) => `${f.tool} ${f.rule}`).sort(), id).toEqual(expected.sort());
    }
    // The seed counts subprocess imports and argument-list calls.
    expect((await readJson<Row[]>("results.json")).find((r) => r.id === "subprocess_use")?.initial_by_rule).toEqual({ B404: 1, B603: 1, B607: 1 });
  });

  it("the default leaves out Bandit's over-reports and adds Semgrep's rule pack, with CWEs", async () => {
    await writeCode({ subprocess_use: SUBPROCESS, sql: SQL, password_arg: PASSWORD_ARG });
    const result = await runCli(["validate", "--analyze-only"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = await readJson<Row[]>("results.json");
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ["password_arg", "passed"],
      ["sql", "unresolved"],
      ["subprocess_use", "passed"],
    ]);
    const sql = rows.find((r) => r.id === "sql")!;
    expect(Object.keys(sql.initial_by_rule).some((rule) => rule.startsWith("codeenhancer.python."))).toBe(true);
    expect(sql.initial_by_cwe["CWE-89"]).toBeGreaterThanOrEqual(1);
    expect(result.stderr).toMatch(/by CWE: .*CWE-89/);
  });

  it("--analyzers and the Bandit flags still choose what counts", async () => {
    await writeCode({ subprocess_use: SUBPROCESS });
    const result = await runCli(["validate", "--analyze-only", "--analyzers", "bandit", "--bandit-severity", "low", "--bandit-skip", "B404"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await readJson<Row[]>("results.json"))[0]?.initial_by_rule).toEqual({ B603: 1, B607: 1 });
    const log = await readJson<Log>("subprocess_use_validation_results.json");
    expect(log.revisions[0]?.pylint_issues).toEqual([]);
  });

  it("names an unknown analyzer or a bad --sarif-analyzer in one line, exit 2", async () => {
    await writeCode({ subprocess_use: SUBPROCESS });
    const unknown = await runCli(["validate", "--analyze-only", "--analyzers", "pylint,ruff"], { cwd: dir, env: env() });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^codeenhancer: --analyzers: unknown analyzer ruff: expected some of pylint, bandit, semgrep/);
    const piped = await runCli(["validate", "--analyze-only", "--sarif-analyzer", "x=tool | jq"], { cwd: dir, env: env() });
    expect(piped.exitCode).toBe(2);
    expect(piped.stderr).toMatch(/--sarif-analyzer x: COMMAND is not run by a shell/);
    expect(piped.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("a SARIF tool plugged in with --sarif-analyzer", () => {
  it("sends its finding (rule, line, severity, CWE, message) to the model in the fix request", async () => {
    await writeCode({ danger: `${DOC("run a command")}import os\n\n\ndef run(DANGER):\n    return os.getcwd() + DANGER\n` });
    server.setResponder(cooperativeModel({ fix: (_request, body) => ({ content: `<Code>\n${body.replaceAll("DANGER", "suffix")}</Code>` }) }));
    const result = await runCli(["validate", "--sarif-analyzer", `fake=${TOOL} --exit-1`], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const fixes = server.chatRequests().filter((request) => classifyRequest(request) === "fix");
    expect(fixes).toHaveLength(1);
    expect(promptText(fixes[0]!)).toMatch(/- fake fake\.danger at line 9, column \d+ \(severity high, confidence high, CWE-78\): DANGER reaches a shell: pass an argument list instead/);
    const rows = await readJson<Row[]>("results.json");
    expect(rows[0]).toMatchObject({ status: "passed", initial_by_rule: { "fake.danger": 2 }, initial_by_cwe: { "CWE-78": 2 } });
  });

  it("is read from the config file's sarifAnalyzers; its crash is that file's analyzer error", async () => {
    await writeCode({ plain: `${DOC("add")}\n\ndef add(a, b):\n    return a + b\n` });
    await fs.writeJson(path.join(dir, "codeenhancer.config.json"), { sarifAnalyzers: [`broken=${TOOL} --crash`] });
    // A config file that names a program to run is read only when named (--config).
    const found = await runCli(["validate", "--analyze-only"], { cwd: dir, env: env() });
    expect(found.exitCode).toBe(2);
    expect(found.stderr).toMatch(/sets sarifAnalyzers/);
    const result = await runCli(["validate", "--analyze-only", "--config", "codeenhancer.config.json"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const rows = await readJson<Array<Row & { error?: string }>>("results.json");
    expect(rows[0]).toMatchObject({ status: "error", error: expect.stringMatching(/broken: printed no SARIF \(exit status 3: fake tool: something broke\)/) });
  });
});
