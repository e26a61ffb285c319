import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { probeAnalyzers } from "../src/analyzers/python.js";
import { loadRulePack } from "../src/analyzers/semgrep.js";
import { parsePrefilters, prefilterJson, rulePrefilters, rulesThatMayMatch, sinkRules } from "../src/analyzers/semgrep-prefilter.js";

// The project's Semgrep rule pack (rules/): every rule flags its insecure fixtures, no rule flags
// any secure fixture, and every rule carries the metadata the runtime reads. Semgrep runs once over
// all fixtures and the detection corpus (it takes 1.5-2.5 s to start).

const root = path.resolve(import.meta.dirname, "..");
const rulesDir = path.join(root, "rules", "python");
const fixturesDir = path.join(root, "rules", "fixtures");
const venvBin = path.join(root, ".venv", "bin");
const ID_PREFIX = "codeenhancer.python.";

const ruleSchema = z.object({
  id: z.string().startsWith(ID_PREFIX),
  languages: z.array(z.literal("python")).min(1),
  severity: z.enum(["ERROR", "WARNING", "INFO"]),
  message: z.string().min(80),
  metadata: z.object({
    cwe: z.union([z.string().regex(/^CWE-\d+: \S/), z.array(z.string().regex(/^CWE-\d+: \S/)).min(1)]),
    confidence: z.enum(["LOW", "MEDIUM", "HIGH"]),
  }),
});
type Rule = z.infer<typeof ruleSchema>;

const resultSchema = z.object({
  results: z.array(z.object({ check_id: z.string(), path: z.string(), start: z.object({ line: z.number() }) })),
  errors: z.array(z.unknown()),
});

interface Fixture {
  rule: string;
  file: string;
  kind: "insecure" | "secure";
}

function listFixtures(): Fixture[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((dir) =>
      readdirSync(path.join(fixturesDir, dir.name))
        .filter((name) => /^(insecure|secure).*\.py$/.test(name))
        .map((name) => ({
          rule: ID_PREFIX + dir.name,
          file: path.join(fixturesDir, dir.name, name),
          kind: name.startsWith("insecure") ? ("insecure" as const) : ("secure" as const),
        })),
    );
}

/** The rule files as JSON, read by the PyYAML that ships with Semgrep in the project's venv. */
async function loadRules(): Promise<unknown[]> {
  const script =
    "import glob, json, sys, yaml\n" +
    "rules = []\n" +
    "for f in sorted(glob.glob(sys.argv[1] + '/*.yaml')):\n" +
    "    rules.extend(yaml.safe_load(open(f))['rules'])\n" +
    "print(json.dumps(rules))\n";
  const { stdout } = await execa(path.join(venvBin, "python"), ["-c", script, rulesDir], { cwd: root });
  return z.array(z.unknown()).parse(JSON.parse(stdout));
}

/** Rule ids Semgrep reported, by fixture path. Semgrep prefixes ids with the config's folders. */
async function scanFixtures(files: string[]): Promise<Map<string, string[]>> {
  const { stdout } = await execa(
    path.join(venvBin, "semgrep"),
    ["scan", "--config", rulesDir, "--metrics=off", "--disable-version-check", "--no-git-ignore", "--json", ...files],
    { cwd: root, timeout: 120_000, env: { SEMGREP_SEND_METRICS: "off" } },
  );
  const output = resultSchema.parse(JSON.parse(stdout));
  expect(output.errors).toEqual([]);
  const byFile = new Map<string, string[]>(files.map((file) => [file, []]));
  for (const result of output.results) {
    const id = result.check_id.slice(result.check_id.indexOf(ID_PREFIX));
    byFile.get(path.resolve(root, result.path))?.push(`${id}:${result.start.line}`);
  }
  return byFile;
}

const fixtures = listFixtures();
// The labelled programs of bench/detection: more files for the prefilter check below.
const corpusDir = path.join(root, "bench", "detection", "cases");
const corpus = readdirSync(corpusDir)
  .filter((name) => name.endsWith(".py"))
  .map((name) => path.join(corpusDir, name));
let rawRules: unknown[] = [];
let rules: Rule[] = [];
let found = new Map<string, string[]>();

beforeAll(async () => {
  rawRules = await loadRules();
  rules = rawRules.map((rule) => ruleSchema.parse(rule));
  found = await scanFixtures([...fixtures.map((fixture) => fixture.file), ...corpus]);
}, 180_000);

