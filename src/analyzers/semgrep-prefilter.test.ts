import { describe, expect, it } from "vitest";
import { parsePrefilters, rulesThatMayMatch } from "./semgrep-prefilter.js";

// The shape semgrep-core prints for `-prefilter_of_rules` (semgrep 1.185).
const printed = JSON.stringify([
  { rule_id: "r.eval", filter: ["Some", ["Or", [["Pred", ["Idents", ["eval"]]], ["Pred", ["Idents", ["exec"]]]]]] },
  { rule_id: "r.pickle", filter: ["Some", ["And", [["Pred", ["Idents", ["pickle"]]], ["Pred", ["Regexp", "(load|loads)"]]]]] },
  { rule_id: "r.flask", filter: ["Some", ["And", [["Pred", ["Idents", ["request", "flask"]]], ["Pred", ["Something", "new"]]]]] },
  { rule_id: "r.any", filter: "None" },
]);

describe("Semgrep rule prefilters", () => {
  const prefilters = parsePrefilters(printed);

  it("reads semgrep-core's output, and nothing else", () => {
    expect(prefilters ? [...prefilters.keys()] : undefined).toEqual(["r.eval", "r.pickle", "r.flask", "r.any"]);
    expect(prefilters?.get("r.any")).toBeNull();
    expect(parsePrefilters("not json")).toBeUndefined();
    expect(parsePrefilters(JSON.stringify({ rules: [] }))).toBeUndefined();
  });

  it("keeps the rules a file may match: identifiers as text, regexps and unknown conditions as met", () => {
    if (!prefilters) throw new Error("no prefilters");
    expect([...rulesThatMayMatch(prefilters, ["def total(xs):\n    return sum(xs)\n"])]).toEqual(["r.any"]);
    // The regexp (load|loads) is taken as met: pickle alone keeps the rule.
    expect([...rulesThatMayMatch(prefilters, ["import pickle\npickle.dumps(x)\n"])].sort()).toEqual(["r.any", "r.pickle"]);
    // Both identifiers are needed; the unknown predicate counts as met.
    expect(rulesThatMayMatch(prefilters, ["from flask import request\n"]).has("r.flask")).toBe(true);
    expect(rulesThatMayMatch(prefilters, ["request = 1\n"]).has("r.flask")).toBe(false);
    // A batch keeps what any of its files may match.
    expect([...rulesThatMayMatch(prefilters, ["x = eval(s)\n", "import pickle\n"])].sort()).toEqual(["r.any", "r.eval", "r.pickle"]);
  });
});
