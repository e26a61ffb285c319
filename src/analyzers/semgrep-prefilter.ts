import { execa } from "execa";
import { z } from "zod";
import { analyzerCwd, analyzerEnv } from "./python.js";

// Which rules of the pack can match a batch of files at all. semgrep-core parses every rule it is
// given before it scans (about 1.5 ms of CPU per rule, the larger part of a run's fixed cost), and
// most rules cannot match a given file: a Flask rule in a file that never names `request`.
// semgrep-core computes for each rule the identifiers a file must contain for the rule to match
// (`-prefilter_of_rules`, the same prefilter the `semgrep` CLI applies to every file); a batch is
// scanned with the rules whose prefilter one of its files passes, which gives the same findings.
//
// The check is the one semgrep-core applies (Analyze_rule.ml, run_cnf_step2): an identifier
// counts when its text appears anywhere in the file; a regular expression is searched for in the
// file. Regexps are run as JavaScript ones with the `u` flag, where PCRE-only syntax is an error
// rather than another meaning (one that does not compile counts as met), and the `m` flag, so that
// an anchor can only let more files in. A rule without a
// prefilter, or with a condition of a kind not known here, is always kept.
//
// semgrep-core finds no prefilter for a rule with a branch made only of metavariables and
// metavariable-regex (`$NAME = $VALUE` where $NAME looks like a password), and its prefilter of
// a taint rule is often the sources' alone. A rule may then carry its own in the pack,
// `metadata.prefilter-regex`: a JavaScript regular expression (or a list that must all match),
// matched case-insensitively, that every file the rule can flag contains (test/rules.test.ts
// holds each one to that over the corpus and the fixtures). A file no rule may match is not given
// to the engine at all.

type Formula = { kind: "idents"; names: string[] } | { kind: "regex"; re: RegExp } | { kind: "any" } | { kind: "or" | "and"; parts: Formula[] };

/** Each rule's prefilter by rule id; null: the rule has none (always scanned). */
export type Prefilters = Map<string, Formula | null>;

const entrySchema = z.object({ rule_id: z.string(), filter: z.unknown() });

/** semgrep-core's prefilters of the rules in `rulesFile` as it prints them (JSON), or undefined when it cannot. */
export async function prefilterJson(core: string, rulesFile: string, timeoutMs: number): Promise<string | undefined> {
  const result = await execa(core, ["-prefilter_of_rules", rulesFile], {
    cwd: analyzerCwd(),
    env: analyzerEnv(),
    extendEnv: false,
    reject: false,
    timeout: timeoutMs,
    stdin: "ignore",
    maxBuffer: 64 * 1024 * 1024,
  });
  return result.exitCode === 0 && typeof result.stdout === "string" ? result.stdout : undefined;
}

/** semgrep-core's `-prefilter_of_rules` JSON as prefilters; undefined when it is not that. */
export function parsePrefilters(json: string): Prefilters | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const entries = z.array(entrySchema).safeParse(value);
  if (!entries.success) return undefined;
  return new Map(entries.data.map(({ rule_id, filter }) => [rule_id, toFormula(filter)]));
}

// ["Some", F] or "None"; F is ["Or", [F...]], ["And", [F...]], ["Pred", ["Idents", [names]]] or
// ["Pred", ["Regexp", re]]. Anything else becomes "any" (always met).
function toFormula(filter: unknown): Formula | null {
  if (!Array.isArray(filter) || filter[0] !== "Some") return null;
  return formula(filter[1]);
}

function formula(node: unknown): Formula {
  if (!Array.isArray(node)) return { kind: "any" };
  const [kind, arg] = node as [unknown, unknown];
  if ((kind === "Or" || kind === "And") && Array.isArray(arg)) return { kind: kind === "Or" ? "or" : "and", parts: arg.map(formula) };
  if (kind === "Pred" && Array.isArray(arg) && arg[0] === "Idents" && Array.isArray(arg[1]) && arg[1].every((name) => typeof name === "string")) {
    return { kind: "idents", names: arg[1] as string[] };
  }
  if (kind === "Pred" && Array.isArray(arg) && arg[0] === "Regexp" && typeof arg[1] === "string") {
    try {
      return { kind: "regex", re: new RegExp(arg[1], "mu") };
    } catch {
      return { kind: "any" };
    }
  }
  return { kind: "any" };
}

