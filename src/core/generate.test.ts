import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatReply, ChatRequest, Llm } from "../llm/client.js";
import type { GenerateRow } from "../schemas.js";
import { generateAll, type GenerateOptions } from "./generate.js";

// The generation loop in-process, with a plain object as the model: each test scripts the replies.

const DOC = '"""\nInput Prompt: add\nIntention: sum\nFunctionality: plus\n"""\n';

function reply(content: string, finishReason = "stop"): ChatReply {
  return { content, refusal: null, finishReason, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
}

/** A model that answers from a list, one reply per call; the requests are kept. */
function scriptedModel(replies: ChatReply[]): Llm & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    requests,
    chat(request) {
      requests.push({ ...request, messages: [...request.messages] });
      const next = replies[Math.min(requests.length - 1, replies.length - 1)];
      return Promise.resolve(next as ChatReply);
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "codeenhancer-generate-"));
});
afterEach(async () => {
  await fs.remove(dir);
});

const options = (): GenerateOptions => ({ outDir: dir, model: "m", concurrency: 1, docstringRetries: 5, temperature: 0, maxTokens: 256, force: false });
const item = { index: 0, id: "mbpp_57", prompt: "Write a python function to find the largest number that can be formed with the given digits." };
const readDialogue = async (id: string) =>
  JSON.parse(await fs.readFile(path.join(dir, `${id}_dialogue.json`), "utf8")) as Array<{ role: string; content: Array<{ text: string }> }>;

describe("generateAll with a real model's habits", () => {
  it("keeps the script when the reply ends with an example and an output fence, and says which block it took", async () => {
    const llm = scriptedModel([
      reply(`Here it is:\n\`\`\`python\n${DOC}def largest(digits):\n    return int("".join(sorted(map(str, digits), reverse=True)))\n\`\`\`\nExample usage:\n\`\`\`\nprint(largest([1, 2, 3]))\nprint(largest([4, 5, 6, 1]))\n\`\`\`\nOutput:\n\`\`\`\n321\n6541\n\`\`\``),
    ]);
    const { rows } = await generateAll([item], options(), { llm });
    expect(rows[0]).toMatchObject({ status: "success", attempts: 1, extracted: "block 1 of 3: ```python, docstring sections" });
    const code = await fs.readFile(path.join(dir, "code/mbpp_57.py"), "utf8");
    expect(code).toContain("def largest(digits):");
    expect(code).not.toContain("print(");
  });

  it("stops the corrective retries when the model sends the same code again, and keeps the dialogue", async () => {
    const same = reply("```python\ndef largest(digits):\n    return max(digits)\n```");
    const llm = scriptedModel([same]);
    const { rows } = await generateAll([item], options(), { llm });
    expect(llm.requests).toHaveLength(2);
    expect(rows[0]).toMatchObject({ status: "fail_docstring", stopped: "repeated_reply", attempts: 2 });
    expect(rows[0]?.usage?.total_tokens).toBe(30);
    const dialogue = await readDialogue("mbpp_57");
    expect(dialogue.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant"]);
    expect(await fs.readFile(path.join(dir, "missing_docstrings.txt"), "utf8")).toBe("mbpp_57\n");
  });

  it("uses every retry while the replies differ", async () => {
    const llm = scriptedModel(Array.from({ length: 6 }, (_, i) => reply(`\`\`\`python\ndef largest(digits):\n    return ${i}\n\`\`\``)));
    const { rows } = await generateAll([item], { ...options(), docstringRetries: 3 }, { llm });
    expect(llm.requests).toHaveLength(4);
    expect(rows[0]).toMatchObject({ status: "fail_docstring", attempts: 4 });
    expect(rows[0]?.stopped).toBeUndefined();
  });

  it("says a reply that loops until the token limit is a loop, and keeps it in the dialogue", async () => {
    const loop = `\`\`\`python\n${"def add_two_numbers(a, b):\n    return a + b\n\n".repeat(12)}def add_two_num`;
    const llm = scriptedModel([reply(loop, "length")]);
    const { rows } = await generateAll([item], options(), { llm });
    const row = rows[0] as GenerateRow;
    expect(row.status).toBe("error");
    expect(row.error).toMatch(/repeated itself until --max-tokens 256 cut it off \(".*return a \+ b.*" \d+ times\); a larger limit will not help/);
    expect(row.error).not.toMatch(/raise --max-tokens/);
    expect((await readDialogue("mbpp_57"))[2]?.content[0]?.text).toBe(loop);
    expect(await fs.pathExists(path.join(dir, "code/mbpp_57.py"))).toBe(false);
  });

  it("still advises a larger limit for a reply that was simply long", async () => {
    const llm = scriptedModel([reply(`\`\`\`python\n${DOC}def largest(digits):\n    total = 0\n    for d in`, "length")]);
    const { rows } = await generateAll([item], options(), { llm });
    expect(rows[0]?.error).toMatch(/cut off at --max-tokens 256 \(finish_reason: length\); raise --max-tokens/);
  });

  it("keeps the dialogue of an item whose call failed", async () => {
    const llm: Llm = { chat: () => Promise.reject(new Error("socket hang up")) };
    const { rows } = await generateAll([item], options(), { llm });
    expect(rows[0]).toMatchObject({ status: "error", error: "socket hang up", attempts: 0 });
    expect((await readDialogue("mbpp_57")).map((m) => m.role)).toEqual(["system", "user"]);
    const all = JSON.parse(await fs.readFile(path.join(dir, "all_dialogues.json"), "utf8")) as Array<{ prompt_id: string }>;
    expect(all.map((d) => d.prompt_id)).toEqual(["mbpp_57"]);
  });
});
