// Section 5 of npm run bench: `codeenhancer report` over a 10,000-file run folder, and the page it
// writes opened in headless Chromium. The run folder is written here directly, in the layout and
// schemas generate and validate write (src/schemas.ts): a real 10k validate takes far longer and
// would measure validate, not the report.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

// A small deterministic PRNG, so every bench run reports on the same folder.
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// Generated code differs from file to file in names, comments and literals: pseudo-words drawn from a
// large vocabulary keep gzip from compressing the synthetic files much better than real ones (real
// Python code gzips about 4 to 1; these files do too, which the bench prints).
function vocabulary(random, size) {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return Array.from({ length: size }, () => Array.from({ length: 3 + Math.floor(random() * 7) }, () => letters[Math.floor(random() * 26)]).join(""));
}

const VERBS = ["parse", "load", "compute", "merge", "filter", "render", "digest", "collect", "resolve", "score"];
const NOUNS = ["records", "tokens", "orders", "events", "matrix", "config", "payload", "users", "files", "rows"];

/** A generated-looking script of 40 to 90 lines, unique to `i`, and its final (fixed) version. */
function scripts(i, random, words) {
  const word = () => words[Math.floor(random() * words.length)];
  const sentence = (n) => Array.from({ length: n }, word).join(" ");
  const verb = VERBS[i % VERBS.length];
  const noun = NOUNS[Math.floor(random() * NOUNS.length)];
  const name = `${verb}_${noun}_${i}`;
  const weak = i % 3 === 0;
  const lines = [
    '"""',
    `Input Prompt: Write a function ${name} that processes ${noun} and returns a summary.`,
    `Intention: ${verb} the ${noun} given by the caller and report what was found, item ${i}.`,
    `Functionality: walks the ${noun}, keeps a running total and returns a dictionary of results.`,
    '"""',
    "",
    weak ? "import hashlib" : "import json",
    "from collections import Counter",
    "",
    "",
  ];
  const body = [];
  const helpers = 2 + Math.floor(random() * 5);
  for (let h = 0; h < helpers; h += 1) {
    const limit = Math.floor(random() * 1000);
    const local = `${word()}_${word()}`;
    body.push(
      `def _helper_${h}_${i}(value, limit=${limit}):`,
      `    """${sentence(6 + Math.floor(random() * 8))}."""`,
      `    if value is None:`,
      `        return 0`,
      `    # ${sentence(5 + Math.floor(random() * 10))}`,
      `    ${local} = value * ${(random() * 10).toFixed(3)} + len("${sentence(2)}")`,
      `    return min(${local}, limit)`,
      "",
      "",
    );
  }
  const first = [
    ...body,
    `def ${name}(items):`,
    `    counts = Counter()`,
    `    total = 0`,
    `    for item in items:`,
    `        counts[type(item).__name__] += 1`,
    `        total += _helper_0_${i}(item if isinstance(item, (int, float)) else 0)`,
    weak ? `    tag = hashlib.md5(repr(items).encode()).hexdigest()` : `    tag = json.dumps(sorted(counts))`,
    `    return {"total": total, "counts": dict(counts), "tag": tag}`,
    "",
  ];
  const final = weak ? first.map((line) => line.replace("hashlib.md5(", "hashlib.sha256(")) : first;
  return { first: [...lines, ...first].join("\n"), final: [...lines, ...final].join("\n"), weak, md5Line: lines.length + first.findIndex((l) => l.includes("hashlib.md5")) + 1 };
}

const B324 = (line) => ({
  code: `${line} tag = hashlib.md5(...)`,
  col_offset: 10,
  end_col_offset: 50,
  filename: "x.py",
  issue_confidence: "HIGH",
  issue_cwe: { id: 327, link: "https://cwe.mitre.org/data/definitions/327.html" },
  issue_severity: "HIGH",
  issue_text: "Use of weak MD5 hash for security. Consider usedforsecurity=False",
  line_number: line,
  line_range: [line],
  more_info: "https://bandit.readthedocs.io/en/1.9.4/plugins/b324_hashlib.html",
  test_id: "B324",
  test_name: "hashlib",
});

