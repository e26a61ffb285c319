import { describe, expect, it } from "vitest";
import { DatasetError, parseDataset } from "./dataset.js";

const parse = (text: string) => parseDataset(text, "data.json");

describe("parseDataset", () => {
  it("reads a JSON array, keeping ids and filling missing ones by position", () => {
    const items = parse(JSON.stringify([{ id: "a", prompt: "p1", cwe: ["CWE-78"] }, { prompt: "p2" }]));
    expect(items).toEqual([
      { id: "a", prompt: "p1", index: 0 },
      { id: "sample_0001", prompt: "p2", index: 1 },
    ]);
  });

  it("reads JSON Lines, skipping blank lines", () => {
    const items = parse('{"id": "x", "prompt": "one"}\n\n{"id": 7, "prompt": "two"}\n');
    expect(items.map((i) => i.id)).toEqual(["x", "7"]);
  });

  it.each([
    ["invalid JSON array", "[{", /data\.json: invalid JSON/],
    ["invalid JSON line", '{"prompt": "a"}\n{oops\n', /data\.json: line 2: invalid JSON/],
    ["not a list", '"just a string"', /line 1 is not a JSON object/],
    ["an item that is not an object", '["a"]', /item 1 is not a JSON object/],
    ["missing prompt", '[{"id": "q"}]', /item 1 \(id "q"\) has no `prompt`/],
    ["non-string prompt", '[{"prompt": 3}]', /item 1 has a `prompt` that is not a string/],
    ["duplicate ids", '[{"id": "d", "prompt": "a"}, {"id": "d", "prompt": "b"}]', /item 2: duplicate id "d"/],
    ["path traversal", '[{"id": "../escaped", "prompt": "a"}]', /id "..\/escaped" is not a safe file name/],
    ["path separator", '[{"id": "a/b", "prompt": "a"}]', /path separator/],
    ["empty id", '[{"id": "", "prompt": "a"}]', /it is empty/],
    ["control character", '[{"id": "a\\u0001", "prompt": "a"}]', /control character/],
    ["empty dataset", "[]", /the dataset is empty/],
    ["empty file", "  \n", /the dataset is empty/],
  ])("refuses %s with a line naming the file", (_name, text, message) => {
    expect(() => parse(text)).toThrow(DatasetError);
    expect(() => parse(text)).toThrow(message);
  });
});
