import { describe, expect, it } from "vitest";
import {
  FALLBACK_CONTEXT_LIMIT,
  autoEpochs,
  checkChatExample,
  checkPreferenceExample,
  checkTrlExample,
  countExampleTokens,
  countMessageTokens,
  estimateTrainingCost,
  loadTokenizer,
  lookupModel,
  parseJsonl,
  summarizeProblems,
} from "./training-data.js";

const system = { role: "system", content: "You write Python." };
const user = { role: "user", content: "Write hello world." };
const good = { role: "assistant", content: "```python\nprint('hello')\n```" };
const bad = { role: "assistant", content: "```python\nimport os; os.system('echo hello')\n```" };

describe("checkChatExample (OpenAI's chat format)", () => {
  it("accepts system, user, assistant", () => {
    expect(checkChatExample({ messages: [system, user, good] })).toEqual([]);
  });

  it.each([
    ["a line that is not an object", [1, 2], /not a JSON object/],
    ["no messages", {}, /messages is missing or not a list/],
    ["an empty list", { messages: [] }, /messages is empty/],
    ["no final assistant message", { messages: [system, user] }, /last message is not an assistant message/],
    ["an unknown role", { messages: [{ role: "robot", content: "x" }, good] }, /messages\[0\] has an invalid role "robot"/],
    ["content that is not a string", { messages: [user, { role: "assistant", content: 42 }] }, /messages\[1\]: content must be a string, got number/],
    ["empty content", { messages: [{ role: "user", content: "" }, good] }, /messages\[0\]: content is empty/],
    ["an unknown message key", { messages: [user, { ...good, score: 1 }] }, /messages\[1\] has unrecognised key\(s\) score/],
    ["an unknown top-level key", { messages: [user, good], label: "x" }, /unrecognised key\(s\) label/],
    ["a weight other than 0 or 1", { messages: [user, { ...good, weight: 2 }] }, /weight must be 0 or 1/],
    ["a content part that is not text", { messages: [{ role: "user", content: [{ type: "audio" }] }, good] }, /content\[0\] is not a text part/],
  ])("refuses %s", (_name, example, problem) => {
    expect(checkChatExample(example).join("\n")).toMatch(problem);
  });

  it("accepts text content parts", () => {
    expect(checkChatExample({ messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }, good] })).toEqual([]);
  });
});

describe("checkPreferenceExample (OpenAI's DPO format)", () => {
  const pair = { input: { messages: [system, user] }, preferred_output: [good], non_preferred_output: [bad] };

  it("accepts a prompt ending with the user and one assistant message on each side", () => {
    expect(checkPreferenceExample(pair)).toEqual([]);
  });

  it.each([
    ["identical outputs", { ...pair, non_preferred_output: [good] }, /preferred_output and non_preferred_output are identical/],
    ["two preferred messages", { ...pair, preferred_output: [good, good] }, /preferred_output must hold exactly one assistant message/],
    ["a non-assistant output", { ...pair, non_preferred_output: [user] }, /non_preferred_output\[0\] is not an assistant message/],
    ["an input ending with the assistant", { ...pair, input: { messages: [user, good] } }, /input.messages must end with a user message/],
    ["no input", { preferred_output: [good], non_preferred_output: [bad] }, /input is missing or not an object/],
    ["an unknown key", { ...pair, chosen: [good] }, /unrecognised key\(s\) chosen/],
  ])("refuses %s", (_name, example, problem) => {
    expect(checkPreferenceExample(example).join("\n")).toMatch(problem);
  });
});

describe("checkTrlExample (TRL's conversational preference format)", () => {
  it("accepts prompt/chosen/rejected", () => {
    expect(checkTrlExample({ prompt: [system, user], chosen: [good], rejected: [bad] })).toEqual([]);
  });

  it("refuses identical answers and a missing prompt", () => {
    expect(checkTrlExample({ prompt: [system, user], chosen: [good], rejected: [good] })).toEqual(["chosen and rejected are identical"]);
    expect(checkTrlExample({ chosen: [good], rejected: [bad] }).join("\n")).toMatch(/prompt is missing/);
  });
});

describe("models, tokens and cost", () => {
  it("knows the fine-tunable models by id, alias and ft: id", () => {
    expect(lookupModel("gpt-4o-2024-08-06")).toMatchObject({ contextLimit: 65_536, trainingUsdPerMillion: 25, known: true });
    expect(lookupModel("gpt-4o-mini")).toMatchObject({ trainingUsdPerMillion: 3, known: true });
    expect(lookupModel("ft:gpt-4.1-nano-2025-04-14:acme::abc123")).toMatchObject({ trainingUsdPerMillion: 1.5, known: true });
    expect(lookupModel("gpt-3.5-turbo")).toMatchObject({ contextLimit: 16_385, encoding: "cl100k_base" });
    expect(lookupModel("llama-3-8b")).toEqual({
      contextLimit: FALLBACK_CONTEXT_LIMIT,
      trainingUsdPerMillion: undefined,
      encoding: "o200k_base",
      known: false,
    });
  });

  it("counts tokens with the model's real tokenizer, as OpenAI's cookbook does", async () => {
    const o200k = await loadTokenizer("gpt-4o-2024-08-06");
    const cl100k = await loadTokenizer("gpt-3.5-turbo");
    expect(o200k.count("Hello, world!")).toBe(4);
    expect(cl100k.name).toBe("cl100k_base");
    // 3 to prime the reply, then per message 3 + role + content.
    expect(countMessageTokens([{ role: "user", content: "Hello, world!" }], o200k)).toBe(3 + 3 + 1 + 4);
    // Special-token text inside code is ordinary text.
    expect(o200k.count("x = '<|endoftext|>'")).toBeGreaterThan(3);
  });

  it("counts both answers of a preference pair, and checks the longer one against the limit", async () => {
    const tokenizer = await loadTokenizer("gpt-4o-2024-08-06");
    const prompt = countMessageTokens([system, user], tokenizer);
    const withGood = countMessageTokens([system, user, good], tokenizer);
    const withBad = countMessageTokens([system, user, bad], tokenizer);
    const counted = countExampleTokens({ input: { messages: [system, user] }, preferred_output: [good], non_preferred_output: [bad] }, "dpo", tokenizer);
    expect(counted).toEqual({ total: withGood + withBad - prompt, longest: Math.max(withGood, withBad) });
  });

  it("estimates the epochs OpenAI's auto setting picks and the training bill", () => {
    expect([autoEpochs(5), autoEpochs(11), autoEpochs(34), autoEpochs(1000), autoEpochs(20_000)]).toEqual([20, 9, 3, 3, 1]);
    expect(estimateTrainingCost("gpt-4o-mini-2024-07-18", 100_000, 50, 4)).toEqual({
      model: "gpt-4o-mini-2024-07-18",
      usd_per_million_training_tokens: 3,
      epochs: 4,
      epochs_source: "given",
      billed_tokens: 400_000,
      usd: 1.2,
    });
    expect(estimateTrainingCost("somebody-elses-model", 100_000, 50, undefined)).toBeNull();
  });
});

describe("parseJsonl", () => {
  it("skips blank lines and reports lines that are not JSON by number", () => {
    const { lines, problems } = parseJsonl('{"a":1}\n\n{oops}\n[2]\n');
    expect(lines).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: [2] },
    ]);
    expect(problems).toEqual([{ line: 3, message: "not valid JSON" }]);
    expect(summarizeProblems("t.jsonl", [...problems, ...problems, ...problems, ...problems])).toBe(
      "t.jsonl: line 3: not valid JSON; line 3: not valid JSON; line 3: not valid JSON; and 1 more",
    );
  });
});
