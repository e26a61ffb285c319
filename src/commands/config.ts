import path from "node:path";
import fs from "fs-extra";
import { z } from "zod";
import { usageError } from "../errors.js";
import type { CliContext } from "./context.js";
import { commandOptionSchemas, commandOptionTables, type CommandName } from "./option-schemas.js";
import { flagName, type OptionLayer, type OptionSource, type OptionTable, parseOptionLayers } from "./options.js";

export const CONFIG_FILE = "codeenhancer.config.json";

function inConfig(table: OptionTable, key: string): boolean {
  return table[key]?.inConfig !== false;
}

/**
 * A config section's keys; `typed` keeps each option's own schema (for the published JSON Schema).
 * `withAliases` adds the deprecated names, which a command's own section still accepts.
 */
function sectionShape(name: CommandName, typed: boolean, withAliases: boolean): Record<string, z.ZodType> {
  const table: OptionTable = commandOptionTables[name];
  const shape: Record<string, z.ZodType> = {};
  for (const [key, spec] of Object.entries(table)) {
    if (!inConfig(table, key) || (spec.aliasOf && !withAliases)) continue;
    const schema = spec.aliasOf ? (table[spec.aliasOf]?.schema ?? spec.schema).meta({ deprecated: true, description: `deprecated: use ${spec.aliasOf}` }) : spec.schema;
    shape[key] = typed ? schema.optional() : z.unknown().optional();
  }
  return shape;
}

/**
 * The config file: keys at the top level apply to every command that has such an option,
 * a section per command overrides them. Values are checked by each command's own schema.
 */