describe("the rule pack", () => {
  it("has a version", () => {
    expect(readFileSync(path.join(root, "rules", "VERSION"), "utf8").trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("gives every rule a unique id, and an insecure and a secure fixture", () => {
    const ids = rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      const kinds = new Set(fixtures.filter((fixture) => fixture.rule === id).map((fixture) => fixture.kind));
      expect([id, [...kinds].sort()]).toEqual([id, ["insecure", "secure"]]);
    }
    const orphans = [...new Set(fixtures.map((fixture) => fixture.rule))].filter((rule) => !ids.includes(rule));
    expect(orphans).toEqual([]);
  });

  // The test reads the pack with PyYAML (YAML 1.1, merge keys); the runtime with the npm `yaml`
  // package (YAML 1.2, no `<<:` merge). Both must see the same rules.
  it("is read by the runtime exactly as Semgrep's own YAML reader reads it", async () => {
    const pack = await loadRulePack(path.join(root, "rules"));
    expect(pack.rules).toEqual(rawRules);
  });

  it("covers the CWEs issue 9 asks for", () => {
    const cwes = new Set(rules.flatMap((rule) => [rule.metadata.cwe].flat().map((cwe) => Number(/^CWE-(\d+)/.exec(cwe)?.[1]))));
    const asked = [22, 78, 79, 89, 90, 643, 95, 113, 117, 295, 327, 328, 916, 338, 330, 347, 377, 434, 502, 601, 611, 614, 1004, 730, 1333, 732, 798, 918, 215, 489];
    expect(asked.filter((cwe) => !cwes.has(cwe))).toEqual([]);
  });
});

describe.each(fixtures)("$kind fixture $file", (fixture) => {
  it(fixture.kind === "insecure" ? "is flagged by its rule" : "is flagged by no rule", () => {
    const hits = found.get(fixture.file) ?? [];
    if (fixture.kind === "insecure") {
      expect(hits.map((hit) => hit.split(":")[0])).toContain(fixture.rule);
    } else {
      expect(hits).toEqual([]);
    }
  });
});

// A file no rule's prefilter lets through is not given to the engine (src/analyzers/semgrep.ts),
// so a prefilter must hold for every file its rule flags. semgrep-core's own are sound by
// construction; the pack's `prefilter-regex` ones are checked here, on every file Semgrep flags.
describe("the rules' prefilters", () => {
  let prefilters: ReturnType<typeof rulePrefilters>;
  let tempDir: string | undefined;
  afterAll(() => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    // semgrep-core as the runtime finds it.
    const core = (await probeAnalyzers(process.env.CODEENHANCER_PYTHON ?? path.join(root, ".venv", "bin", "python"), ["semgrep"])).semgrep?.core;
    if (!core) throw new Error("semgrep is not installed for the project's Python (npm run setup)");
    tempDir = mkdtempSync(path.join(os.tmpdir(), "prefilters-"));
    const rulesFile = path.join(tempDir, "rules.json");
    // As the runtime asks (src/analyzers/semgrep.ts): the pack and its taint rules' sinks.
    writeFileSync(rulesFile, JSON.stringify({ rules: [...rawRules, ...sinkRules(rawRules)] }));
    const printed = await prefilterJson(core, rulesFile, 60_000);
    const fromCore = printed === undefined ? undefined : parsePrefilters(printed);
    if (!fromCore) throw new Error(`semgrep-core gave no prefilters (${core})`);
    expect(sinkRules(rawRules).filter((rule) => !fromCore.has((rule as { id: string }).id))).toEqual([]);
    prefilters = rulePrefilters(fromCore, rawRules);
  }, 60_000);

  it("every rule has one (semgrep-core's, or its own prefilter-regex), and each holds for every file its rule flags", () => {
    expect(rules.filter((rule) => prefilters.get(rule.id) === undefined || prefilters.get(rule.id) === null).map((rule) => rule.id)).toEqual([]);

    let flagged = 0;
    for (const [file, hits] of found) {
      const mayMatch = rulesThatMayMatch(prefilters, [readFileSync(file, "utf8")]);
      for (const rule of new Set(hits.map((hit) => hit.split(":")[0] ?? ""))) {
        expect(mayMatch.has(rule), `${rule} flags ${path.relative(root, file)} but its prefilter does not let it through`).toBe(true);
        flagged += 1;
      }
    }
    expect(flagged).toBeGreaterThan(150);
  });

  it("let plain programs skip the engine", () => {
    // An MBPP-style solution uses nothing any rule looks for.
    const solution = "def max_sum(xs):\n    best = cur = 0\n    for x in xs:\n        cur = max(0, cur + x)\n        best = max(best, cur)\n    return best\n";
    expect([...rulesThatMayMatch(prefilters, [solution])]).toEqual([]);
    expect([...rulesThatMayMatch(prefilters, [`${solution}print(eval(input()))\n`])].length).toBeGreaterThan(0);
    // The corpus's plain programs (no weakness, flagged by no rule) mostly read files, parse or
    // log, which some rule looks at; 7 of the 78 skip the engine with rule pack 0.3.1.
    const manifest = z.object({ cases: z.array(z.object({ file: z.string(), group: z.string() })) }).parse(JSON.parse(readFileSync(path.join(corpusDir, "..", "manifest.json"), "utf8")));
    const plain = manifest.cases.filter((c) => c.group === "plain").map((c) => path.join(corpusDir, c.file));
    const skipped = plain.filter((file) => rulesThatMayMatch(prefilters, [readFileSync(file, "utf8")]).size === 0);
    expect(plain.length).toBeGreaterThan(40);
    expect(skipped.length).toBeGreaterThanOrEqual(7);
  });
});
