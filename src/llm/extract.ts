import { DOCSTRING_SECTIONS } from "./prompts.js";

// Pure parsers of model replies.

const FENCE = /```[^\n`]*\n([\s\S]*?)```/g;

/**
 * The code in a generation reply, as the original extracts it: the last fenced block if any,
 * else everything from the first `def ` or `class `, else the whole reply; then trailing
 * whitespace is removed from every line and the file ends with exactly one newline.
 */
export function extractCode(reply: string): string {
  const blocks = [...reply.matchAll(FENCE)].map((m) => m[1] ?? "");
  let code: string;
  if (blocks.length > 0) {
    code = blocks[blocks.length - 1] ?? "";
  } else {
    const start = reply.search(/^(?:async\s+)?(?:def|class) /m);
    code = start >= 0 ? reply.slice(start) : reply;
    // A reply that opened a fence and was never closed (e.g. cut off) keeps no stray fence line.
    code = code.replace(/^```[^\n]*\n?/gm, "");
  }
  return normalizeCode(code);
}

export function normalizeCode(code: string): string {
  const lines = code.replace(/\r\n?/g, "\n").split("\n").map((line) => line.replace(/\s+$/, ""));
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** The docstring sections the code lacks (the original checks that each name appears). */
export function missingSections(code: string): string[] {
  return DOCSTRING_SECTIONS.filter((section) => !code.includes(section));
}

// ---- validation replies --------------------------------------------------------------------

/** The body inside `<Code>...</Code>` (any case), else the last fenced block; undefined if neither. */
export function extractTaggedCode(reply: string): string | undefined {
  const tagged = [...reply.matchAll(/<code>\s*\n?([\s\S]*?)<\/code>/gi)].map((m) => m[1] ?? "");
  let body = tagged.length > 0 ? tagged[tagged.length - 1] : undefined;
  if (body !== undefined) {
    // Some models put a fence inside the tags.
    const inner = [...body.matchAll(FENCE)].map((m) => m[1] ?? "");
    if (inner.length > 0) body = inner[inner.length - 1];
  } else {
    const blocks = [...reply.matchAll(FENCE)].map((m) => m[1] ?? "");
    body = blocks.length > 0 ? blocks[blocks.length - 1] : undefined;
  }
  if (body === undefined) return undefined;
  const normalized = normalizeCode(body);
  return normalized.trim() === "" ? undefined : normalized;
}

export type Verdict =
  | { kind: "correct" }
  | { kind: "incorrect"; body: string; reason: string | null }
  | { kind: "unparseable"; why: string };

/** Reads the judge's reply: `Correct`, or `Incorrect` + `<Code>` + `<Reason>`. */
export function parseVerdict(reply: string): Verdict {
  const text = reply.trim();
  const head = text.replace(/^[*_`#>\s]+/, "");
  const word = /^(correct|incorrect)\b/i.exec(head)?.[1]?.toLowerCase();
  const reason = /<reason>([\s\S]*?)<\/reason>/i.exec(text)?.[1]?.trim() ?? null;
  if (word === "correct") return { kind: "correct" };
  if (word === "incorrect") {
    const body = extractTaggedCode(text);
    if (body === undefined) return { kind: "unparseable", why: "verdict Incorrect without corrected code" };
    return { kind: "incorrect", body, reason };
  }
  // Some models answer with code and a verdict further down; accept an explicit word on its own line.
  if (/^\s*correct\s*\.?\s*$/im.test(text) && !/^\s*incorrect\b/im.test(text)) return { kind: "correct" };
  return { kind: "unparseable", why: "reply is neither `Correct` nor `Incorrect` with <Code>" };
}
