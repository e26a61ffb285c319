import path from "node:path";
import { pathToFileURL } from "node:url";
import fs from "fs-extra";
import type { Browser } from "puppeteer-core";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateResultsSchema } from "../../src/schemas.js";
import { manifestSchema } from "../../src/store/manifest.js";
import { launchChromium } from "../helpers/chromium.js";
import { makeTempDir, PROJECT_PYTHON, ROOT, runCli } from "../helpers/run-cli.js";
import { sarifValidator } from "../helpers/sarif-schema.js";

// Two real `validate --analyze-only` runs (real Pylint and Bandit, no model) over the analyzer
// fixtures; the report of each, and of the second against the first; the page in headless Chromium.

const FIXTURES = path.join(ROOT, "test", "fixtures", "analyzers");
let dir: string;
let browser: Browser;

async function analyzedRun(name: string, files: string[], extra: string[] = []): Promise<string> {
  const out = path.join(dir, name);
  for (const file of files) await fs.copy(path.join(FIXTURES, file), path.join(out, "code", file));
  const result = await runCli(["validate", "--analyze-only", "--out", name, "--python", PROJECT_PYTHON, ...extra], { cwd: dir });
  expect(result.exitCode, result.stderr).toBe(0);
  return out;
}

beforeAll(async () => {
  dir = await makeTempDir();
  await analyzedRun("run1", ["clean.py", "shell_injection.py", "syntax_error.py", "undefined_name.py", "weak_hash.py"]);
  await fs.copy(path.join(FIXTURES, "clean.py"), path.join(dir, "run2", "code", "extra_clean.py"));
  await analyzedRun("run2", ["clean.py", "weak_hash.py", "syntax_error.py"], ["--no-report"]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, "utf8")) as T;
}

