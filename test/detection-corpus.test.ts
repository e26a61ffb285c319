import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/run-cli.js";

// The labelled corpus of `npm run bench -- --only detection` (bench/detection/README.md).
const DIR = path.join(ROOT, "bench", "detection");

interface Case {
  file: string;
  group: string;
  cwe: number[];
  label: "insecure" | "secure";
  pair: string | null;
  split: "dev" | "holdout";
}

const manifest = JSON.parse(fs.readFileSync(path.join(DIR, "manifest.json"), "utf8")) as { cases: Case[] };
const cases = manifest.cases;

// Issue 9's list of CWEs the oracle must cover: each group needs its own insecure/secure pairs.
const REQUIRED_GROUPS = [[22], [78], [79], [89], [90], [643], [94, 95], [113], [117], [295], [327, 328, 916], [330, 338], [347], [377], [434], [502], [601], [611], [614, 1004], [730, 1333], [732], [798], [918], [215, 489]];

const sha256 = (text: string) => crypto.createHash("sha256").update(text).digest("hex");

describe("detection corpus manifest", () => {
  it("labels every file in cases/ exactly once, and every entry names a file that exists", () => {
    const onDisk = fs.readdirSync(path.join(DIR, "cases")).filter((f) => f.endsWith(".py")).sort();
    const listed = cases.map((c) => c.file).sort();
    expect(listed).toEqual([...new Set(listed)]);
    expect(listed).toEqual(onDisk);
    for (const c of cases) {
      expect(["insecure", "secure"], c.file).toContain(c.label);
      expect(["dev", "holdout"], c.file).toContain(c.split);
      expect(Array.isArray(c.cwe), c.file).toBe(true);
      if (c.group === "plain") expect([c.label, c.pair, c.cwe.length], c.file).toEqual(["secure", null, 0]);
      else expect(c.cwe.length, c.file).toBeGreaterThan(0);
    }
  });

  it("has at least two insecure and two secure programs for each CWE group of the issue", () => {
    for (const group of REQUIRED_GROUPS) {
      const of = (label: string) => cases.filter((c) => c.label === label && c.cwe.join() === group.join());
      expect(of("insecure").length, `CWE ${group.join("/")}`).toBeGreaterThanOrEqual(2);
      expect(of("secure").length, `CWE ${group.join("/")}`).toBeGreaterThanOrEqual(2);
    }
    expect(cases.filter((c) => c.group === "plain").length).toBeGreaterThanOrEqual(20);
  });

  it("pairs every insecure program with one secure program of the same group and split", () => {
    const byPair = new Map<string, Case[]>();
    for (const c of cases) if (c.pair) byPair.set(c.pair, [...(byPair.get(c.pair) ?? []), c]);
    for (const [pair, members] of byPair) {
      expect(members.map((m) => m.label).sort(), pair).toEqual(["insecure", "secure"]);
      expect(new Set(members.map((m) => `${m.group} ${m.split} ${m.cwe.join()}`)).size, pair).toBe(1);
    }
    expect(cases.filter((c) => c.label === "insecure" && !c.pair)).toEqual([]);
  });

  it("keeps about a third out as holdout, chosen by the documented SHA-256 rule", () => {
    const share = cases.filter((c) => c.split === "holdout").length / cases.length;
    expect(share).toBeGreaterThan(0.28);
    expect(share).toBeLessThan(0.38);
    // Per CWE group: the pair with the smallest SHA-256 of its id (a third of three pairs).
    const groups = new Set(cases.filter((c) => c.pair).map((c) => c.group));
    for (const group of groups) {
      const pairs = [...new Set(cases.filter((c) => c.group === group).map((c) => c.pair as string))];
      const expected = [...pairs].sort((a, b) => sha256(a).localeCompare(sha256(b))).slice(0, Math.max(1, Math.round(pairs.length / 3)));
      const actual = [...new Set(cases.filter((c) => c.group === group && c.split === "holdout").map((c) => c.pair))];
      expect(actual.sort(), group).toEqual(expected.sort());
    }
    const plain = cases.filter((c) => c.group === "plain").map((c) => c.file.slice(0, -3));
    const plainHoldout = [...plain].sort((a, b) => sha256(a).localeCompare(sha256(b))).slice(0, Math.round(plain.length / 3));
    expect(cases.filter((c) => c.group === "plain" && c.split === "holdout").map((c) => c.file.slice(0, -3)).sort()).toEqual(plainHoldout.sort());
  });

  it("gives every program codeenhancer's three-section module docstring", () => {
    for (const c of cases) {
      const text = fs.readFileSync(path.join(DIR, "cases", c.file), "utf8");
      expect(text.startsWith('"""'), c.file).toBe(true);
      const docstring = text.slice(3, text.indexOf('"""', 3));
      for (const heading of ["Input Prompt:", "Intention:", "Functionality:"]) expect(docstring, c.file).toContain(heading);
    }
  });
});
