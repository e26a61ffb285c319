import path from "node:path";
import { PassThrough } from "node:stream";
import fs from "fs-extra";
import { describe, expect, it } from "vitest";
import { buildConfigJsonSchema, resolveCommandOptions } from "../src/commands/config.js";
import type { CliContext } from "../src/commands/context.js";
import { makeTempDir, ROOT } from "./helpers/run-cli.js";

const SCHEMA_FILE = path.join(ROOT, "schema", "codeenhancer.config.schema.json");

function context(cwd: string, env: NodeJS.ProcessEnv = {}): CliContext {
  return { env, cwd, stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), stop: new AbortController().signal, abort: new AbortController().signal };
}

describe("config file", () => {
  it("applies defaults < file < environment < flags", async () => {
    const dir = await makeTempDir();
    await fs.writeJson(path.join(dir, "codeenhancer.config.json"), {
      model: "from-file",
      concurrency: 3,
      baseUrl: "http://file.example/v1",
      generate: { maxTokens: 2048, out: "runs/a" },
    });
    const ctx = context(dir, { OPENAI_BASE_URL: "http://env.example/v1" });
    const options = await resolveCommandOptions(ctx, "generate", { concurrency: "7" });
    expect(options).toMatchObject({
      model: "from-file",
      concurrency: 7,
      maxTokens: 2048,
      baseUrl: "http://env.example/v1",
      out: path.join(dir, "runs/a"),
      docstringRetries: 5,
    });
    // A top-level key applies only to commands that have it: validate has no maxTokens section value here.
    const validate = await resolveCommandOptions(ctx, "validate", {});
    expect(validate).toMatchObject({ model: "from-file", concurrency: 3, maxTokens: 4096 });
  });

  it("reports unknown keys with their path, and bad values naming the option", async () => {
    const dir = await makeTempDir();
    await fs.writeJson(path.join(dir, "c.json"), { modle: "x", generate: { concurency: 2 } });
    const error = await resolveCommandOptions(context(dir), "generate", { config: "c.json" }).then(
      () => new Error("expected a rejection"),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/^config file c\.json: /);
    expect(error.message).toContain("unknown key modle");
    expect(error.message).toContain("unknown key generate.concurency");
    await fs.writeJson(path.join(dir, "c.json"), { concurrency: 0 });
    await expect(resolveCommandOptions(context(dir), "generate", { config: "c.json" })).rejects.toThrow(/invalid --concurrency/);
    await fs.writeFile(path.join(dir, "c.json"), "{ nope");
    await expect(resolveCommandOptions(context(dir), "generate", { config: "c.json" })).rejects.toThrow(/config file c\.json: invalid JSON/);
    await expect(resolveCommandOptions(context(dir), "generate", { config: "missing.json" })).rejects.toThrow(/cannot read config file missing\.json/);
  });

  it("is published as a JSON Schema that matches the code (UPDATE_SCHEMA=1 rewrites it)", async () => {
    const expected = `${JSON.stringify(buildConfigJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA) await fs.outputFile(SCHEMA_FILE, expected);
    expect(await fs.readFile(SCHEMA_FILE, "utf8")).toBe(expected);
    const schema = JSON.parse(expected) as { properties: Record<string, { properties?: Record<string, unknown> }>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["model", "concurrency", "generate", "validate"]));
    expect(Object.keys(schema.properties.generate?.properties ?? {})).toContain("docstringRetries");
  });
});
