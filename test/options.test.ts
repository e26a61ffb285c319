import path from "node:path";
import { PassThrough } from "node:stream";
import { Command, type Option } from "commander";
import fs from "fs-extra";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildProgram } from "../src/cli.js";
import { resolveCommandOptions, resolveCommandOptionsWithSources } from "../src/commands/config.js";
import type { CliContext } from "../src/commands/context.js";
import { commandOptionTables } from "../src/commands/option-schemas.js";
import { addOptions, option, type OptionTable } from "../src/commands/options.js";
import { makeTempDir } from "./helpers/run-cli.js";

function context(cwd: string, env: NodeJS.ProcessEnv = {}): CliContext & { errText: () => string } {
  const stderr = new PassThrough();
  let err = "";
  stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  return {
    env,
    cwd,
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    stop: new AbortController().signal,
    abort: new AbortController().signal,
    errText: () => err,
  };
}

describe("the option tables", () => {
  it("give every command exactly the flags of its table, with the schema's default in the help", () => {
    const program = buildProgram(context("/"), () => {});
    for (const [name, table] of Object.entries(commandOptionTables) as Array<[string, OptionTable]>) {
      const command = program.commands.find((c) => c.name() === name);
      expect(command, name).toBeDefined();
      // A negatable option is two commander options (--cache, --no-cache) under one key: the first is the table's.
      const byKey = new Map<string, Option>();
      for (const o of command!.options) if (!byKey.has(o.attributeName())) byKey.set(o.attributeName(), o);
      const flagged = Object.entries(table).filter(([, spec]) => !spec.configOnly);
      expect([...byKey.keys()].sort(), name).toEqual(flagged.map(([key]) => key).sort());
      const negated = command!.options.filter((o) => o.negate && byKey.get(o.attributeName()) !== o).map((o) => o.long);
      expect(negated.sort(), name).toEqual(flagged.filter(([, spec]) => spec.negatable).map(([, spec]) => spec.flags.replace(/^--/, "--no-")).sort());
      for (const [key, spec] of flagged) {
        const flag = byKey.get(key)!;
        expect(flag.flags, `${name} ${key}`).toBe(spec.flags);
        // commander gets no defaults: the config file and environment would be overridden.
        expect(flag.defaultValue, `${name} ${key}`).toBeUndefined();
        const parsed = spec.schema.safeParse(undefined);
        const value: unknown = parsed.success ? parsed.data : undefined;
        if (spec.defaultText) expect(flag.description).toContain(`(default: ${spec.defaultText})`);
        else if (typeof value === "number" || typeof value === "string") expect(flag.description, `${name} ${key}`).toContain(`(default: ${value})`);
        else if (Array.isArray(value) && value.length > 0) expect(flag.description, `${name} ${key}`).toContain(`(default: ${value.join(",")})`);
        else expect(flag.description, `${name} ${key}`).not.toContain("(default:");
        expect(flag.hidden, `${name} ${key}`).toBe(Boolean(spec.aliasOf));
      }
    }
  });

  it("refuses a table key that is not the flag's own name", () => {
    const table: OptionTable = { outDir: option("--out <dir>", "output", z.string().optional()) };
    expect(() => addOptions(new Command("x"), table)).toThrow(/key outDir does not match flag --out <dir>/);
  });

  it("keeps stage-2 options apart: a top-level model or maxTokens does not reach export or finetune", async () => {
    const dir = await makeTempDir();
    await fs.writeJson(path.join(dir, "codeenhancer.config.json"), { model: "gpt-4o-mini", maxTokens: 100, baseModel: "gpt-4.1-mini-2025-04-14" });
    const ctx = context(dir);
    expect(await resolveCommandOptions(ctx, "generate", {})).toMatchObject({ model: "gpt-4o-mini", maxTokens: 100 });
    const exp = await resolveCommandOptions(ctx, "export", {});
    expect(exp).toMatchObject({ baseModel: "gpt-4.1-mini-2025-04-14" });
    expect(exp.maxExampleTokens).toBeUndefined();
    expect(exp).not.toHaveProperty("model");
    expect(await resolveCommandOptions(ctx, "finetune", {})).toMatchObject({ baseModel: "gpt-4.1-mini-2025-04-14" });
  });

  it("takes the old --model and --max-tokens of export and finetune as deprecated names, with a warning", async () => {
    const dir = await makeTempDir();
    const ctx = context(dir);
    const exp = await resolveCommandOptions(ctx, "export", { model: "gpt-4o-mini-2024-07-18", maxTokens: "500" });
    expect(exp).toMatchObject({ baseModel: "gpt-4o-mini-2024-07-18", maxExampleTokens: 500 });
    expect(ctx.errText()).toContain("--model is deprecated here: use --base-model");
    expect(ctx.errText()).toContain("--max-tokens is deprecated here: use --max-example-tokens");
    // The new name wins over the old one, and a command section of the config file may still use the old name.
    await fs.writeJson(path.join(dir, "codeenhancer.config.json"), { finetune: { model: "from-section" } });
    expect(await resolveCommandOptions(ctx, "finetune", {})).toMatchObject({ baseModel: "from-section" });
    expect(await resolveCommandOptions(ctx, "finetune", { model: "a", baseModel: "b" })).toMatchObject({ baseModel: "b" });
  });

  it("says where each setting came from", async () => {
    const dir = await makeTempDir();
    await fs.writeJson(path.join(dir, "codeenhancer.config.json"), { concurrency: 3, model: "m" });
    const ctx = context(dir, { OPENAI_BASE_URL: "http://127.0.0.1:1/v1" });
    const { sources } = await resolveCommandOptionsWithSources(ctx, "generate", { model: "n" });
    expect(sources).toMatchObject({
      concurrency: { kind: "config", file: path.join(dir, "codeenhancer.config.json") },
      baseUrl: { kind: "env", name: "OPENAI_BASE_URL" },
      model: { kind: "flag" },
    });
    expect(sources.timeout).toBeUndefined();
  });
});
