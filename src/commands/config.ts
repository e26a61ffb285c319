import path from "node:path";
import fs from "fs-extra";
import { z } from "zod";
import { usageError } from "../errors.js";
import type { CliContext } from "./context.js";
import { commandOptionSchemas, type CommandName } from "./option-schemas.js";
import { parseOptions } from "./options.js";

export const CONFIG_FILE = "codeenhancer.config.json";

/** Keys that only make sense on the command line. */
const FLAG_ONLY = new Set(["config", "dataset", "jsonl", "force", "job", "dryRun", "new", "wait"]);

/** A config section's keys; `typed` keeps each option's own schema (for the published JSON Schema). */
function sectionShape(name: CommandName, typed: boolean): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, type] of Object.entries(commandOptionSchemas[name].shape as Record<string, z.ZodType>)) {
    if (!FLAG_ONLY.has(key)) shape[key] = typed ? type.optional() : z.unknown().optional();
  }
  return shape;
}

/**
 * The config file: keys at the top level apply to every command that has such an option,
 * a section per command overrides them. Values are checked by each command's own schema.
 */
export function buildConfigFileSchema(typed = false) {
  const names = Object.keys(commandOptionSchemas) as CommandName[];
  const shared: Record<string, z.ZodType> = {};
  for (const name of names) {
    for (const [key, type] of Object.entries(sectionShape(name, typed))) shared[key] ??= type.optional();
  }
  const sections: Record<string, z.ZodType> = {};
  for (const name of names) sections[name] = z.strictObject(sectionShape(name, typed)).optional();
  return z.strictObject({ $schema: z.string().optional(), ...shared, ...sections });
}

/** The JSON Schema published as schema/codeenhancer.config.schema.json, for editor completion. */
export function buildConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(buildConfigFileSchema(true), { io: "input", unrepresentable: "any" }),
    title: "codeenhancer configuration",
    description: "Defaults < this file < environment (OPENAI_BASE_URL, CODEENHANCER_PYTHON) < command-line flags.",
  };
}

/**
 * The option layer the config file gives `command`: `--config <path>`, else ./codeenhancer.config.json
 * when it exists, else nothing. Unknown keys and invalid JSON are one-line errors naming the file.
 */
export async function loadConfigLayer(ctx: CliContext, command: CommandName, explicit: string | undefined): Promise<Record<string, unknown>> {
  const file = path.resolve(ctx.cwd, explicit ?? CONFIG_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if (explicit === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw usageError(`cannot read config file ${explicit ?? CONFIG_FILE} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const label = explicit ?? CONFIG_FILE;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw usageError(`config file ${label}: invalid JSON: ${(error as Error).message}`);
  }
  const parsed = buildConfigFileSchema().safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k].join(".")) : [issue.path.join(".")];
      return issue.code === "unrecognized_keys" ? `unknown key ${keys.join(", ")}` : `${keys[0] || "(top level)"}: ${issue.message}`;
    });
    throw usageError(`config file ${label}: ${problems.join("; ")}`);
  }
  const data = parsed.data as Record<string, unknown>;
  const own = Object.keys(commandOptionSchemas[command].shape);
  const layer: Record<string, unknown> = {};
  for (const key of own) if (key in data && !FLAG_ONLY.has(key)) layer[key] = data[key];
  Object.assign(layer, (data[command] as Record<string, unknown> | undefined) ?? {});
  // Relative paths in a config file are relative to the file, not to wherever the command runs.
  for (const key of ["out", "input", "python"]) {
    const value = layer[key];
    if (typeof value === "string" && (key !== "python" || value.includes("/"))) layer[key] = path.resolve(path.dirname(file), value);
  }
  return layer;
}

/** Options that the environment may set, between the config file and the flags in precedence. */
export function environmentLayer(ctx: CliContext): Record<string, unknown> {
  const baseUrl = ctx.env.OPENAI_BASE_URL?.trim();
  const python = ctx.env.CODEENHANCER_PYTHON?.trim();
  return { ...(baseUrl ? { baseUrl } : {}), ...(python ? { python } : {}) };
}

/** defaults < config file < environment < flags, parsed by the command's schema. */
export async function resolveCommandOptions<N extends CommandName>(
  ctx: CliContext,
  command: N,
  flags: Record<string, unknown>,
): Promise<z.output<(typeof commandOptionSchemas)[N]>> {
  const { config, ...rest } = flags;
  const configLayer = await loadConfigLayer(ctx, command, config as string | undefined);
  const schema = commandOptionSchemas[command];
  const env = environmentLayer(ctx);
  const own = Object.keys(schema.shape);
  const envLayer = Object.fromEntries(Object.entries(env).filter(([key]) => own.includes(key)));
  return parseOptions(schema, configLayer, envLayer, rest) as z.output<(typeof commandOptionSchemas)[N]>;
}
