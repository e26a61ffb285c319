import { describe, expect, it } from "vitest";
import { extractCode, extractTaggedCode, missingSections, normalizeCode, parseVerdict } from "./extract.js";

const DOC = '"""\nInput Prompt: add\nIntention: sum\nFunctionality: plus\n"""\n';

describe("extractCode", () => {
  it("takes the last fenced block", () => {
    const reply = "Here:\n```python\nfirst = 1\n```\nand better:\n```python\nsecond = 2   \n```\nbye";
    expect(extractCode(reply)).toBe("second = 2\n");
  });

  it("accepts a bare ``` fence", () => {
    expect(extractCode("```\nx = 1\n```")).toBe("x = 1\n");
  });

  it("falls back to the first def or class when there is no fence", () => {
    const reply = "Sure, here is the code.\ndef add(a, b):\n    return a + b\n";
    expect(extractCode(reply)).toBe("def add(a, b):\n    return a + b\n");
  });

  it("falls back to the whole reply", () => {
    expect(extractCode("x = 1\r\ny = 2\n\n\n")).toBe("x = 1\ny = 2\n");
  });

  it("keeps a docstring that precedes the code inside the fence", () => {
    const code = extractCode(`\`\`\`python\n${DOC}def f():\n    pass\n\`\`\``);
    expect(code.startsWith('"""\nInput Prompt')).toBe(true);
    expect(missingSections(code)).toEqual([]);
  });
});

describe("normalizeCode", () => {
  it("strips trailing whitespace on every line and ends with exactly one newline", () => {
    expect(normalizeCode("\n\na = 1 \t\n\tb = 2  \n\n")).toBe("a = 1\n\tb = 2\n");
  });
  it("gives an empty string for blank input", () => {
    expect(normalizeCode("  \n \n")).toBe("");
  });
});

describe("missingSections", () => {
  it("names each missing heading", () => {
    expect(missingSections('"""Input Prompt: x"""')).toEqual(["Intention", "Functionality"]);
    expect(missingSections("")).toEqual(["Input Prompt", "Intention", "Functionality"]);
  });
});

describe("extractTaggedCode", () => {
  it("reads <Code> tags in any case", () => {
    expect(extractTaggedCode("<code>\nx = 1\n</CODE>")).toBe("x = 1\n");
  });
  it("reads a fence inside the tags, or a fence alone", () => {
    expect(extractTaggedCode("<Code>\n```python\ny = 2\n```\n</Code>")).toBe("y = 2\n");
    expect(extractTaggedCode("```python\nz = 3\n```")).toBe("z = 3\n");
  });
  it("gives undefined for a reply without code or with empty tags", () => {
    expect(extractTaggedCode("I cannot help with that.")).toBeUndefined();
    expect(extractTaggedCode("<Code>\n   \n</Code>")).toBeUndefined();
  });
});

describe("parseVerdict", () => {
  it("accepts Correct in any case with surrounding whitespace and markup", () => {
    expect(parseVerdict("  correct \n")).toEqual({ kind: "correct" });
    expect(parseVerdict("**Correct**")).toEqual({ kind: "correct" });
  });
  it("reads Incorrect with code and reason", () => {
    const verdict = parseVerdict("Incorrect\n<Code>\ndef f():\n    return 2\n</Code>\n<Reason>off by one</Reason>");
    expect(verdict).toEqual({ kind: "incorrect", body: "def f():\n    return 2\n", reason: "off by one" });
  });
  it("accepts a fenced block in place of <Code>", () => {
    const verdict = parseVerdict("INCORRECT\n```python\nx = 1\n```");
    expect(verdict).toMatchObject({ kind: "incorrect", body: "x = 1\n", reason: null });
  });
  it("does not read Incorrect as Correct", () => {
    expect(parseVerdict("Incorrect").kind).toBe("unparseable");
  });
  it("calls anything else unparseable", () => {
    expect(parseVerdict("The code looks fine to me.").kind).toBe("unparseable");
    expect(parseVerdict("").kind).toBe("unparseable");
  });
});
