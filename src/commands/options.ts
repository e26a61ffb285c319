import { type Command, Option } from "commander";
import { z } from "zod";
import { usageError } from "../errors.js";

// Shared zod pieces: commander hands us strings, these give them meaning.

export const positiveInt = z.coerce.number().int().min(1);
export const nonNegativeInt = z.coerce.number().int().min(0);
export const positiveNumber = z.coerce.number().positive();

/** Accepts true/false from a config file and commander's booleans alike. */
export const flag = z.boolean().default(false);

/** A comma-separated list from a flag, or a list from the config file. */
export const idList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(",")).map((s) => s.trim()).filter(Boolean));

/**
 * One option, declared once: commander's flag syntax and help, and the zod schema that holds its
 * default and coercion (the help shows that default). The table key is the option's name in code
 * and in the config file; it must be the flag's camelCase name (checked when the flag is added).
 */
export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  /** commander's syntax: "--out <dir>", "--force", "--no-wait". */
  flags: string;
  help: string;
  schema: S;
  /** Shown as the default in the help instead of the schema's default (e.g. where it comes from). */
  defaultText?: string;
  /** false: a command-line flag only; the config file does not accept it. */
  inConfig?: boolean;
  /** An environment variable that sets it, between the config file and the flag in precedence. */
  env?: string;
  /** A deprecated name: its value goes to this option of the same table, with a warning. */
  aliasOf?: string;
  /** Also add the `--no-<name>` flag, with this help, setting the option to false. */
  negatable?: string;
  /** A config file key only, with no flag (e.g. the `prices` table). */
  configOnly?: boolean;
  /** The flag may be given several times; its values are collected in a list under the table key (e.g. `--sarif-analyzer` -> `sarifAnalyzers`). */
  repeatable?: boolean;
  /** Changes a result's verdict: a finished item made with another value is redone on resume. */
  affectsVerdict?: boolean;
  /**
   * Chooses a program to run or where the API key goes: a config file found implicitly in the
   * working folder may not set it (the config trust rule, README "Security").
   */
  needsTrust?: boolean;
}

export type OptionTable = Record<string, OptionSpec>;

/** Declares one option; see OptionSpec. */
export function option<S extends z.ZodType>(flags: string, help: string, schema: S, extra: Omit<OptionSpec<S>, "flags" | "help" | "schema"> = {}): OptionSpec<S> {
  return { flags, help, schema, ...extra };
}

/** A deprecated flag that sets `target` (hidden from help; accepted in a command's config section). */
export function alias(flags: string, target: string): OptionSpec<z.ZodUnknown> & { aliasOf: string } {
  return { flags, help: `deprecated: use ${flagName(target)}`, schema: z.unknown(), aliasOf: target };
}

type RealKeys<T extends OptionTable> = { [K in keyof T]: T[K] extends { aliasOf: string } ? never : K }[keyof T];
type Shape<T extends OptionTable> = { [K in RealKeys<T>]: T[K]["schema"] };

/** The zod schema of a command's options: one key per option of the table (aliases excluded). */
export function schemaOf<T extends OptionTable>(table: T): z.ZodObject<Shape<T>, z.core.$strict> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, spec] of Object.entries(table)) if (!spec.aliasOf) shape[key] = spec.schema;
  return z.strictObject(shape) as unknown as z.ZodObject<Shape<T>, z.core.$strict>;
}

/** Adds every option of the table to a commander command; commander gets no defaults (zod holds them). */
export function addOptions(command: Command, table: OptionTable): Command {
  for (const [key, spec] of Object.entries(table)) {
    if (spec.configOnly) continue;
    const shown = spec.defaultText ?? defaultTextOf(spec.schema);
    const help = shown ? `${spec.help} (default: ${shown})` : spec.help;
    const option = spec.repeatable ? new RepeatableOption(spec.flags, help, key) : new Option(spec.flags, help);
    const name = spec.aliasOf ? option.attributeName() : key;
    if (option.attributeName() !== name) throw new Error(`option table: key ${key} does not match flag ${spec.flags}`);
    if (spec.aliasOf) option.hideHelp();
    command.addOption(option);
    if (spec.negatable) command.addOption(new Option(spec.flags.replace(/^--/, "--no-"), spec.negatable));
  }
  return command;
}

/** A flag given several times whose values are collected under a plural key of the table. */
class RepeatableOption extends Option {
  constructor(
    flags: string,
    description: string,
    private readonly key: string,
  ) {
    super(flags, description);
    this.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
  }

  override attributeName(): string {
    return this.key;
  }
}

/** The default a schema fills in, as the help shows it; nothing for false, empty lists and no default. */
function defaultTextOf(schema: z.ZodType): string | undefined {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success) return undefined;
  const value: unknown = parsed.data;
  if (value === undefined || value === false || value === true) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value.join(",") : undefined;
  return String(value);
}

/** The values of the options that change a verdict, for the resume hash. */
export function verdictSettings(table: OptionTable, options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(table).filter((key) => table[key]?.affectsVerdict).map((key) => [key, options[key] ?? null]));
}

/** A size in bytes: a number, or with a k/M suffix (1024-based), e.g. 512k or 2M. */
export const byteSize = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM])?[bB]?\s*$/.exec(String(value));
    if (!match) {
      ctx.addIssue({ code: "custom", message: "expected a size in bytes, e.g. 1048576, 512k or 2M" });
      return z.NEVER;
    }
    const unit = match[2]?.toLowerCase();
    return Math.round(Number(match[1]) * (unit === "m" ? 1024 * 1024 : unit === "k" ? 1024 : 1));
  })
  .pipe(z.number().int().min(1));

export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Where an effective option value came from, for `doctor` and for the config trust rule. */
export type OptionSource = { kind: "default" } | { kind: "config"; file: string } | { kind: "env"; name: string } | { kind: "flag" };

/** A layer of option values and where they came from; undefined values do not override. */
export interface OptionLayer {
  values: Record<string, unknown>;
  source: (key: string) => OptionSource;
}

/**
 * Merges option layers (lowest precedence first: config file, environment, flags) and parses them.
 * Every problem is reported in one line naming its flag. Returns the options and each one's source.
 */
export function parseOptionLayers<S extends z.ZodType>(schema: S, layers: OptionLayer[]): { options: z.output<S>; sources: Record<string, OptionSource> } {
  const merged: Record<string, unknown> = {};
  const sources: Record<string, OptionSource> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      if (value === undefined) continue;
      merged[key] = value;
      sources[key] = layer.source(key);
    }
  }
  const parsed = schema.safeParse(merged);
  if (parsed.success) return { options: parsed.data, sources };
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.map(String).join(".");
    return `${key ? `invalid ${flagName(key)}` : "invalid options"}: ${issue.message}`;
  });
  throw usageError(problems.join("; "));
}

/** parseOptionLayers for plain value layers. */
export function parseOptions<S extends z.ZodType>(schema: S, ...layers: Array<Record<string, unknown>>): z.output<S> {
  return parseOptionLayers(
    schema,
    layers.map((values) => ({ values, source: () => ({ kind: "flag" }) as const })),
  ).options;
}
