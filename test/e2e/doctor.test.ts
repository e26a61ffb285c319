import path from "node:path";
import fs from "fs-extra";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../helpers/fake-openai.js";
import { makeTempDir, PROJECT_PYTHON, runCli } from "../helpers/run-cli.js";

let server: FakeOpenAI;
let dir: string;

beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  server.reset();
  dir = await makeTempDir();
});

const env = (extra: Record<string, string | undefined> = {}) => ({
  OPENAI_API_KEY: "test",
  OPENAI_BASE_URL: server.url,
  CODEENHANCER_PYTHON: PROJECT_PYTHON,
  ...extra,
});

describe("codeenhancer doctor", () => {
  it("reports every check ok and exits 0 when everything is ready", async () => {
    const result = await runCli(["doctor", "--model", "gpt-4o-mini"], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines.filter((l) => l.startsWith("ok "))).toHaveLength(8);
    expect(result.stderr).toMatch(/ok {4}test sandbox: .*bwrap runs Python 3\.\d+/);
    expect(result.stderr).toMatch(/ok {4}settings: out \.\/baseline \(default\), model gpt-4o-mini \(flag\)/);
    expect(result.stderr).toMatch(/analyzers: .*pylint 4\.1\.4, bandit 1\.9\.4/);
    expect(result.stderr).toMatch(/model: gpt-4o-mini is available/);
    expect(result.stdout).toBe("");
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/models", "GET /v1/models/gpt-4o-mini"]);
  });

  it("says what to do about each missing piece and exits 3", async () => {
    await fs.writeFile(path.join(dir, "blocker"), "");
    const result = await runCli(["doctor", "--model", "no-such-model", "--out", "blocker/out", "--python", "/usr/bin/python3"], {
      cwd: dir,
      env: env(),
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/FAIL {2}analyzers: .*pylint.*\/usr\/bin\/python3/);
    expect(result.stderr).toMatch(/FAIL {2}model: model "no-such-model" was not found/);
    expect(result.stderr).toMatch(/FAIL {2}output folder: cannot write to --out/);
    expect(result.stderr).toMatch(/ok {4}endpoint/);
    expect(result.stderr).toMatch(/doctor: 3 check\(s\) failed/);
  });

  it("without bubblewrap: one line says tests cannot run and how to get it, exit 3", async () => {
    // Nothing on PATH: no bwrap (and no semgrep, hence the analyzers named).
    const result = await runCli(["doctor", "--model", "gpt-4o-mini", "--analyzers", "pylint,bandit"], { cwd: dir, env: env({ PATH: path.join(dir, "no-bin") }) });
    expect(result.exitCode).toBe(3);
    const failed = result.stderr.split("\n").filter((line) => line.startsWith("FAIL"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^FAIL {2}test sandbox: tests cannot run: bubblewrap \(bwrap\) is not installed.*apt install bubblewrap.*--no-tests/);
    expect(result.stderr).toMatch(/doctor: 1 check\(s\) failed/);
  });

  it("names OPENAI_API_KEY and an unreachable endpoint", async () => {
    const noKey = await runCli(["doctor"], { cwd: dir, env: env({ OPENAI_API_KEY: undefined }) });
    expect(noKey.exitCode).toBe(3);
    expect(noKey.stderr).toMatch(/FAIL {2}api key: OPENAI_API_KEY is not set/);
    expect(noKey.stderr).toMatch(/FAIL {2}endpoint: not checked without a usable OPENAI_API_KEY/);

    // The same key check as generate's: what is wrong is said, the value never.
    const badKey = await runCli(["doctor"], { cwd: dir, env: env({ OPENAI_API_KEY: "sk-secret\nrest" }) });
    expect(badKey.exitCode).toBe(3);
    expect(badKey.stderr).toMatch(/FAIL {2}api key: OPENAI_API_KEY contains a line break \(character 10\)/);
    expect(badKey.stderr).not.toContain("sk-secret");

    const closed = await startFakeOpenAI();
    const url = closed.url;
    await closed.close();
    const down = await runCli(["doctor"], { cwd: dir, env: env({ OPENAI_BASE_URL: url }) });
    expect(down.exitCode).toBe(3);
    expect(down.stderr).toContain(`FAIL  endpoint: cannot reach the API at ${url}`);
  });
});
