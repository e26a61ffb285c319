import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../errors.js";
import { fingerprintOf } from "./finding.js";
import { probeAnalyzers } from "./python.js";
import { createSemgrepAnalyzer, cweOf, loadRulePack, type SemgrepAnalyzer } from "./semgrep.js";

// The real semgrep-core from the project's Python (npm run setup), with small rules of our own.
const python = process.env.CODEENHANCER_PYTHON ?? path.resolve(".venv/bin/python");
const fixtures = fileURLToPath(new URL("../../test/fixtures/semgrep/", import.meta.url));
const rulesDir = path.join(fixtures, "rules");
const code = (name: string) => path.join(fixtures, "code", `${name}.py`);
const fakeCore = path.join(fixtures, "fake-semgrep-core.mjs");

const temp = mkdtempSync(path.join(os.tmpdir(), "codeenhancer-semgrep-test-"));
const analyzers: SemgrepAnalyzer[] = [];
afterAll(async () => {
  await Promise.all(analyzers.map((a) => a.close()));
  rmSync(temp, { recursive: true, force: true });
});
function open(options: Partial<Parameters<typeof createSemgrepAnalyzer>[0]> & { core: string }): SemgrepAnalyzer {
  const analyzer = createSemgrepAnalyzer({ version: "test", rulesDir, ...options });
  analyzers.push(analyzer);
  return analyzer;
}

describe("the rule pack", () => {
  it("reads every rule file under the folder, with its version and a content hash", async () => {
    const pack = await loadRulePack(rulesDir);
    expect(pack.version).toBe("9.9.9");
    expect(pack.rules).toHaveLength(3);
    expect(pack.hash).toMatch(/^[0-9a-f]{12}$/);
    expect((await loadRulePack(rulesDir)).hash).toBe(pack.hash);
  });

  it("keeps the parsed pack in the cache folder under its hash, and parses again when a rule file changes", async () => {
    const dir = path.join(temp, "pack-cache-rules");
    const cache = path.join(temp, "pack-cache");
    await fs.cp(rulesDir, dir, { recursive: true });
    const first = await loadRulePack(dir, cache);
    const entries = await fs.readdir(path.join(cache, "rule-packs"));
    expect(entries).toHaveLength(1);
    expect(entries[0]?.startsWith(first.hash)).toBe(true);

    // The cached entry is what the next run uses: its rules are returned without reading the YAML.
    const entry = path.join(cache, "rule-packs", entries[0] as string);
    const stored = JSON.parse(await fs.readFile(entry, "utf8")) as { sha256: string; rules: unknown[] };
    await fs.writeFile(entry, JSON.stringify({ ...stored, rules: stored.rules.slice(0, 1) }));
    expect((await loadRulePack(dir, cache)).rules).toHaveLength(1);

    // A cache entry that does not parse is ignored (and replaced).
    await fs.writeFile(entry, "{not json");
    expect((await loadRulePack(dir, cache)).rules).toEqual(first.rules);

    // A changed rule file is another pack: a new hash, parsed from the YAML.
    const [file] = (await fs.readdir(dir, { recursive: true })).filter((name) => name.endsWith(".yaml"));
    await fs.appendFile(path.join(dir, file as string), "\n# changed\n");
    const changed = await loadRulePack(dir, cache);
    expect(changed.hash).not.toBe(first.hash);
    expect(changed.rules).toEqual(first.rules);
    expect(await fs.readdir(path.join(cache, "rule-packs"))).toHaveLength(2);
  });

  it("takes the first CWE a rule names", () => {
    expect(cweOf("CWE-89: SQL Injection")).toBe(89);
    expect(cweOf(["CWE-330: weak", "CWE-338"])).toBe(330);
    expect(cweOf(undefined)).toBeNull();
  });
});

