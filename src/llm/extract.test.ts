import { describe, expect, it } from "vitest";
import { detectRepetition, extractCode, extractCodeFrom, extractTaggedCode, looksLikePython, missingSections, normalizeCode, parseVerdict } from "./extract.js";

const DOC = '"""\nInput Prompt: add\nIntention: sum\nFunctionality: plus\n"""\n';

describe("extractCode", () => {
  it("of equal blocks takes the longer, then the last", () => {
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

  // Captured from SmolLM2-135M-Instruct on mbpp_57: the script, then an example and its output in plain fences.
  const SCRIPT_THEN_EXAMPLE = [
    "Here is the script:",
    "```python",
    `${DOC}def find_max_num(digits):`,
    "    return int(''.join(sorted(map(str, digits), reverse=True)))",
    "```",
    "Example usage:",
    "```",
    "print(find_max_num([1, 2, 3]))",
    "print(find_max_num([4, 5, 6, 1]))",
    "```",
    "Output:",
    "```",
    "321",
    "```",
  ].join("\n");

  it("keeps the script, not a later example or output fence", () => {
    const { code, taken } = extractCodeFrom(SCRIPT_THEN_EXAMPLE);
    expect(code).toContain("def find_max_num(digits):");
    expect(missingSections(code)).toEqual([]);
    expect(taken).toBe("block 1 of 3: ```python, docstring sections");
  });

  it("without docstring sections prefers a ```python or ```py block over a plain one", () => {
    const reply = "```py\ndef f():\n    return 1\n```\nUsage:\n```\nresult = f()\nprint(result, 'is the answer of the whole program')\n```";
    expect(extractCodeFrom(reply)).toEqual({ code: "def f():\n    return 1\n", taken: "block 1 of 2: ```py, looks like Python" });
  });

  it("among untagged blocks takes the longest that looks like Python, not shell or output", () => {
    const reply = [
      "```\ndef area(r):\n    return 3.14159 * r * r\n```",
      "```\n$ python area.py --radius 2 --verbose --format plain --output result.txt\n```",
      "```\n12.56636\n```",
    ].join("\nthen\n");
    const { code, taken } = extractCodeFrom(reply);
    expect(code).toBe("def area(r):\n    return 3.14159 * r * r\n");
    expect(taken).toBe("block 1 of 3: ```, looks like Python");
  });

  it("says where code without a fence came from", () => {
    expect(extractCodeFrom("Sure.\ndef f():\n    pass").taken).toBe("no fenced block: from the first def/class");
    expect(extractCodeFrom("```python\nx = 1\n```").taken).toBe("the only fenced block");
  });

  it("keeps a docstring that precedes the code inside the fence", () => {
    const code = extractCode(`\`\`\`python\n${DOC}def f():\n    pass\n\`\`\``);
    expect(code.startsWith('"""\nInput Prompt')).toBe(true);
    expect(missingSections(code)).toEqual([]);
  });
});

describe("looksLikePython", () => {
  it("accepts programs", () => {
    expect(looksLikePython(`${DOC}import os\n\n\n@dataclass\nclass A:\n    x: int = 1\n\nif __name__ == "__main__":\n    print(os.getcwd())\n`)).toBe(true);
    expect(looksLikePython("total = sum(\n    [1, 2],\n)\nfor i in range(3):\n    total += i\n")).toBe(true);
    expect(looksLikePython("a, b = 1, 2\nvalue: int = 3\nitems[0] = 'x # not a comment'\n")).toBe(true);
  });
  it("rejects program output, shell sessions, prose and broken code", () => {
    expect(looksLikePython("321")).toBe(false);
    expect(looksLikePython("[1, 2, 3]\nHello, World!")).toBe(false);
    expect(looksLikePython("$ python main.py")).toBe(false);
    expect(looksLikePython("Output:\n5")).toBe(false);
    expect(looksLikePython("def f():\nreturn 1")).toBe(false);
    expect(looksLikePython("x = f(1, 2")).toBe(false);
    expect(looksLikePython("x = 'unterminated")).toBe(false);
    expect(looksLikePython("")).toBe(false);
  });
});

describe("detectRepetition", () => {
  it("finds a block of lines repeated until the reply was cut off, mid-unit", () => {
    const unit = "def add_two_numbers(a, b):\n    return a + b\n\n";
    const reply = `\`\`\`python\n${unit.repeat(12)}def add_two_num`;
    const found = detectRepetition(reply);
    expect(found?.times).toBeGreaterThanOrEqual(10);
    expect(found?.unit.replace(/\s+/g, " ")).toContain("return a + b");
  });
  it("treats a counting loop as repetition", () => {
    const reply = Array.from({ length: 40 }, (_, i) => `print(square(${i}))`).join("\n");
    expect(detectRepetition(reply)).toBeDefined();
  });
  it("finds nothing in ordinary long code", () => {
    const names = ["area", "perimeter", "volume", "surface", "diagonal", "ratio", "scale", "mirror", "rotate", "shift"];
    const code = names.map((name, i) => `def ${name}(shape, factor=${i}):\n    """Returns the ${name} of a shape."""\n    return shape.${name}() * factor\n`).join("\n");
    expect(code.length).toBeGreaterThan(600);
    expect(detectRepetition(code)).toBeUndefined();
    expect(detectRepetition("x = 1\n".repeat(2))).toBeUndefined();
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
  it("of several fences keeps the code, not the usage example", () => {
    const reply = "```python\ndef f(x):\n    return x + 1\n```\nExample:\n```\nf(1)\n```";
    expect(extractTaggedCode(reply)).toBe("def f(x):\n    return x + 1\n");
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
