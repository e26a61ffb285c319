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
// The check is kept on the safe side: an identifier counts when its text appears anywhere in the
// file, and a regular-expression condition always counts as met (PCRE and JavaScript regexps do
// not agree everywhere); a rule without a prefilter, or with a condition of a kind not known here,
// is always kept.

type Formula = { kind: "idents"; names: string[] } | { kind: "any" } | { kind: "or" | "and"; parts: Formula[] };

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
  return { kind: "any" };
}

function holds(f: Formula, text: string): boolean {
  switch (f.kind) {
    case "any":
      return true;
    case "idents":
      return f.names.every((name) => text.includes(name));
    case "or":
      return f.parts.some((part) => holds(part, text));
    case "and":
      return f.parts.every((part) => holds(part, text));
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
