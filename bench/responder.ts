import { appendFileSync } from "node:fs";
import { promptText, type ChatCompletionRequestBody, type FakeReply, type Responder } from "../test/helpers/fake-openai.js";

/**
 * The benchmark's model for test/helpers/serve-fake-openai.ts: a cooperative model for both
 * codeenhancer and bench/original_validator.py. It writes a script for each generation task, fixes
 * the insecure hash the analyzers flag, and judges every body "Correct". For the tests section it
 * also writes wrong first drafts (`tally_*` and `recount_*` functions skip the first value) and
 * fixes them when codeenhancer's test-fix request shows the failing tests; a `recount_*` draft's
 * first test fix breaks other tests (for the test gate to refuse), the one after that is right.
 *
 * When BENCH_CALL_LOG is set, every call appends one line `<epoch ms> <kind>` to that file, so the
 * bench (another process) can count each side's calls and see when the server answered them.
 */

type Kind = "generate" | "docstring-retry" | "fix-ce" | "test-fix-ce" | "judge-ce" | "fix-orig" | "judge-orig";

// codeenhancer's wording (src/llm/prompts.ts) and bench/original_validator.py's own wording.
const MARKERS: Array<[string, Kind]> = [
  ["Static analysis of the Python program", "fix-ce"],
  ["fails its unit tests", "test-fix-ce"],
  ["Does the Python code below do what its specification", "judge-ce"],
  ["Bandit and Pylint reported these issues", "fix-orig"],
  ["Check whether the code below satisfies its docstring", "judge-orig"],
  ["Send the whole script again", "docstring-retry"],
];

const callLog = process.env["BENCH_CALL_LOG"];

function lastText(request: ChatCompletionRequestBody): string {
  const last = request.messages[request.messages.length - 1];
  return last ? promptText(last) : "";
}

function classify(text: string): Kind {
  for (const [marker, kind] of MARKERS) if (text.includes(marker)) return kind;
  return "generate";
}

/** The body between <Code> tags in a fix or judge prompt (both tools put it on lines of its own). */
function bodyOf(text: string): string {
  return /<Code>\n([\s\S]*?)<\/Code>/.exec(text)?.[1] ?? "";
}

/** What a model asked to fix Bandit's weak-hash findings (B324) would do. */
function secureRewrite(body: string): string {
  return body.replace(/hashlib\.(md5|sha1)\(/g, "hashlib.sha256(");
}

/** The first draft's bug, the right loop, and a "fix" that breaks the tests the draft passed. */
const DRAFT_LOOP = "    for value in values[1:]:";
const RIGHT_LOOP = "    for value in values:";
const WORSE_STEP = "        result += value + 1";

/** What a model shown the failing tests would send: the right loop, or for `recount_*` at first a worse one. */
function testFix(text: string): string {
  const body = bodyOf(text);
  const fixed = body.replace(DRAFT_LOOP, RIGHT_LOOP);
  const firstTry = !text.includes("Your previous fix was not accepted");
  return /^def recount_/m.test(body) && firstTry ? fixed.replace("        result += value", WORSE_STEP) : fixed;
}

/** The task text of a generation request: what follows "Task:" in codeenhancer's prompt. */
function taskOf(request: ChatCompletionRequestBody): string {
  const user = request.messages.find((m) => m.role === "user");
  const text = user ? promptText(user) : "";
  return (text.split("\nTask:\n")[1] ?? text).trim();
}

/**
 * A script for a bench task. Tasks that ask for a "digest" get a weak hash (one Bandit finding,
 * B324), the others a clean loop (one that skips the first value for `tally_*` and `recount_*`);
 * the function name is the task's `function <name>`.
 */
export function scriptFor(task: string): string {
  const name = /\bfunction (\w+)/.exec(task)?.[1] ?? "solve";
  const docstring = [
    '"""',
    `Input Prompt: ${task.split("\n")[0] ?? ""}`,
    "Intention: give the caller a small, reusable helper for the task.",
    "Functionality: defines one pure function that computes the result from its argument.",
    '"""',
  ].join("\n");
  const code = task.includes("digest")
    ? [
        "import hashlib",
        "",
        "",
        `def ${name}(text):`,
        '    """Return the hexadecimal digest of the UTF-8 encoded text."""',
        '    return hashlib.md5(text.encode("utf-8")).hexdigest()',
      ]
    : [
        `def ${name}(values):`,
        '    """Return the sum of the numbers in values."""',
        "    result = 0",
        /^(tally|recount)_/.test(name) ? DRAFT_LOOP : RIGHT_LOOP,
        "        result += value",
        "    return result",
      ];
  return `${docstring}\n${code.join("\n")}\n`;
}

const responder: Responder = (request): FakeReply => {
  const text = lastText(request);
  const kind = classify(text);
  if (callLog) appendFileSync(callLog, `${Date.now()} ${kind}\n`);
  switch (kind) {
    case "fix-ce":
    case "fix-orig":
      return { content: `<Code>\n${secureRewrite(bodyOf(text))}</Code>` };
    case "test-fix-ce":
      return { content: `<Code>\n${testFix(text)}</Code>` };
    case "judge-ce":
    case "judge-orig":
      return { content: "Correct" };
    default:
      return { content: `Here is the script.\n\`\`\`python\n${scriptFor(taskOf(request))}\`\`\`\n` };
  }
};

export default responder;
