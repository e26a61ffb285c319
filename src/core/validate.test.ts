import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileAnalysis } from "../analyzers/finding.js";
import type { ChatReply, ChatRequest, Llm } from "../llm/client.js";
import { FILES_AHEAD, validateAll, type SourceFile, type ValidateOptions } from "./validate.js";

// validateAll over plain fakes: how files, analyzer work and model calls are scheduled.

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "codeenhancer-validate-all-"));
});
afterEach(async () => {
  await fs.remove(dir);
});

async function writeFiles(count: number): Promise<SourceFile[]> {
  const code = path.join(dir, "code");
  await fs.ensureDir(code);
  const files: SourceFile[] = [];
  for (let i = 0; i < count; i++) {
    const id = `item_${String(i).padStart(3, "0")}`;
    const file = path.join(code, `${id}.py`);
    await fs.writeFile(file, `"""\nInput Prompt: add one\nIntention: add one\nFunctionality: returns x + 1\n"""\n\ndef f${i}(x):\n    return x + 1\n`);
    files.push({ id, file });
  }
  return files;
}

const clean = (): FileAnalysis => ({ findings: [], raw: {}, error: null, elapsedMs: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function options(overrides: Partial<ValidateOptions> = {}): ValidateOptions {
  return {
    outDir: path.join(dir, "out"),
    model: "fake",
    concurrency: 2,
    maxAttempts: 3,
    temperature: 0,
    maxTokens: 1000,
    force: false,
    analyzeOnly: false,
    judge: "auto",
    ...overrides,
  };
}

/** A judge that answers `Correct` after `latencyMs`, counting the calls in flight. */
function judge(latencyMs: number, onCall: (request: ChatRequest) => void = () => undefined) {
  const stats = { inFlight: 0, peak: 0, calls: 0 };
  const llm: Llm = {
    async chat(request): Promise<ChatReply> {
      onCall(request);
      stats.calls += 1;
      stats.inFlight += 1;
      stats.peak = Math.max(stats.peak, stats.inFlight);
      await sleep(latencyMs);
      stats.inFlight -= 1;
      return { content: "Correct", refusal: null, finishReason: "stop", usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
    },
  };
  return { llm, stats };
}

describe("validateAll", () => {
  it("analyzes files ahead of the model calls, which stay within --concurrency", async () => {
    const files = await writeFiles(12);
    const { llm, stats } = judge(40);
    let analyzedBeforeFirstReply = 0;
    let replied = false;
    const result = await validateAll(files, options({ concurrency: 2 }), {
      llm: {
        async chat(request) {
          const reply = await llm.chat(request);
          replied = true;
          return reply;
        },
      },
      async analyze() {
        if (!replied) analyzedBeforeFirstReply += 1;
        await sleep(1);
        return clean();
      },
    });
    expect(result.rows.map((row) => row.status)).toEqual(Array(12).fill("passed"));
    expect(stats.calls).toBe(12);
    // Model calls never exceed --concurrency, however many files are in progress.
    expect(stats.peak).toBe(2);
    // Every file was analyzed while the first two judge calls were still out (12 <= 2 + FILES_AHEAD).
    expect(analyzedBeforeFirstReply).toBe(12);
  });

  it("keeps at most --concurrency + FILES_AHEAD files in progress", async () => {
    const count = 2 + FILES_AHEAD + 10;
    const files = await writeFiles(count);
    let inFlight = 0;
    let peak = 0;
    // Each analysis waits until the analyses in flight stop growing: the peak is the files in progress.
    const result = await validateAll(files, options({ concurrency: 2, analyzeOnly: true }), {
      async analyze() {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await sleep(20);
        inFlight -= 1;
        return clean();
      },
    });
    expect(result.rows).toHaveLength(count);
    expect(peak).toBe(2 + FILES_AHEAD);
  });

  it("withdraws files that had not asked the model when the run is stopped, and records the others", async () => {
    const files = await writeFiles(10);
    const stop = new AbortController();
    const asked = new Set<string>();
    const { llm } = judge(60, (request) => {
      asked.add(request.item ?? "");
      // The first call stops the run (Ctrl-C): nothing new may ask the model after it.
      stop.abort();
    });
    const result = await validateAll(files, options({ concurrency: 1 }), { llm, analyze: async () => clean(), stop: stop.signal });
    // Only the file whose call was out finished; the other nine were analyzed but are left for the next run.
    expect(asked.size).toBe(1);
    expect(result.rows.map((row) => row.id)).toEqual([...asked]);
    expect(result.interrupted).toBe(true);
    const logs = (await fs.readdir(path.join(dir, "out", "validation"))).filter((name) => name.endsWith("_validation_results.json"));
    expect(logs).toEqual([`${[...asked][0]}_validation_results.json`]);
  });
});
