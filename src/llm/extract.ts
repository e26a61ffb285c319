import { DOCSTRING_SECTIONS } from "./prompts.js";

// Pure parsers of model replies.

const FENCE = /```([^\n`]*)\n([\s\S]*?)```/g;

interface FencedBlock {
  /** The info string after the opening fence, lower case (`python`, `py`, `output`, ...). */
  lang: string;
  body: string;
}

function fencedBlocks(reply: string): FencedBlock[] {
  return [...reply.matchAll(FENCE)].map((m) => ({ lang: (m[1] ?? "").trim().toLowerCase(), body: m[2] ?? "" }));
}

export interface ExtractedCode {
  code: string;
  /** Which part of the reply the code came from, for the log (e.g. `block 1 of 2: ```python, docstring sections`). */
  taken: string;
}

/**
 * The code in a generation reply. Real models add "Example usage" or "Output:" fences after the
 * script, so of several fenced blocks the one kept is, in order of preference: the block holding
 * the most docstring sections, then a ```python/```py block, then a block that looks like Python;
 * among equals the longest, then the last. Without a closed fence: everything from the first
 * `def `/`class ` on, else the whole reply. Trailing whitespace is removed from every line and the
 * code ends with exactly one newline.
 */
export function extractCodeFrom(reply: string): ExtractedCode {
  const blocks = fencedBlocks(reply);
  if (blocks.length > 0) {
    const index = pickBlock(blocks);
    const block = blocks[index] as FencedBlock;
    const taken = blocks.length === 1 ? "the only fenced block" : `block ${index + 1} of ${blocks.length}: ${describeBlock(block)}`;
    return { code: normalizeCode(block.body), taken };
  }
  const start = reply.search(/^(?:async\s+)?(?:def|class) /m);
  // A reply that opened a fence and was never closed (e.g. cut off) keeps no stray fence line.
  const code = (start >= 0 ? reply.slice(start) : reply).replace(/^```[^\n]*\n?/gm, "");
  return { code: normalizeCode(code), taken: start >= 0 ? "no fenced block: from the first def/class" : "no fenced block: the whole reply" };
}

/** The code of a generation reply (see extractCodeFrom). */
export function extractCode(reply: string): string {
  return extractCodeFrom(reply).code;
}

/** The index of the block to keep: a lexicographic ranking, ties going to the later block. */
function pickBlock(blocks: FencedBlock[]): number {
  const rank = (block: FencedBlock): number[] => [
    sectionCount(block.body),
    PYTHON_LANGS.has(block.lang) ? 1 : 0,
    looksLikePython(block.body) ? 1 : 0,
    block.body.trim().length,
  ];
  let best = 0;
  let bestRank = rank(blocks[0] as FencedBlock);
  blocks.forEach((block, index) => {
    const candidate = rank(block);
    if (compareRanks(candidate, bestRank) >= 0) {
      best = index;
      bestRank = candidate;
    }
  });
  return best;
}

const PYTHON_LANGS = new Set(["python", "py", "python3"]);

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function sectionCount(code: string): number {
  return DOCSTRING_SECTIONS.filter((section) => code.includes(section)).length;
}

function describeBlock(block: FencedBlock): string {
  const reasons = [`\`\`\`${block.lang}`];
  if (sectionCount(block.body) > 0) reasons.push("docstring sections");
  else if (looksLikePython(block.body)) reasons.push("looks like Python");
  return reasons.join(", ");
}

