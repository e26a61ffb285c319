import path from "node:path";
import fs from "fs-extra";
import { beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, runCli } from "../helpers/run-cli.js";

// --model-file's bad input: one line naming the flag, exit 2, before anything is loaded or written.
// (The run itself, on a real GGUF model, is in local-model.test.ts.)

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
  await fs.writeJson(path.join(dir, "dataset.json"), [{ id: "a", prompt: "Add two numbers." }]);
  await fs.outputFile(path.join(dir, "baseline/code/a.py"), '"""\nInput Prompt: x\nIntention: y\nFunctionality: z\n"""\nx = 1\n');
  await fs.writeFile(path.join(dir, "notes.gguf"), "these are not model weights\n");
});

describe("--model-file with a bad path", () => {
  it.each([
    [["generate"], "missing.gguf", /^codeenhancer: --model-file not found: missing\.gguf$/m],
    [["validate"], "missing.gguf", /^codeenhancer: --model-file not found: missing\.gguf$/m],
    [["generate"], "notes.gguf", /^codeenhancer: --model-file notes\.gguf is not a GGUF model file \(it does not start with "GGUF"\)$/m],
    [["generate"], ".", /^codeenhancer: cannot read --model-file \. \(EISDIR\)$/m],
  ])("%s --model-file %s exits 2 with one line, needing no API key", async (command, file, message) => {
    const result = await runCli([...command, "--model-file", file], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/OPENAI_API_KEY|\n\s+at /);
    expect(await fs.pathExists(path.join(dir, "baseline/results.json"))).toBe(false);
  });

  it("doctor reports it as the failing check", async () => {
    const result = await runCli(["doctor", "--model-file", "missing.gguf"], { cwd: dir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^FAIL {2}local model: --model-file not found: missing\.gguf$/m);
    expect(result.stderr).not.toMatch(/api key|endpoint/);
  });
});