function holds(f: Formula, text: string): boolean {
  switch (f.kind) {
    case "any":
      return true;
    case "idents":
      return f.names.every((name) => text.includes(name));
    case "regex":
      return f.re.test(text);
    case "or":
      return f.parts.some((part) => holds(part, text));
    case "and":
      return f.parts.every((part) => holds(part, text));
  }
}

/** Where the prefilter of a taint rule's sinks is listed, beside the rule's own. */
export const SINKS_SUFFIX = "--sinks";
const FORMULA_KEYS = new Set(["pattern", "patterns", "pattern-either", "pattern-regex"]);

/**
 * For each taint rule, a search rule made of its sinks (their taint-only keys dropped), to be
 * given to semgrep-core with the pack: a taint finding is reported where a sink matches, so the
 * sinks' prefilter holds in every file the rule can flag. semgrep-core's own prefilter of a taint
 * rule ANDs sources and sinks and drops the general side, often the sinks (`$F(...)` with a
 * metavariable-regex on $F); the sources alone (any route's parameter) let nearly every file in.
 */
export function sinkRules(rules: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const rule of rules) {
    const parsed = taintRuleSchema.safeParse(rule);
    if (!parsed.success) continue;
    const sinks = parsed.data["pattern-sinks"].map((sink) => Object.fromEntries(Object.entries(sink).filter(([key]) => FORMULA_KEYS.has(key))));
    if (sinks.length === 0 || sinks.some((sink) => Object.keys(sink).length !== 1)) continue;
    out.push({ id: parsed.data.id + SINKS_SUFFIX, languages: parsed.data.languages, severity: "INFO", message: "sinks", "pattern-either": sinks });
  }
  return out;
}
const taintRuleSchema = z.object({ id: z.string(), mode: z.literal("taint"), languages: z.array(z.string()), "pattern-sinks": z.array(z.record(z.string(), z.unknown())) }).loose();

/**
 * Each rule's prefilter: every condition known to hold in the files it can flag, ANDed:
 * semgrep-core's for the rule, semgrep-core's for its sinks (see sinkRules), and the rule's own
 * `metadata.prefilter-regex` (matched case-insensitively; one that is not a JavaScript regexp is
 * ignored). Null when there is none: the rule is always kept.
 */
export function rulePrefilters(fromCore: Prefilters, rules: readonly unknown[]): Prefilters {
  const out: Prefilters = new Map();
  for (const rule of rules) {
    const parsed = ruleSchema.safeParse(rule);
    if (!parsed.success) continue;
    const { id, metadata } = parsed.data;
    const parts = [fromCore.get(id), fromCore.get(id + SINKS_SUFFIX), ownRegex(metadata?.["prefilter-regex"])].filter((part): part is Formula => part !== null && part !== undefined);
    out.set(id, parts.length === 0 ? null : parts.length === 1 ? (parts[0] as Formula) : { kind: "and", parts });
  }
  return out;
}
const ruleSchema = z.object({ id: z.string(), metadata: z.object({ "prefilter-regex": z.union([z.string(), z.array(z.string())]).optional() }).loose().optional() }).loose();

/** The rule's own prefilter: a regexp, or a list of them that must all match. */
function ownRegex(source: string | string[] | undefined): Formula | undefined {
  if (source === undefined) return undefined;
  try {
    const parts: Formula[] = [source].flat().map((one) => ({ kind: "regex", re: new RegExp(one, "iu") }));
    return parts.length === 1 ? parts[0] : { kind: "and", parts };
  } catch {
    return undefined;
  }
}

/** The ids of the rules that may match at least one of the texts; rules unknown to `prefilters` are kept by the caller. */
export function rulesThatMayMatch(prefilters: Prefilters, texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const [id, f] of prefilters) {
    if (f === null || texts.some((text) => holds(f, text))) out.add(id);
  }
  return out;
}