describe("semgrep-core, the real engine", () => {
  let core = "";
  beforeAll(async () => {
    const probe = await probeAnalyzers(python, ["semgrep"]);
    expect(probe.semgrep?.version).toMatch(/^\d+\.\d+\.\d+$/);
    core = probe.semgrep?.core ?? "";
  });

  it("turns results into findings: rule id, CWE and confidence from metadata, severity, place, fingerprint", async () => {
    const semgrep = open({ core });
    const results = await semgrep.analyze([code("sql"), code("safe")]);
    const sql = results.get(code("sql"));
    expect(sql?.error).toBeNull();
    const lines = readFileSync(code("sql"), "utf8").split("\n");
    expect(sql?.findings).toEqual([
      {
        tool: "semgrep",
        rule: "test.sql-fstring",
        severity: "high",
        confidence: "high",
        cwe: 89,
        line: 7,
        column: 5,
        message: "the query run on cursor is built with an f-string; pass the values as parameters",
        fingerprint: fingerprintOf("semgrep", "test.sql-fstring", lines[6] ?? ""),
      },
      expect.objectContaining({ rule: "test.weak-random", severity: "medium", confidence: null, cwe: 330, line: 8 }),
    ]);
    expect(results.get(code("safe"))).toMatchObject({ findings: [], error: null });
    expect(semgrep.rulePack?.version).toBe("9.9.9");
  });

  it("scans a batch with the rules its files may match once the prefilters are known (cached), with the same findings", async () => {
    const cacheDir = path.join(temp, "prefilter-cache");
    const semgrep = open({ core, cacheDir });
    const first = await semgrep.analyze([code("sql"), code("safe")]);
    // The prefilters come from a run of their own, then from the cache.
    const cached = path.join(cacheDir, "rule-packs", `${semgrep.rulePack?.hash ?? ""}-prefilters-v2-test.json`);
    for (let i = 0; i < 100 && !(await fs.stat(cached).catch(() => undefined)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(JSON.parse(await fs.readFile(cached, "utf8"))).toHaveLength(3);
    const again = await semgrep.analyze([code("sql"), code("safe")]);
    expect(again.get(code("sql"))?.findings).toEqual(first.get(code("sql"))?.findings);
    expect(again.get(code("safe"))).toMatchObject({ findings: [], error: null });
    // `safe` alone names none of the SQL rule's identifiers: its run parsed a part of the pack.
    const alone = await semgrep.analyze([code("safe")]);
    expect(alone.get(code("safe"))).toMatchObject({ findings: [], error: null });
    const { tempDir } = semgrep as unknown as { tempDir: string };
    expect((await fs.readdir(tempDir)).filter((name) => /^rules-\d+\.json$/.test(name)).length).toBeGreaterThan(0);
    // A second analyzer takes the prefilters from the cache: one edited so that the weak-random
    // rule needs an identifier no file has leaves that rule out of the run, the SQL rule in.
    const entries = JSON.parse(await fs.readFile(cached, "utf8")) as Array<{ rule_id: string; filter: unknown }>;
    const edited = entries.map((entry) => (entry.rule_id === "test.weak-random" ? { ...entry, filter: ["Some", ["Pred", ["Idents", ["zz_absent"]]]] } : entry));
    await fs.writeFile(cached, JSON.stringify(edited));
    const next = open({ core, cacheDir });
    await next.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rules = (await next.analyze([code("sql")])).get(code("sql"))?.findings.map((finding) => finding.rule);
    expect(rules).toEqual(["test.sql-fstring"]);
    // A file no rule's prefilter lets through gets no engine run at all.
    const plain = path.join(temp, "plain.py");
    writeFileSync(plain, "x = 1\n");
    const runs = next.stats.runs;
    expect((await next.analyze([plain])).get(plain)).toEqual({ findings: [], raw: { results: [], errors: [] }, error: null });
    expect([next.stats.runs - runs, next.stats.skipped]).toEqual([0, 1]);
  });

  it("scans the files of concurrent requests together, in few runs", async () => {
    const semgrep = open({ core });
    await semgrep.start();
    const before = semgrep.stats.runs;
    const files = Array.from({ length: 8 }, (_, i) => {
      const file = path.join(temp, `print_${i}.py`);
      writeFileSync(file, `print(${i})\n`);
      return file;
    });
    const answers = await Promise.all(files.map((file) => semgrep.analyze([file])));
    expect(answers.map((answer, i) => answer.get(files[i] as string)?.findings.map((f) => [f.rule, f.severity]))).toEqual(
      files.map(() => [["test.print-call", "low"]]),
    );
    expect(semgrep.stats.runs - before).toBe(1);
  });

  it("does not fail a file it cannot fully parse (Pylint reports that), nor the files beside it", async () => {
    const broken = path.join(temp, "broken.py");
    writeFileSync(broken, "def f(:\n  x = = 3\n}}}\nprint(1)\n");
    const results = await open({ core }).analyze([broken, code("safe")]);
    expect(results.get(broken)?.error).toBeNull();
    expect(results.get(code("safe"))?.error).toBeNull();
  });

  it("reports a file that is gone as that file's error", async () => {
    const missing = path.join(temp, "missing.py");
    const results = await open({ core }).analyze([missing, code("sql")]);
    expect(results.get(missing)?.error).toMatch(/cannot read the file|did not scan/);
    expect(results.get(code("sql"))?.findings).toHaveLength(2);
  });

  it("refuses a broken rule pack: check() before any file, and every analysis as a CliError that stops the run", async () => {
    const broken = open({ core, rulesDir: path.join(fixtures, "broken-rules") });
    await expect(broken.check()).rejects.toThrow(/rule pack .*broken-rules is invalid: Rule parse error/);
    const file = path.join(temp, "any.py");
    writeFileSync(file, "x = 1\n");
    const analysis = open({ core, rulesDir: path.join(fixtures, "broken-rules") });
    await expect(analysis.analyze([file])).rejects.toBeInstanceOf(CliError);
    await expect(analysis.analyze([file])).rejects.toThrow(/rule pack .*broken-rules is invalid: Rule parse error/);
    await expect(open({ core, rulesDir: path.join(temp, "none") }).start()).rejects.toThrow(/no Semgrep rule files/);
  });

  it("runs at most maxRuns engines at once, and a run started alone does not hold up the next batch", async () => {
    const semgrep = open({ core, maxRuns: 2 });
    await semgrep.start();
    const before = semgrep.stats.runs;
    const first = path.join(temp, "first.py");
    writeFileSync(first, "print(0)\n");
    const alone = semgrep.analyze([first]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const later = Array.from({ length: 5 }, (_, i) => {
      const file = path.join(temp, `later_${i}.py`);
      writeFileSync(file, `print(${i})\n`);
      return file;
    });
    const answers = await Promise.all([alone, ...later.map((file) => semgrep.analyze([file]))]);
    expect(answers.every((answer) => [...answer.values()][0]?.findings.length === 1)).toBe(true);
    expect(semgrep.stats.runs - before).toBe(2);
    expect(semgrep.stats.peakRuns).toBe(2);
  });
});

describe("a run that hangs or crashes", () => {
  it("fails only the file that caused it: the batch is retried one file at a time", async () => {
    const ok = path.join(temp, "fine.py");
    const hang = path.join(temp, "hang.py");
    const crash = path.join(temp, "crash.py");
    for (const file of [ok, hang, crash]) writeFileSync(file, "x = 1\n");
    const semgrep = open({ core: fakeCore, timeoutMs: 1500 });
    const results = await semgrep.analyze([ok, hang, crash]);
    expect(results.get(ok)).toMatchObject({ findings: [], error: null });
    expect(results.get(hang)?.error).toBe("semgrep timed out after 1.5s");
    expect(results.get(crash)?.error).toMatch(/semgrep gave no report \(exit status 2\): Fatal error: out of memory/);
  });
});