function revision(attempt, bandit, status, prompt) {
  return {
    attempt,
    pylint_issues: [],
    bandit_issues: bandit,
    bandit_errors: [],
    analyzer_error: null,
    sast_prompt: bandit.length > 0 ? prompt : null,
    sast_response: bandit.length > 0 ? "<Code>...</Code>" : null,
    functional_prompt: bandit.length > 0 ? null : prompt,
    functional_response: bandit.length > 0 ? null : "Correct",
    status,
    note: null,
  };
}

/** Writes an n-file run folder (code/, validation/, results.json files, manifest.json) under dir. */
export function writeSyntheticRun(dir, n) {
  const random = prng(42);
  const words = vocabulary(random, 5000);
  const codeDir = path.join(dir, "code");
  const val = path.join(dir, "validation");
  for (const sub of [codeDir, path.join(val, "Final_code"), path.join(val, "attempt_1"), path.join(val, "attempt_2")]) fs.mkdirSync(sub, { recursive: true });
  const generateRows = [];
  const rows = [];
  for (let i = 0; i < n; i += 1) {
    const id = `item_${String(i).padStart(5, "0")}`;
    const { first, final, weak, md5Line } = scripts(i, random, words);
    fs.writeFileSync(path.join(codeDir, `${id}.py`), first);
    fs.writeFileSync(path.join(val, "attempt_1", `${id}_attempt_1.py`), first);
    fs.writeFileSync(path.join(val, "Final_code", `${id}.py`), final);
    const prompt = `Check this code.\n\n${first}`;
    const revisions = weak ? [revision(1, [B324(md5Line)], "SAST-Fixed", prompt), revision(2, [], "Correct", prompt)] : [revision(1, [], "Correct", prompt)];
    if (weak) fs.writeFileSync(path.join(val, "attempt_2", `${id}_attempt_2.py`), final);
    fs.writeFileSync(path.join(val, `${id}_validation_results.json`), JSON.stringify({ filename: `${id}.py`, status: "passed", revisions, mode: "validate", model: "gpt-4o", error: null }, null, 2));
    const usage = { prompt_tokens: 600 + (i % 200), completion_tokens: 20 + (weak ? 400 : 0), total_tokens: 620 + (i % 200) + (weak ? 400 : 0) };
    generateRows.push({ prompt_id: id, status: "success", attempts: 1, model: "gpt-4o", usage: { prompt_tokens: 120, completion_tokens: 450, total_tokens: 570 } });
    rows.push({
      id,
      status: "passed",
      attempts: revisions.length,
      initial_findings: weak ? 1 : 0,
      final_findings: 0,
      initial_by_rule: weak ? { B324: 1 } : {},
      final_by_rule: {},
      verdict: "Correct",
      mode: "validate",
      model: "gpt-4o",
      usage,
    });
  }
  fs.writeFileSync(path.join(dir, "results.json"), JSON.stringify(generateRows, null, 2));
  // How well the code compresses, against about 4 to 1 for real Python.
  const sample = Array.from({ length: Math.min(n, 100) }, (_, i) => fs.readFileSync(path.join(codeDir, `item_${String(i).padStart(5, "0")}.py`))).join("");
  fs.writeFileSync(path.join(val, "results.json"), JSON.stringify(rows, null, 2));
  return { gzipRatio: sample.length / gzipSync(sample, { level: 9 }).length };
}

/** Opens the page in headless Chromium: ms until its script has drawn the table, and to open one file. */
export async function measurePage(htmlFile, chromiumPath, profileDir) {
  const { default: puppeteer } = await import("puppeteer-core");
  const browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: "shell",
    userDataDir: profileDir,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    // A first load warms Chromium itself; the second is what a person opening the report waits for.
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: "load" });
    await page.waitForSelector("body[data-ready]");
    const started = performance.now();
    await page.reload({ waitUntil: "load" });
    await page.waitForSelector("body[data-ready]");
    const openMs = performance.now() - started;
    const rows = await page.$$eval("#files-body tr", (trs) => trs.length);
    const nodes = await page.$$eval("*", (all) => all.length);
    const clicked = performance.now();
    await page.click("#files-body tr:nth-child(4)");
    await page.waitForSelector("#detail table.sbs");
    const fileMs = performance.now() - clicked;
    const heapMb = (await page.metrics()).JSHeapUsedSize / 2 ** 20;
    return { openMs, fileMs, rows, nodes, heapMb };
  } finally {
    await browser.close();
  }
}
