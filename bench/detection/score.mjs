// Scoring for the bench's `detection` section: which corpus files an analyzer configuration flags,
// as recall on insecure files and false-finding rate on secure files, per split and per CWE group.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DETECTION_DIR = path.dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = path.join(DETECTION_DIR, "cases");
export const SPLITS = ["dev", "holdout", "all"];

export function loadManifest() {
  return JSON.parse(fs.readFileSync(path.join(DETECTION_DIR, "manifest.json"), "utf8"));
}

const inSplit = (c, split) => split === "all" || c.split === split;
const pct = (n, d) => (d === 0 ? "-" : `${Math.round((100 * n) / d)}%`);

/**
 * Scores one configuration. flagged: Set of case file names with at least one counted finding.
 * Returns, per split, insecure and secure counts (secure also split into pair halves and plain
 * programs), and per CWE group the same for each split.
 */
export function score(manifest, flagged) {
  const tally = (cases) => {
    const insecure = cases.filter((c) => c.label === "insecure");
    const secure = cases.filter((c) => c.label === "secure");
    const plain = secure.filter((c) => c.group === "plain");
    const hits = (list) => list.filter((c) => flagged.has(c.file)).length;
    return {
      insecure: insecure.length,
      insecureFlagged: hits(insecure),
      secure: secure.length,
      secureFlagged: hits(secure),
      plain: plain.length,
      plainFlagged: hits(plain),
      recall: insecure.length ? hits(insecure) / insecure.length : null,
      falseFindingRate: secure.length ? hits(secure) / secure.length : null,
    };
  };
  const splits = Object.fromEntries(SPLITS.map((split) => [split, tally(manifest.cases.filter((c) => inSplit(c, split)))]));
  const groups = {};
  for (const group of [...new Set(manifest.cases.map((c) => c.group))].sort()) {
    const members = manifest.cases.filter((c) => c.group === group);
    groups[group] = { cwe: members[0].cwe, ...Object.fromEntries(SPLITS.map((split) => [split, tally(members.filter((c) => inSplit(c, split)))])) };
  }
  return { splits, groups, missed: manifest.cases.filter((c) => c.label === "insecure" && !flagged.has(c.file)).map((c) => c.file), falseFindings: manifest.cases.filter((c) => c.label === "secure" && flagged.has(c.file)).map((c) => c.file) };
}

/** "12/24 (50%)" */
export const ratio = (n, d) => `${n}/${d} (${pct(n, d)})`;

/** The summary table: one row per configuration, recall and false findings for dev, holdout, all. */
export function summaryTable(scored) {
  const lines = [
    "| analyzers | dev recall | dev false findings | holdout recall | holdout false findings | all: recall | all: false findings (of them plain programs) | plain programs flagged (all splits) |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const { name, result } of scored) {
    const { dev, holdout, all } = result.splits;
    lines.push(
      `| ${name} | ${ratio(dev.insecureFlagged, dev.insecure)} | ${ratio(dev.secureFlagged, dev.secure)} | ${ratio(holdout.insecureFlagged, holdout.insecure)} | ` +
        `${ratio(holdout.secureFlagged, holdout.secure)} | ${ratio(all.insecureFlagged, all.insecure)} | ${ratio(all.secureFlagged, all.secure)} (${all.plainFlagged}/${all.plain}) | ${ratio(all.plainFlagged, all.plain)} |`,
    );
  }
  return lines.join("\n");
}

/** Per CWE group: insecure flagged / secure flagged for each configuration, dev and holdout. */
export function byCweTable(scored) {
  const header = ["CWE", ...scored.map((s) => s.name)];
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
  ];
  const cell = (t) => `${t.insecureFlagged}/${t.insecure} · ${t.secureFlagged}/${t.secure}`;
  const groups = Object.keys(scored[0]?.result.groups ?? {});
  for (const group of groups) {
    const g = scored[0].result.groups[group];
    const label = group === "plain" ? "plain programs" : g.cwe.join("/");
    lines.push(`| ${label} | ${scored.map((s) => `dev ${cell(s.result.groups[group].dev)}; holdout ${cell(s.result.groups[group].holdout)}`).join(" | ")} |`);
  }
  return lines.join("\n");
}