describe("codeenhancer report", () => {
  it("validate writes the report and the manifest at the end of the run; --no-report skips the report", async () => {
    const report = path.join(dir, "run1", "report");
    expect((await fs.readdir(report)).sort()).toEqual(["final.sarif", "index.html", "initial.sarif", "report.md"]);
    expect(await fs.pathExists(path.join(dir, "run2", "report"))).toBe(false);
    const manifest = manifestSchema.parse(await readJson(path.join(dir, "run1", "manifest.json")));
    expect(manifest.validate?.analyzers.map((a) => a.name)).toEqual(["pylint", "bandit", "semgrep"]);
    expect(manifest.validate?.analyzers.every((a) => a.version !== null)).toBe(true);
    expect(manifest.validate?.rule_packs.map((p) => p.name)).toEqual(["semgrep"]);
    expect(manifest.validate?.counts).toMatchObject({ total: 5, passed: 2, unresolved: 3 });
    expect(manifest.validate?.python?.version).toMatch(/^3\.\d+/);
    expect(manifest.validate?.model).toBeNull();
  });

  it("SARIF holds exactly the findings results.json counts, valid against the OASIS schema", async () => {
    const rows = validateResultsSchema.parse(await readJson(path.join(dir, "run1", "validation", "results.json")));
    const validator = sarifValidator();
    for (const [name, count] of [
      ["final.sarif", rows.reduce((sum, row) => sum + row.final_findings, 0)],
      ["initial.sarif", rows.reduce((sum, row) => sum + row.initial_findings, 0)],
    ] as const) {
      const log = await readJson<Log>(path.join(dir, "run1", "report", name));
      expect(validator.validate(log), validator.errors()).toBe(true);
      const results = log.runs.flatMap((run) => run.results ?? []);
      expect(results).toHaveLength(count);
      for (const result of results) {
        const location = result.locations?.[0]?.physicalLocation;
        expect(result.ruleId).toBeTruthy();
        expect(location?.region?.startLine).toBeGreaterThanOrEqual(1);
        expect(Object.keys(result.partialFingerprints ?? {})).not.toHaveLength(0);
        // Every location names a file that is there, relative to the run folder.
        expect(await fs.pathExists(path.join(dir, "run1", decodeURIComponent(location?.artifactLocation?.uri ?? "missing")))).toBe(true);
      }
    }
    expect(count(rows, "passed")).toBe(2);
  });

  it("report --baseline compares the ids both runs validated, in all three outputs", async () => {
    const result = await runCli(["report", "--out", "run2", "--baseline", "run1"], { cwd: dir });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("compared with run1 over 3 common ids");
    const markdown = await fs.readFile(path.join(dir, "run2", "report", "report.md"), "utf8");
    expect(markdown).toContain("| | run1 | run2 | difference |");
    expect(markdown).toContain("Compared over the 3 ids validated in both runs (2 only in run1, 1 only in run2).");
    expect(markdown).toMatch(/\| passed \| 1 \| 1 \| 0 \|/);
    const sarif = await readJson<Log>(path.join(dir, "run2", "report", "initial.sarif"));
    const states = sarif.runs.flatMap((run) => run.results ?? []).map((r) => r.baselineState);
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((state) => state === "unchanged")).toBe(true);
  });

  it("a folder without validate's results is a one-line usage error", async () => {
    await fs.ensureDir(path.join(dir, "empty"));
    const result = await runCli(["report", "--out", "empty"], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe("codeenhancer: empty has no validation/results.json: run `codeenhancer validate --out empty` first");
    const missing = await runCli(["report", "--out", "run1", "--baseline", "nowhere"], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("--baseline folder not found: nowhere");
  });

  it("the page renders from file:// in headless Chromium, fetches nothing, and opens a file side by side", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    const url = pathToFileURL(path.join(dir, "run1", "report", "index.html")).href;
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector("body[data-ready]");

    expect(await page.$eval('[data-metric="passed"]', (el) => el.textContent)).toBe("2");
    expect(await page.$eval('[data-metric="files"]', (el) => el.textContent)).toBe("5");
    const ids = await page.$$eval("#files-body tr", (rows) => rows.map((row) => row.getAttribute("data-id")));
    expect(ids).toEqual(["clean", "shell_injection", "syntax_error", "undefined_name", "weak_hash"]);
    expect(await page.$$eval("figure.chart svg rect", (rects) => rects.length)).toBeGreaterThan(5);
    expect(await page.$$eval("figure.chart figcaption", (caps) => caps.map((c) => c.textContent))).toEqual(
      expect.arrayContaining(["Funnel", "Findings by rule", "Findings by CWE", "Findings by severity", "Files by attempts"]),
    );
    // No per-file DOM until a file is opened.
    expect(await page.$$eval("#detail *", (nodes) => nodes.length)).toBe(0);

    await page.click('#files-body tr[data-id="weak_hash"]');
    await page.waitForSelector("#detail table.sbs");
    expect(await page.$eval("#detail-title", (el) => el.textContent)).toBe("weak_hash — unresolved");
    const marked = await page.$$eval("#detail td.hit", (cells) => cells.map((cell) => cell.querySelector(".mark")?.textContent));
    expect(marked).toEqual(["B324", "B324"]); // the same line, in the first and the final version
    expect(await page.$$eval("#detail table.sbs tbody tr", (rows) => rows.length)).toBeGreaterThan(3);

    // Sorting and filtering work on the table.
    await page.click('#files th[data-sort="first"]');
    await page.click('#files th[data-sort="first"]');
    const firstCounts = await page.$$eval("#files-body tr td:nth-child(3)", (cells) => cells.map((cell) => Number(cell.textContent)));
    expect(firstCounts).toEqual([...firstCounts].sort((a, b) => b - a));
    expect(firstCounts[0]).toBeGreaterThan(firstCounts[firstCounts.length - 1] ?? 0);
    await page.select("#status-filter", "passed");
    expect(await page.$$eval("#files-body tr", (rows) => rows.map((row) => row.getAttribute("data-id")))).toEqual(["clean", "undefined_name"]);

    expect(errors).toEqual([]);
    expect(requests.filter((request) => !request.startsWith("file://"))).toEqual([]);
    await page.close();
  });

  it("the comparison page shows both runs", async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(dir, "run2", "report", "index.html")).href);
    await page.waitForSelector("body[data-ready]");
    expect(await page.$eval('[data-metric="common-ids"]', (el) => el.textContent)).toBe("3");
    const header = await page.$$eval("#comparison-table thead th", (cells) => cells.map((cell) => cell.textContent));
    expect(header).toEqual(["", "run1", "run2", "difference"]);
    await page.close();
  });
});

function count(rows: Array<{ status: string }>, status: string): number {
  return rows.filter((row) => row.status === status).length;
}