// A cheap, pure check that a block is a program rather than its output or a shell session: no
// parser, no subprocess (a reply is never executed or imported). Every top-level line must start a
// Python statement, brackets must balance outside strings, and a line ending in ":" opens a block.
const STATEMENT =
  /^(?:@|#|"|'|[rbfuRBFU]{1,2}["']|(?:async\s+)?(?:def|class|for|with)\b|(?:if|elif|else|while|try|except|finally|import|from|return|raise|assert|pass|break|continue|global|nonlocal|del|yield|lambda|match|case|print)\b|[A-Za-z_][\w.]*\s*(?:\[[^\]]*\]\s*)?(?:[-+*/%&|^@]|\/\/|\*\*|>>|<<)?=(?!=)|[A-Za-z_][\w.]*\s*(?:,\s*[A-Za-z_][\w.]*\s*)+=(?!=)|[A-Za-z_][\w.]*\s*:\s*[A-Za-z_]|[A-Za-z_][\w.]*\s*\()/;

export function looksLikePython(code: string): boolean {
  const lines = code.replace(/\r\n?/g, "\n").split("\n");
  let depth = 0;
  let inTriple: string | null = null;
  let statements = 0;
  let opener = false;
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, "");
    const startsInside = depth > 0 || inTriple !== null;
    if (!startsInside && line.trim() !== "") {
      const indented = /^\s/.test(line);
      if (opener && !indented) return false;
      if (!indented && !STATEMENT.test(line)) return false;
      if (!line.trim().startsWith("#")) statements += 1;
    }
    const scan = scanLine(line, depth, inTriple);
    if (scan === undefined) return false;
    ({ depth, inTriple } = scan);
    if (line.trim() !== "" && !line.trim().startsWith("#")) opener = depth === 0 && inTriple === null && /:\s*(?:#.*)?$/.test(line);
  }
  return statements > 0 && depth === 0 && inTriple === null && !opener;
}

/** Bracket depth and open triple-quoted string after a line; undefined when a bracket closes unopened. */
function scanLine(line: string, depth: number, inTriple: string | null): { depth: number; inTriple: string | null } | undefined {
  for (let i = 0; i < line.length; i += 1) {
    if (inTriple !== null) {
      if (line.startsWith(inTriple, i)) {
        i += 2;
        inTriple = null;
      }
      continue;
    }
    const ch = line[i] as string;
    if (ch === "#") break;
    if (line.startsWith('"""', i) || line.startsWith("'''", i)) {
      inTriple = line.slice(i, i + 3);
      i += 2;
    } else if (ch === '"' || ch === "'") {
      const end = closingQuote(line, i);
      if (end < 0) return undefined;
      i = end;
    } else if ("([{".includes(ch)) {
      depth += 1;
    } else if (")]}".includes(ch)) {
      depth -= 1;
      if (depth < 0) return undefined;
    }
  }
  return { depth, inTriple };
}

function closingQuote(line: string, start: number): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i += 1) {
    if (line[i] === "\\") i += 1;
    else if (line[i] === quote) return i;
  }
  return -1;
}

/**
 * How a reply that ran into the token limit repeats itself, if it does: the shortest unit that
 * repeats back to back at least 3 times over at least 200 characters at the end of the reply
 * (digits count as equal, so `case 1`, `case 2`, ... is a loop too). Undefined otherwise.
 */
export function detectRepetition(reply: string): { unit: string; times: number } | undefined {
  const text = reply.replace(/\s+$/, "");
  const key = text.replace(/\d/g, "0");
  const n = key.length;
  for (let period = 1; period <= Math.min(400, Math.floor(n / 3)); period += 1) {
    let run = 0;
    while (run < n - period && key[n - 1 - run] === key[n - 1 - run - period]) run += 1;
    const covered = run + period;
    if (covered >= 3 * period && covered >= 200) {
      return { unit: text.slice(n - period), times: Math.floor(covered / period) };
    }
  }
  return undefined;
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

/** The body inside `<Code>...</Code>` (any case), else the fenced block extractCodeFrom would keep; undefined if neither. */
export function extractTaggedCode(reply: string): string | undefined {
  const tagged = [...reply.matchAll(/<code>\s*\n?([\s\S]*?)<\/code>/gi)].map((m) => m[1] ?? "");
  let body = tagged.length > 0 ? tagged[tagged.length - 1] : undefined;
  // Some models put a fence inside the tags, or answer with fences only (code, then example usage).
  const blocks = fencedBlocks(body ?? reply);
  if (blocks.length > 0) body = blocks[pickBlock(blocks)]?.body;
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
