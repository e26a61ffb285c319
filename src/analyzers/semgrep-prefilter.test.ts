import { describe, expect, it } from "vitest";
import { parsePrefilters, rulePrefilters, rulesThatMayMatch, SINKS_SUFFIX, sinkRules } from "./semgrep-prefilter.js";

// The shape semgrep-core prints for `-prefilter_of_rules` (semgrep 1.185).
const printed = JSON.stringify([
  { rule_id: "r.eval", filter: ["Some", ["Or", [["Pred", ["Idents", ["eval"]]], ["Pred", ["Idents", ["exec"]]]]]] },
  { rule_id: "r.pickle", filter: ["Some", ["And", [["Pred", ["Idents", ["pickle"]]], ["Pred", ["Regexp", "(load|loads)"]]]]] },
  { rule_id: "r.flask", filter: ["Some", ["And", [["Pred", ["Idents", ["request", "flask"]]], ["Pred", ["Something", "new"]]]]] },
  { rule_id: "r.pcre", filter: ["Some", ["And", [["Pred", ["Idents", ["yaml"]]], ["Pred", ["Regexp", "(?i)unsafe_load"]]]]] },
  { rule_id: "r.anchored", filter: ["Some", ["Pred", ["Regexp", "^import marshal$"]]] },
  { rule_id: "r.any", filter: "None" },
]);

describe("Semgrep rule prefilters", () => {
  const prefilters = parsePrefilters(printed);

  it("reads semgrep-core's output, and nothing else", () => {
    expect(prefilters ? [...prefilters.keys()] : undefined).toEqual(["r.eval", "r.pickle", "r.flask", "r.pcre", "r.anchored", "r.any"]);
    expect(prefilters?.get("r.any")).toBeNull();
    expect(parsePrefilters("not json")).toBeUndefined();
    expect(parsePrefilters(JSON.stringify({ rules: [] }))).toBeUndefined();
  });

  it("keeps the rules a file may match: identifiers as text, regexps searched for, unknown conditions as met", () => {
    if (!prefilters) throw new Error("no prefilters");
    const kept = (...texts: string[]) => [...rulesThatMayMatch(prefilters, texts)].sort();
    expect(kept("def total(xs):\n    return sum(xs)\n")).toEqual(["r.any"]);
    // The regexp is searched for: pickle.dumps alone does not keep the rule, pickle.load does.
    expect(kept("import pickle\npickle.dumps(x)\n")).toEqual(["r.any"]);
    expect(kept("import pickle\npickle.load(f)\n")).toEqual(["r.any", "r.pickle"]);
    // A PCRE-only regexp is no JavaScript one: it counts as met, the identifiers still decide.
    expect(kept("import yaml\nyaml.safe_load(s)\n")).toEqual(["r.any", "r.pcre"]);
    expect(kept("import json\n")).toEqual(["r.any"]);
    // Anchors hold at every line, never fewer files than PCRE's reading.
    expect(kept("import os\nimport marshal\n")).toEqual(["r.anchored", "r.any"]);
    // Both identifiers are needed; the unknown predicate counts as met.
    expect(rulesThatMayMatch(prefilters, ["from flask import request\n"]).has("r.flask")).toBe(true);
    expect(rulesThatMayMatch(prefilters, ["request = 1\n"]).has("r.flask")).toBe(false);
    // A batch keeps what any of its files may match.
    expect(kept("x = eval(s)\n", "import pickle\npickle.loads(b)\n")).toEqual(["r.any", "r.eval", "r.pickle"]);
  });
});

describe("the prefilters of a rule pack", () => {
  const taint = {
    id: "r.sqli",
    mode: "taint",
    languages: ["python"],
    severity: "ERROR",
    message: "m",
    "pattern-sources": [{ pattern: "request.args" }],
    "pattern-sinks": [{ patterns: [{ pattern: "$CUR.execute($Q, ...)" }, { focus: "$Q" }], "exact": false }, { pattern: "$DB.raw($Q)" }],
  };
  const search = { id: "r.secret", languages: ["python"], severity: "ERROR", message: "m", pattern: "$X = $Y", metadata: { "prefilter-regex": ["pass", "(word|phrase)"] } };

  it("makes a search rule of each taint rule's sinks, keeping only their formula", () => {
    const rules = sinkRules([taint, search, { ...taint, id: "r.odd", "pattern-sinks": [{ "sink-only": true }] }]);
    expect(rules).toEqual([
      {
        id: `r.sqli${SINKS_SUFFIX}`,
        languages: ["python"],
        severity: "INFO",
        message: "sinks",
        "pattern-either": [{ patterns: [{ pattern: "$CUR.execute($Q, ...)" }, { focus: "$Q" }] }, { pattern: "$DB.raw($Q)" }],
      },
    ]);
  });

  it("ANDs semgrep-core's prefilter, its sinks' and the rule's own regexps", () => {
    const core = parsePrefilters(
      JSON.stringify([
        { rule_id: "r.sqli", filter: ["Some", ["Pred", ["Idents", ["request"]]]] },
        { rule_id: `r.sqli${SINKS_SUFFIX}`, filter: ["Some", ["Or", [["Pred", ["Idents", ["execute"]]], ["Pred", ["Idents", ["raw"]]]]]] },
        { rule_id: "r.secret", filter: "None" },
      ]),
    );
    if (!core) throw new Error("no prefilters");
    const own = rulePrefilters(core, [taint, search, { id: "r.bare", pattern: "x" }, { id: "r.badregex", metadata: { "prefilter-regex": "(" } }]);
    expect([...own.keys()]).toEqual(["r.sqli", "r.secret", "r.bare", "r.badregex"]);
    expect(own.get("r.bare")).toBeNull();
    expect(own.get("r.badregex")).toBeNull();
    const kept = (text: string) => [...rulesThatMayMatch(own, [text])].sort();
    // Sources without a sink, or a sink without sources: the taint rule cannot match.
    expect(kept("from flask import request\nname = request.args['n']\n")).toEqual(["r.badregex", "r.bare"]);
    expect(kept("cur.execute(q)\n")).toEqual(["r.badregex", "r.bare"]);
    expect(kept("from flask import request\ncur.execute(request.args['q'])\n")).toEqual(["r.badregex", "r.bare", "r.sqli"]);
    // Every regexp of the list, case-insensitively.
    expect(kept("PASS = 1\n")).not.toContain("r.secret");
    expect(kept("PASS_PHRASE = 'x'\n")).toContain("r.secret");
  });
});
