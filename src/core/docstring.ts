import { DOCSTRING_SECTIONS } from "../llm/prompts.js";

export interface SplitSource {
  /** The module docstring, quotes included, exactly as written. */
  docstring: string;
  /** Everything else: what the model is asked to change. */
  body: string;
  /** True when the source had no docstring with the three sections and a template was used. */
  templated: boolean;
  /** The line of the source (1-based) where the body begins, for mapping the source's line numbers. */
  bodyLine: number;
}

const TEMPLATE = `"""\n${DOCSTRING_SECTIONS.map((s) => `${s}:`).join("\n")}\n"""`;

/** Triple-quoted strings with an optional prefix (r, u, b...), either quote style. */
const TRIPLE_QUOTED = /(?:(?<!\w)[rRuUbBfF]{1,2})?("""|''')[\s\S]*?\1/g;

/**
 * Splits off the module docstring: the first triple-quoted string holding all three section
 * names. Without one, an empty template with the three headings stands in (as in the original).
 */
export function splitDocstring(source: string): SplitSource {
  for (const match of source.matchAll(TRIPLE_QUOTED)) {
    const text = match[0];
    if (DOCSTRING_SECTIONS.every((section) => text.includes(section))) {
      const start = match.index;
      const before = source.slice(0, start);
      const after = source.slice(start + text.length);
      const rest = after.replace(/^[ \t]*\n/, "").replace(/^\s*\n/, "");
      const body = `${before.replace(/\s+$/, "")}${before.trim() ? "\n" : ""}${rest}`;
      // With code above the docstring the body is not one run of the source: count from the top.
      const bodyLine = before.trim() ? 1 : lineCount(source.slice(0, source.length - rest.length)) + 1;
      return { docstring: text, body: body.trimStart() === "" ? "" : body.replace(/^\n+/, ""), templated: false, bodyLine };
    }
  }
  return { docstring: TEMPLATE, body: source, templated: true, bodyLine: 1 };
}

function lineCount(text: string): number {
  return text.split("\n").length - 1;
}

/** The docstring back on top of a body. */
export function joinDocstring(docstring: string, body: string): string {
  const code = body.replace(/^\n+/, "").replace(/\s+$/, "");
  return code === "" ? `${docstring}\n` : `${docstring}\n${code}\n`;
}

/** How many lines the docstring takes above the body in `joinDocstring`'s output. */
export function docstringLineCount(docstring: string): number {
  return docstring.split("\n").length;
}
