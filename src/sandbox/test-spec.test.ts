import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DatasetError, parseDataset } from "../core/dataset.js";
import { generateAll } from "../core/generate.js";
import type { Llm } from "../llm/client.js";
import { emptyUsage } from "../schemas.js";
import { CliError } from "../errors.js";
import { readTestSidecar, syncTestSidecar } from "./sidecar.js";
import { countTests, parseTestSpec } from "./test-spec.js";

const check = "def check(candidate):\n    assert candidate(1) == 2\n";

describe("parseTestSpec", () => {
  it("reads the MBPP form, with imports and setup code defaulting to empty", () => {
    expect(parseTestSpec({ prompt: "p", test_list: ["assert f(1) == 2"] })).toEqual({
      kind: "mbpp",
      test_list: ["assert f(1) == 2"],
      test_imports: [],
      test_setup_code: "",
    });
    expect(parseTestSpec({ test_list: ["assert f(1) == 2"], test_imports: ["import math"], test_setup_code: "X = 1", test_setup: null })).toMatchObject({
      test_imports: ["import math"],
      test_setup_code: "X = 1",
    });
  });

  it("reads the HumanEval and the pytest forms", () => {
    expect(parseTestSpec({ test: check, entry_point: "inc" })).toEqual({ kind: "humaneval", test: check, entry_point: "inc" });
    const tests = "from solution import inc\n\ndef test_inc():\n    assert inc(1) == 2\n";
    expect(parseTestSpec({ tests })).toEqual({ kind: "pytest", tests });
  });

  it("an item without test fields has no spec; MBPP wins when fields of two forms are present", () => {
    expect(parseTestSpec({ prompt: "p", entry_point: "f", source: "x" })).toBeUndefined();
    expect(parseTestSpec({ test_list: ["assert f() == 1"], test: "inputs = []", entry_point: "f" })?.kind).toBe("mbpp");
  });

  it.each([
    [{ test_list: "assert f(1) == 2" }, "`test_list` must be a list of strings"],
    [{ test_list: [] }, "`test_list` must list at least one assert statement"],
    [{ test_list: ["assert f(1)", 3] }, "`test_list[1]` must be a string"],
    [{ test_list: ["assert f(1)", "  "] }, "`test_list[1]` must not be empty"],
    [{ test_list: ["assert f(1)"], test_imports: "import math" }, "`test_imports` must be a list of strings"],
    [{ test_list: ["assert f(1)"], test_setup_code: ["x = 1"] }, "`test_setup_code` must be a string"],
    [{ test_imports: ["import math"] }, "`test_imports` needs a `test_list` beside it"],
    [{ test: check }, "`entry_point` is missing"],
    [{ test: check, entry_point: "not a name" }, "`entry_point` must be a Python function name"],
    [{ test: "assert f(1) == 2", entry_point: "f" }, "`test` must define check(candidate)"],
    [{ test: 42, entry_point: "f" }, "`test` must be a string"],
    [{ tests: "assert f(1) == 2" }, "`tests` must define at least one test_* function"],
  ])("refuses %j: %s", (item, message) => {
    expect(() => parseTestSpec(item)).toThrow(message);
  });

  it("counts tests without running Python", () => {
    expect(countTests({ kind: "mbpp", test_list: ["a", "b"], test_imports: [], test_setup_code: "" })).toBe(2);
    expect(countTests({ kind: "humaneval", test: check, entry_point: "f" })).toBe(1);
    expect(countTests({ kind: "pytest", tests: "def test_a():\n    pass\nclass TestB:\n    def test_c(self):\n        pass\n" })).toBe(2);
  });
});

describe("the dataset parser keeps tests and refuses malformed ones", () => {
  it("items carry their parsed spec", () => {
    const items = parseDataset(readFileSync(new URL("../../test/fixtures/sandbox/mbpp-items.json", import.meta.url), "utf8"), "mbpp.json");
    expect(items).toHaveLength(7);
    expect(items[0]?.tests).toMatchObject({ kind: "mbpp", test_list: expect.arrayContaining([expect.stringContaining("similar_elements")]) });
    expect(parseDataset('[{"prompt": "p"}]', "d.json")[0]).not.toHaveProperty("tests");
  });

  it("one line naming the item's id and the field", () => {
    const text = JSON.stringify([{ id: "ok", prompt: "p" }, { id: "HumanEval/0".replace("/", "_"), prompt: "p", test: check }]);
    expect(() => parseDataset(text, "d.json")).toThrow(DatasetError);
    expect(() => parseDataset(text, "d.json")).toThrow('d.json: item 2 (id "HumanEval_0"): `entry_point` is missing');
  });
});

describe("test sidecars", () => {
  const spec = { kind: "humaneval" as const, test: check, entry_point: "inc" };

  it("are written, read back, and removed when the item no longer has tests", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "sidecar-"));
    expect(await readTestSidecar(out, "a")).toBeUndefined();
    await syncTestSidecar(out, "a", spec);
    expect(JSON.parse(readFileSync(path.join(out, "tests", "a.json"), "utf8"))).toEqual({ id: "a", tests: spec });
    expect(await readTestSidecar(out, "a")).toEqual(spec);
    await syncTestSidecar(out, "a", undefined);
    expect(await readTestSidecar(out, "a")).toBeUndefined();
  });

  it("a damaged sidecar is a usage error naming the file, never silently no tests", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "sidecar-"));
    await syncTestSidecar(out, "a", spec);
    const file = path.join(out, "tests", "a.json");
    writeFileSync(file, JSON.stringify({ id: "a", tests: { kind: "mbpp", test_list: [] } }));
    await expect(readTestSidecar(out, "a")).rejects.toThrow(CliError);
    await expect(readTestSidecar(out, "a")).rejects.toThrow(`${file}: tests.test_list`);
    writeFileSync(file, "{");
    await expect(readTestSidecar(out, "a")).rejects.toThrow("invalid JSON");
  });
});

describe("generate keeps each item's tests beside its code", () => {
  const reply = '```python\n"""\nInput Prompt: p\nIntention: i\nFunctionality: f\n"""\n\ndef inc(x):\n    return x + 1\n```';
  const llm: Llm = { chat: async () => ({ content: reply, refusal: null, finishReason: "stop", usage: emptyUsage() }) };
  const options = { model: "m", concurrency: 2, docstringRetries: 0, temperature: 0, maxTokens: 100, force: false };

  it("writes tests/<id>.json for items with tests, also when a resumed run skips the item, and none for the others", async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), "generate-tests-"));
    const items = parseDataset(
      JSON.stringify([
        { id: "with", prompt: "p", test: check, entry_point: "inc" },
        { id: "without", prompt: "p" },
      ]),
      "d.json",
    );
    await generateAll(items, { ...options, outDir }, { llm });
    expect(await readTestSidecar(outDir, "with")).toEqual({ kind: "humaneval", test: check, entry_point: "inc" });
    expect(await readTestSidecar(outDir, "without")).toBeUndefined();

    const changed = parseDataset(JSON.stringify([{ id: "with", prompt: "p", test_list: ["assert inc(1) == 2"] }]), "d.json");
    const again = await generateAll(changed, { ...options, outDir }, { llm });
    expect(again.rows[0]?.status).toBe("skipped");
    expect(await readTestSidecar(outDir, "with")).toMatchObject({ kind: "mbpp", test_list: ["assert inc(1) == 2"] });
  });
});
