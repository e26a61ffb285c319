import { describe, expect, it } from "vitest";
import { docstringLineCount, joinDocstring, splitDocstring } from "./docstring.js";

const DOC = '"""\nInput Prompt: add two numbers\nIntention: arithmetic\nFunctionality: returns a + b\n"""';

describe("splitDocstring", () => {
  it("splits the three-section docstring from the body", () => {
    const split = splitDocstring(`${DOC}\n\nimport os\n\ndef add(a, b):\n    return a + b\n`);
    expect(split.docstring).toBe(DOC);
    expect(split.body).toBe("import os\n\ndef add(a, b):\n    return a + b\n");
    expect(split.templated).toBe(false);
  });

  it("skips earlier triple-quoted strings that lack the sections", () => {
    const source = `X = """not it"""\n${DOC}\ny = 1\n`;
    const split = splitDocstring(source);
    expect(split.docstring).toBe(DOC);
    expect(split.body).toContain('X = """not it"""');
    expect(split.body).toContain("y = 1");
  });

  it("accepts single-quote triple strings", () => {
    const doc = "'''Input Prompt: a\nIntention: b\nFunctionality: c'''";
    expect(splitDocstring(`${doc}\nz = 2\n`).docstring).toBe(doc);
  });

  it("says on which line of the source the body begins", () => {
    expect(splitDocstring(`${DOC}\n\n\nimport os\n`).bodyLine).toBe(8);
    expect(splitDocstring("import os\n").bodyLine).toBe(1);
  });

  it("uses a template with the three headings when there is no docstring", () => {
    const split = splitDocstring("print('hi')\n");
    expect(split.templated).toBe(true);
    expect(split.docstring).toContain("Input Prompt:");
    expect(split.docstring).toContain("Functionality:");
    expect(split.body).toBe("print('hi')\n");
  });

  it("round-trips through joinDocstring, keeping the docstring intact", () => {
    const source = `${DOC}\nimport os\n\n\ndef f():\n    return os.sep\n`;
    const split = splitDocstring(source);
    const joined = joinDocstring(split.docstring, split.body);
    expect(joined.startsWith(DOC)).toBe(true);
    expect(splitDocstring(joined)).toEqual(split);
    expect(joined.split("\n")[docstringLineCount(split.docstring)]).toBe("import os");
  });
});
