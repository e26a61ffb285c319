import path from "node:path";
import fs from "fs-extra";
import { beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, PROJECT_PYTHON, runCli } from "../helpers/run-cli.js";

// Every bad input across the commands: one clear line naming the file, item, flag or variable,
// exit code 2, no stack trace, nothing written. (generate's dataset cases are in generate.test.ts.)

let dir: string;
const BASE = { OPENAI_API_KEY: "test", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", CODEENHANCER_PYTHON: PROJECT_PYTHON };

beforeEach(async () => {
  dir = await makeTempDir();
  await fs.outputFile(path.join(dir, "baseline/code/a.py"), '"""\nInput Prompt: a\nIntention: b\nFunctionality: c\n"""\nx = 1\n');
});

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string | undefined>;
  setup?: () => Promise<void>;
  message: RegExp;
}

const cases: Case[] = [
  { name: "validate: --max-attempts 0", args: ["validate", "--max-attempts", "0"], message: /invalid --max-attempts/ },
  { name: "validate: --concurrency -1", args: ["validate", "--concurrency", "-1"], message: /invalid --concurrency/ },
  { name: "validate: --bandit-severity extreme", args: ["validate", "--bandit-severity", "extreme"], message: /invalid --bandit-severity/ },
  { name: "validate: --pylint-enable junk", args: ["validate", "--pylint-enable", "E0001,NOPE 1"], message: /invalid --pylint-enable/ },
  { name: "validate: --bandit-skip junk", args: ["validate", "--bandit-skip", "B101,shell"], message: /invalid --bandit-skip/ },
  { name: "validate: --analyzer-timeout abc", args: ["validate", "--analyzer-timeout", "abc"], message: /invalid --analyzer-timeout/ },
  { name: "validate: --out without code/", args: ["validate", "--out", "elsewhere"], message: /elsewhere has no code\/ folder/ },
  { name: "validate: missing --input", args: ["validate", "--input", "nope"], message: /--input folder not found: nope/ },
  {
    name: "validate: folder without .py files",
    args: ["validate", "--input", "empty"],
    setup: () => fs.ensureDir(path.join(dir, "empty")),
    message: /no \.py files in empty/,
  },
  { name: "validate: missing OPENAI_API_KEY", args: ["validate"], env: { OPENAI_API_KEY: undefined }, message: /OPENAI_API_KEY is not set/ },
  { name: "validate: bad base URL", args: ["validate", "--base-url", "ftp://x"], message: /invalid base URL "ftp:\/\/x"/ },
  { name: "export: before validate", args: ["export"], message: /run `npx codeenhancer validate/ },
  { name: "export: --format xml", args: ["export", "--format", "xml"], message: /invalid --format/ },
  { name: "export: --val-fraction 2", args: ["export", "--val-fraction", "2"], message: /invalid --val-fraction/ },
  { name: "finetune: --poll-interval 0", args: ["finetune", "--poll-interval", "0"], message: /invalid --poll-interval/ },
  { name: "finetune: nothing exported", args: ["finetune"], message: /codeenhancer export/ },
  {
    name: "config: unknown key",
    args: ["generate"],
    setup: () => fs.writeJson(path.join(dir, "codeenhancer.config.json"), { concurency: 3 }),
    message: /config file codeenhancer\.config\.json: unknown key concurency/,
  },
  { name: "config: missing --config file", args: ["validate", "--config", "nope.json"], message: /cannot read config file nope\.json/ },
  { name: "unknown command", args: ["genrate"], message: /unknown command 'genrate'/ },
];

describe("bad input across commands", () => {
  it.each(cases)("$name", async (c) => {
    await c.setup?.();
    const before = (await fs.readdir(dir, { recursive: true })).sort();
    const result = await runCli(c.args, { cwd: dir, env: { ...BASE, ...c.env } });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(c.message);
    expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(result.stdout).toBe("");
    expect((await fs.readdir(dir, { recursive: true })).sort()).toEqual(before);
  });
});