/**
 * Bandit per test id: insecure files it flags, and how many of them no other Bandit test flags;
 * the same for secure files. issuesByFile: Map file -> Bandit result objects (the tool's own shape).
 */
export function banditPerTest(manifest, issuesByFile) {
  const labelOf = new Map(manifest.cases.map((c) => [c.file, c.label]));
  const tests = new Map();
  for (const [file, issues] of issuesByFile) {
    const ids = new Set(issues.map((i) => i.test_id));
    for (const issue of issues) {
      const t = tests.get(issue.test_id) ?? { id: issue.test_id, name: issue.test_name, levels: new Set(), insecure: new Set(), insecureOnly: new Set(), secure: new Set(), secureOnly: new Set() };
      t.levels.add(`${issue.issue_severity[0]}/${issue.issue_confidence[0]}`);
      const label = labelOf.get(file);
      if (label) {
        t[label].add(file);
        if (ids.size === 1) t[`${label}Only`].add(file);
      }
      tests.set(issue.test_id, t);
    }
  }
  return [...tests.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((t) => ({
      test: t.id,
      name: t.name,
      levels: [...t.levels].sort(),
      insecureFlagged: t.insecure.size,
      insecureOnlyThisTest: t.insecureOnly.size,
      secureFlagged: t.secure.size,
      secureOnlyThisTest: t.secureOnly.size,
      secureFiles: [...t.secure].sort(),
    }));
}

export function banditTable(manifest, perTest) {
  const insecure = manifest.cases.filter((c) => c.label === "insecure").length;
  const secure = manifest.cases.length - insecure;
  const lines = [
    `| test | name | severity/confidence | insecure files flagged (of ${insecure}) | only this test | secure files flagged (of ${secure}) | only this test |`,
    "|---|---|---|---|---|---|---|",
  ];
  for (const t of perTest) {
    lines.push(`| ${t.test} | ${t.name} | ${t.levels.join(", ")} | ${t.insecureFlagged} | ${t.insecureOnlyThisTest} | ${t.secureFlagged} | ${t.secureOnlyThisTest} |`);
  }
  return lines.join("\n");
}

const LEVEL = { LOW: 0, MEDIUM: 1, HIGH: 2 };

/**
 * Candidate Bandit configurations, scored from one run that kept every finding: what each would
 * flag on its own and together with another analyzer's flagged files (e.g. Semgrep's).
 */
export const BANDIT_VARIANTS = [
  { name: "every test, every severity (0.1.0, seed)", keep: () => true },
  { name: "severity >= medium", keep: (i) => LEVEL[i.issue_severity] >= 1 },
  { name: "severity >= medium, skip B310, B413", keep: (i) => LEVEL[i.issue_severity] >= 1 && !["B310", "B413"].includes(i.test_id) },
  {
    // The default profile's skips (src/analyzers/registry.ts, DEFAULT_BANDIT_SKIP), chosen from this corpus.
    name: "skip B101, B105, B106, B107, B110, B112, B310, B311, B404, B406, B413, B603, B607",
    keep: (i) => !["B101", "B105", "B106", "B107", "B110", "B112", "B310", "B311", "B404", "B406", "B413", "B603", "B607"].includes(i.test_id),
  },
  { name: "severity high", keep: (i) => LEVEL[i.issue_severity] >= 2 },
];

export function banditVariants(manifest, issuesByFile, others = []) {
  const out = [];
  for (const variant of BANDIT_VARIANTS) {
    const flagged = new Set([...issuesByFile].filter(([, issues]) => issues.some(variant.keep)).map(([file]) => file));
    out.push({ name: `bandit: ${variant.name}`, result: score(manifest, flagged) });
    for (const other of others) {
      out.push({ name: `bandit: ${variant.name} + ${other.name}`, result: score(manifest, new Set([...flagged, ...other.flagged])) });
    }
  }
  return out;
}
