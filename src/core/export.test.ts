import { createHash } from "node:crypto";
import path from "node:path";
import fs from "fs-extra";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/helpers/run-cli.js";
import { passedFiles, promptFor, readJsonl, scriptFor, writeValidatedRun } from "../../test/helpers/validated-run.js";
import { CliError } from "../errors.js";
import { buildGenerationMessages } from "../llm/prompts.js";
import { exportStatsSchema } from "../stage2-schemas.js";
import { chooseValidationIds, exportTrainingData, fencePython } from "./export.js";
import { autoEpochs, checkChatExample, checkPreferenceExample, checkTrlExample } from "./training-data.js";

let outDir: string;

beforeEach(async () => {
  outDir = path.join(await makeTempDir("codeenhancer-export-"), "baseline");
});

afterEach(async () => {
  await fs.remove(path.dirname(outDir));
});

const base = { format: "sft" as const, valFraction: 0.1, model: "gpt-4o-2024-08-06" };

describe("export --format sft", () => {
  it("writes one chat example per passed file: the generation messages, then the final code in a python fence", async () => {
    const files = [
      ...passedFiles(12).map((f, i) => ({ ...f, final: i % 2 ? scriptFor(f.id, "    return 42") : undefined })),
      { id: "failed_one", status: "unresolved" as const },
    ];
    await writeValidatedRun(outDir, files);

    const result = await exportTrainingData({ outDir, ...base });

    const train = await readJsonl(path.join(outDir, "finetune", "train.jsonl"));
    const val = await readJsonl(path.join(outDir, "finetune", "val.jsonl"));
    expect(train).toHaveLength(11);
    expect(val).toHaveLength(1);
    for (const line of [...train, ...val]) expect(checkChatExample(line)).toEqual([]);
    const byId = new Map(result.items.map((item) => [item.id, item]));
    for (const [i, file] of files.slice(0, 12).entries()) {
      const line = (byId.get(file.id)?.split === "val" ? val : train).find((example) =>
        JSON.stringify(example).includes(promptFor(file.id)),
      ) as { messages: Array<{ role: string; content: string }> };
      const final = i % 2 ? scriptFor(file.id, "    return 42") : scriptFor(file.id);
      expect(line.messages).toEqual([...buildGenerationMessages(promptFor(file.id)), { role: "assistant", content: fencePython(final) }]);
    }
    expect(JSON.stringify([...train, ...val])).not.toContain("failed_one");
  });

  it("records examples, left-out files, tokens and a cost estimate in stats.json", async () => {
    await writeValidatedRun(outDir, [...passedFiles(12), { id: "failed_one", status: "error" }]);

    await exportTrainingData({ outDir, ...base });

    const stats = exportStatsSchema.parse(await fs.readJson(path.join(outDir, "finetune", "stats.json")));
    expect(stats.examples).toEqual({ train: 11, val: 1, total: 12 });
    expect(stats.left_out.by_reason).toEqual({ not_passed: 1 });
    expect(stats.left_out.files).toEqual([{ id: "failed_one", reason: "not_passed", detail: "error" }]);
    expect(stats.tokens.per_example).toHaveLength(12);
    expect(stats.tokens.per_example.every((e) => e.tokens > 50)).toBe(true);
    const trainSum = stats.tokens.per_example.filter((e) => e.split === "train").reduce((sum, e) => sum + e.tokens, 0);
    expect(stats.tokens.train.total).toBe(trainSum);
    expect(stats.tokens.total).toBe(stats.tokens.train.total + stats.tokens.val.total);
    expect(stats.tokenizer).toBe("o200k_base");
    expect(stats.context_limit).toBe(65_536);
    expect(stats.estimated_cost).toMatchObject({ epochs: autoEpochs(11), epochs_source: "auto", usd_per_million_training_tokens: 25 });
    expect(stats.estimated_cost?.billed_tokens).toBe(trainSum * autoEpochs(11));
    expect(stats.warnings).toEqual([]);
  });

  it("splits by a hash of the id: the same files give the same split, in validation order", async () => {
    const files = passedFiles(30);
    await writeValidatedRun(outDir, files);

    const first = await exportTrainingData({ outDir, ...base, valFraction: 0.2 });
    const trainText = await fs.readFile(path.join(outDir, "finetune", "train.jsonl"), "utf8");
    const second = await exportTrainingData({ outDir, ...base, valFraction: 0.2 });

    expect(await fs.readFile(path.join(outDir, "finetune", "train.jsonl"), "utf8")).toBe(trainText);
    expect(second.items).toEqual(first.items);
    const hash = (id: string) => createHash("sha256").update(id).digest("hex");
    const expectedVal = files.map((f) => f.id).sort((a, b) => (hash(a) < hash(b) ? -1 : 1)).slice(0, 6);
    expect(first.items.filter((i) => i.split === "val").map((i) => i.id).sort()).toEqual(expectedVal.sort());
    const trainIds = first.items.filter((i) => i.split === "train").map((i) => i.id);
    expect(trainIds).toEqual(files.map((f) => f.id).filter((id) => trainIds.includes(id)));
  });

  it("never lets the validation split take training below 10 examples", () => {
    const ids = Array.from({ length: 11 }, (_, i) => `id${i}`);
    expect(chooseValidationIds(ids, 0.1, 10).valIds.size).toBe(1);
    expect(chooseValidationIds(ids, 0.5, 10)).toMatchObject({ reducedFrom: 5 });
    expect(chooseValidationIds(ids, 0.5, 10).valIds.size).toBe(1);
    expect(chooseValidationIds(ids.slice(0, 10), 0.1, 10).valIds.size).toBe(0);
    expect(chooseValidationIds(ids, 0.5, 0).valIds.size).toBe(5);
  });

  it("leaves out files that --analyze-only marked passed: no model judged them", async () => {
    await writeValidatedRun(outDir, [{ id: "judged" }, { id: "only_analyzed", analyzeOnly: true }]);
    const result = await exportTrainingData({ outDir, ...base });
    expect(result.items.find((i) => i.id === "only_analyzed")).toMatchObject({ included: false, reason: "not_passed" });
    expect(result.stats.examples.total).toBe(1);
  });

  it("warns, without refusing, when there are fewer than 10 training examples", async () => {
    await writeValidatedRun(outDir, passedFiles(4));
    const result = await exportTrainingData({ outDir, ...base });
    expect(result.stats.examples).toEqual({ train: 4, val: 0, total: 4 });
    expect(result.stats.warnings.join("\n")).toMatch(/4 training example\(s\).*at least 10/);
  });

  it("leaves out a second file with the same final code (trailing whitespace aside)", async () => {
    const shared = scriptFor("same");
    await writeValidatedRun(outDir, [
      { id: "a", final: shared },
      { id: "b", final: shared.replace("constant.", "constant.   ") },
      { id: "c" },
    ]);

    const result = await exportTrainingData({ outDir, ...base });

    expect(result.items.find((i) => i.id === "b")).toMatchObject({ included: false, reason: "duplicate_code", detail: "same final code as a" });
    expect(result.stats.left_out.by_reason).toEqual({ duplicate_code: 1 });
    expect(result.stats.examples.total).toBe(2);
  });

  it("leaves out examples over the token limit and says so in stats.json", async () => {
    const long = scriptFor("long", Array.from({ length: 200 }, (_, i) => `    value_${i} = ${i} * ${i}`).join("\n"));
    await writeValidatedRun(outDir, [{ id: "short" }, { id: "long", final: long }]);

    const result = await exportTrainingData({ outDir, ...base, maxTokens: 600 });

    const stats = exportStatsSchema.parse(await fs.readJson(path.join(outDir, "finetune", "stats.json")));
    expect(stats.context_limit).toBe(600);
    expect(stats.left_out.files).toEqual([{ id: "long", reason: "over_token_limit", detail: expect.stringMatching(/^\d+ tokens > 600$/) }]);
    expect(result.items.find((i) => i.id === "short")?.included).toBe(true);
  });

  it("uses a fallback limit and no cost estimate for a model it does not know", async () => {
    await writeValidatedRun(outDir, passedFiles(2));
    const result = await exportTrainingData({ outDir, ...base, model: "my-azure-deployment" });
    expect(result.stats.estimated_cost).toBeNull();
    expect(result.stats.context_limit).toBe(16_385);
    expect(result.stats.warnings[0]).toMatch(/no training context or price known for my-azure-deployment/);
  });

  it("leaves out a passed file whose generation dialogue is missing", async () => {
    await writeValidatedRun(outDir, [{ id: "ok" }, { id: "lost", dialogue: null }]);
    const result = await exportTrainingData({ outDir, ...base });
    expect(result.items.find((i) => i.id === "lost")).toMatchObject({ included: false, reason: "missing_input" });
    expect(result.stats.warnings.join("\n")).toMatch(/1 passed file\(s\) left out because an input file is missing/);
  });

  it("refuses to write anything when an example fails OpenAI's checks", async () => {
    const broken = [
      { role: "system" as const, content: "" },
      { role: "user" as const, content: "write it" },
    ];
    await writeValidatedRun(outDir, [{ id: "ok" }, { id: "broken", dialogue: broken }]);

    const error = await exportTrainingData({ outDir, ...base }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(/fail OpenAI's training file checks: broken: messages\[0\]: content is empty/);
    expect(await fs.pathExists(path.join(outDir, "finetune", "train.jsonl"))).toBe(false);
  });

  it("refuses an id that could name a file outside --out", async () => {
    await writeValidatedRun(outDir, [{ id: "ok" }]);
    const results = path.join(outDir, "validation", "results.json");
    const rows = (await fs.readJson(results)) as Array<{ id: string }>;
    await fs.writeJson(results, [{ ...rows[0], id: "../../etc/passwd" }]);
    const error = await exportTrainingData({ outDir, ...base }).catch((e: unknown) => e);
    expect((error as CliError).message).toMatch(/lists the id "..\/..\/etc\/passwd", which cannot name a file/);
  });

  it("says to run validate first when validation/results.json is missing", async () => {
    const error = await exportTrainingData({ outDir, ...base }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).hint).toMatch(/codeenhancer validate/);
  });
});

describe("export --format dpo and trl-dpo", () => {
  const fixed = (id: string) => scriptFor(id, "    return sorted(set([1, 2]))");
  const files = [
    { id: "had_findings", firstFindings: true, final: fixed("had_findings") },
    { id: "was_clean" },
    { id: "judged_incorrect", firstVerdict: "Incorrect" as const, final: fixed("judged_incorrect") },
    { id: "same_as_first", firstFindings: true },
    { id: "never_passed", status: "unresolved" as const, firstFindings: true, final: fixed("never_passed") },
    { id: "log_missing", firstFindings: true, final: fixed("log_missing"), noLog: true },
  ];

  it("pairs the final code (preferred) with the first version (non-preferred) only where the first version was worse", async () => {
    await writeValidatedRun(outDir, files);

    const result = await exportTrainingData({ outDir, ...base, format: "dpo", valFraction: 0 });

    const rows = (await readJsonl(path.join(outDir, "finetune", "train_dpo.jsonl"))) as Array<{
      input: { messages: unknown[] };
      preferred_output: Array<{ content: string }>;
      non_preferred_output: Array<{ content: string }>;
    }>;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(checkPreferenceExample(row)).toEqual([]);
      expect(row.preferred_output[0]?.content).not.toBe(row.non_preferred_output[0]?.content);
    }
    const first = rows[0];
    expect(first?.input.messages).toEqual(buildGenerationMessages(promptFor("had_findings")));
    expect(first?.preferred_output).toEqual([{ role: "assistant", content: fencePython(fixed("had_findings")) }]);
    expect(first?.non_preferred_output).toEqual([{ role: "assistant", content: fencePython(scriptFor("had_findings")) }]);
    const reasons = Object.fromEntries(result.items.map((i) => [i.id, i.reason ?? "included"]));
    expect(reasons).toEqual({
      had_findings: "included",
      was_clean: "no_preference",
      judged_incorrect: "included",
      same_as_first: "identical_versions",
      never_passed: "not_passed",
      // Without the per-file log, the row's initial_findings decides.
      log_missing: "included",
    });
  });

  it("writes the same pairs in TRL's conversational prompt/chosen/rejected format", async () => {
    await writeValidatedRun(outDir, files);

    await exportTrainingData({ outDir, ...base, format: "trl-dpo", valFraction: 0 });

    const rows = (await readJsonl(path.join(outDir, "finetune", "train_trl_dpo.jsonl"))) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(["prompt", "chosen", "rejected"]);
      expect(checkTrlExample(row)).toEqual([]);
    }
    expect(rows[1]).toEqual({
      prompt: buildGenerationMessages(promptFor("judged_incorrect")),
      chosen: [{ role: "assistant", content: fencePython(fixed("judged_incorrect")) }],
      rejected: [{ role: "assistant", content: fencePython(scriptFor("judged_incorrect")) }],
    });
    const stats = exportStatsSchema.parse(await fs.readJson(path.join(outDir, "finetune", "stats.json")));
    expect(stats.estimated_cost).toBeNull();
    // Not an OpenAI job: no warning about OpenAI's 10-example minimum.
    expect(stats.warnings).toEqual([]);
  });
});