export function buildConfigFileSchema(typed = false) {
  const names = Object.keys(commandOptionTables) as CommandName[];
  const shared: Record<string, z.ZodType> = {};
  for (const name of names) {
    for (const [key, type] of Object.entries(sectionShape(name, typed, false))) shared[key] ??= type.optional();
  }
  const sections: Record<string, z.ZodType> = {};
  for (const name of names) sections[name] = z.strictObject(sectionShape(name, typed, true)).optional();
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

/** What a config file gives one command: its values and the file they came from. */
export interface ConfigLayer {
  values: Record<string, unknown>;
  /** Absolute path of the file read; undefined when there is none. */
  file: string | undefined;
  /** true when --config named it, false when it was found in the working folder. */
  explicit: boolean;
}

/**
 * The option layer the config file gives `command`: `--config <path>`, else ./codeenhancer.config.json
 * when it exists, else nothing. Unknown keys and invalid JSON are one-line errors naming the file.
 */
export async function loadConfigLayer(ctx: CliContext, command: CommandName, explicit: string | undefined): Promise<ConfigLayer> {
  const file = path.resolve(ctx.cwd, explicit ?? CONFIG_FILE);
  const label = explicit ?? CONFIG_FILE;
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if (explicit === undefined && (error as NodeJS.ErrnoException).code === "ENOENT") return { values: {}, file: undefined, explicit: false };
    throw usageError(`cannot read config file ${label} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
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
  const table: OptionTable = commandOptionTables[command];
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) if (key in data && inConfig(table, key) && !spec.aliasOf) values[key] = data[key];
  Object.assign(values, (data[command] as Record<string, unknown> | undefined) ?? {});
  // Relative paths in a config file are relative to the file, not to wherever the command runs.
  for (const key of ["out", "input", "python"]) {
    const value = values[key];
    if (typeof value === "string" && (key !== "python" || value.includes("/"))) values[key] = path.resolve(path.dirname(file), value);
  }
  return { values, file, explicit: explicit !== undefined };
}

/** Options that the environment sets (the table's `env`), between the config file and the flags. */
export function environmentLayer(ctx: CliContext, command: CommandName): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(commandOptionTables[command] as OptionTable)) {
    const value = spec.env ? ctx.env[spec.env]?.trim() : undefined;
    if (value) layer[key] = value;
  }
  return layer;
}

/** Moves deprecated names to the options they stand for, with one warning each. */
function applyAliases(table: OptionTable, values: Record<string, unknown>, where: string, ctx: CliContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const target = table[key]?.aliasOf;
    if (target && value !== undefined) {
      const [used, wanted] = where === "flag" ? [flagName(key), flagName(target)] : [key, target];
      ctx.stderr.write(`codeenhancer: ${used} is deprecated here${where === "flag" ? "" : ` (${where})`}: use ${wanted}\n`);
      out[target] ??= value;
    } else if (!target) {
      out[key] = value;
    }
  }
  return out;
}

export interface ResolvedOptions<N extends CommandName> {
  options: z.output<(typeof commandOptionSchemas)[N]>;
  /** Where each option that was set came from; options not listed have their default. */
  sources: Record<string, OptionSource>;
  config: ConfigLayer;
}

/**
 * The config trust rule: a config file found implicitly in the working folder (a cloned repository
 * can carry one) may not set the options that pick a program to run or where the API key is sent
 * (`needsTrust` in the tables: python, baseUrl). Naming the file with --config trusts it; a flag or
 * environment variable that overrides the value makes it harmless. Returns the refused keys.
 */
export function untrustedSettings(command: CommandName, resolved: Pick<ResolvedOptions<CommandName>, "sources" | "config">): string[] {
  const table: OptionTable = commandOptionTables[command];
  if (resolved.config.explicit) return [];
  return Object.entries(resolved.sources)
    .filter(([key, source]) => source.kind === "config" && table[key]?.needsTrust)
    .map(([key]) => key);
}

export function untrustedError(command: CommandName, keys: string[]): Error {
  const table: OptionTable = commandOptionTables[command];
  // The flag as declared (a repeatable option's key is plural: sarifAnalyzers is --sarif-analyzer).
  const flagOf = (key: string) => table[key]?.flags.split(/[ ,]/)[0] ?? flagName(key);
  const overrides = keys.map((key) => [flagOf(key), table[key]?.env].filter(Boolean).join(" or ")).join(", ");
  return usageError(
    `${CONFIG_FILE} in the working folder sets ${keys.join(", ")}: a config file found by itself may not choose the program to run or where the API key is sent`,
    `if you trust the file, name it: --config ${CONFIG_FILE}; otherwise set ${overrides} yourself`,
  );
}

/** defaults < config file < environment < flags, parsed by the command's schema, with each value's source. */
export async function resolveCommandOptionsWithSources<N extends CommandName>(
  ctx: CliContext,
  command: N,
  flags: Record<string, unknown>,
  { enforceTrust = true }: { enforceTrust?: boolean } = {},
): Promise<ResolvedOptions<N>> {
  const table: OptionTable = commandOptionTables[command];
  const config = await loadConfigLayer(ctx, command, flags.config as string | undefined);
  const configFile = config.file ?? "";
  const layers: OptionLayer[] = [
    { values: applyAliases(table, config.values, path.basename(configFile), ctx), source: () => ({ kind: "config", file: configFile }) },
    { values: environmentLayer(ctx, command), source: (key) => ({ kind: "env", name: table[key]?.env ?? "" }) },
    { values: applyAliases(table, flags, "flag", ctx), source: () => ({ kind: "flag" }) },
  ];
  const { options, sources } = parseOptionLayers(commandOptionSchemas[command], layers);
  const untrusted = untrustedSettings(command, { sources, config });
  if (enforceTrust && untrusted.length > 0) throw untrustedError(command, untrusted);
  return { options: options as z.output<(typeof commandOptionSchemas)[N]>, sources, config };
}

/** defaults < config file < environment < flags, parsed by the command's schema. */
export async function resolveCommandOptions<N extends CommandName>(ctx: CliContext, command: N, flags: Record<string, unknown>): Promise<z.output<(typeof commandOptionSchemas)[N]>> {
  return (await resolveCommandOptionsWithSources(ctx, command, flags)).options;
}
