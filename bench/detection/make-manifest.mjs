// Writes bench/detection/manifest.json from the files in bench/detection/cases/.
// Usage: node bench/detection/make-manifest.mjs   (run it again after adding a case)
//
// File names carry the labels: cwe<NNN>_<pair>_insecure.py / cwe<NNN>_<pair>_secure.py, and
// plain_<NN>.py for ordinary secure programs. The holdout split is mechanical and does not look at
// the code or at any analyzer: within each CWE group, the pair whose id has the smallest SHA-256
// goes to holdout (one pair of three); of the plain programs, the third with the smallest SHA-256
// of their id does.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The CWE ids each group of cases is about (the group is the number in the file name). */
export const GROUPS = {
  "022": [22],
  "078": [78],
  "079": [79],
  "089": [89],
  "090": [90],
  "643": [643],
  "094": [94, 95],
  "113": [113],
  "117": [117],
  "295": [295],
  "327": [327, 328, 916],
  "330": [330, 338],
  "347": [347],
  "377": [377],
  "434": [434],
  "502": [502],
  "601": [601],
  "611": [611],
  "614": [614, 1004],
  "730": [730, 1333],
  "732": [732],
  "798": [798],
  "918": [918],
  "215": [215, 489],
  "208": [208],
  "209": [209],
  "250": [250, 269],
  "319": [319],
  "321": [321],
  "326": [326],
  "329": [329, 1204],
  "352": [352],
  "367": [367],
  "522": [522, 256],
  "759": [759, 760],
  "943": [943],
};

export const sha256 = (text) => crypto.createHash("sha256").update(text).digest("hex");

/** The holdout pairs (or plain ids): per group, the first third by SHA-256 of the id, at least one. */
export function holdoutOf(ids) {
  const sorted = [...ids].sort((a, b) => sha256(a).localeCompare(sha256(b)));
  return new Set(sorted.slice(0, Math.max(1, Math.round(ids.length / 3))));
}

export function buildManifest(names) {
  const cases = [];
  const pairsByGroup = new Map();
  const plain = [];
  for (const file of [...names].sort()) {
    let m = /^cwe(\d{3})_([a-z])_(insecure|secure)\.py$/.exec(file);
    if (m) {
      const [, group, letter, label] = m;
      if (!GROUPS[group]) throw new Error(`${file}: unknown CWE group ${group}`);
      const pair = `cwe${group}_${letter}`;
      cases.push({ file, group: `cwe${group}`, cwe: GROUPS[group], label, pair });
      if (!pairsByGroup.has(group)) pairsByGroup.set(group, new Set());
      pairsByGroup.get(group).add(pair);
      continue;
    }
    m = /^(plain_\d+)\.py$/.exec(file);
    if (m) {
      cases.push({ file, group: "plain", cwe: [], label: "secure", pair: null });
      plain.push(m[1]);
      continue;
    }
    throw new Error(`${file}: name is neither cwe<NNN>_<x>_(insecure|secure).py nor plain_<NN>.py`);
  }
  const holdout = new Set([...pairsByGroup.values()].flatMap((pairs) => [...holdoutOf([...pairs])]));
  const plainHoldout = holdoutOf(plain);
  for (const c of cases) {
    c.split = (c.pair ? holdout.has(c.pair) : plainHoldout.has(c.file.slice(0, -3))) ? "holdout" : "dev";
  }
  return {
    description:
      "Labelled detection corpus (bench/detection/README.md). label: insecure (has the group's weakness) or secure " +
      "(does the same job without it; plain programs have no weakness at all). split: holdout pairs are kept out of rule development.",
    holdoutRule:
      "per CWE group, the pair whose id has the smallest SHA-256 (hex) is holdout; of the plain programs, the third whose ids have the smallest SHA-256",
    cases,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = fs.readdirSync(path.join(HERE, "cases")).filter((f) => f.endsWith(".py"));
  const manifest = buildManifest(names);
  fs.writeFileSync(path.join(HERE, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const count = (pred) => manifest.cases.filter(pred).length;
  console.log(
    `manifest.json: ${manifest.cases.length} cases, ${count((c) => c.label === "insecure")} insecure, ` +
      `${count((c) => c.label === "secure")} secure, ${count((c) => c.split === "holdout")} holdout`,
  );
}
