import type { Finding } from "../analyzers/finding.js";
import type { ChatMessage } from "../schemas.js";

// Pure prompt builders: data in, messages out. The wording is ours; the structure follows the
// original scripts (a system + user generation prompt, a corrective turn, a fix prompt and a judge).

export const DOCSTRING_SECTIONS = ["Input Prompt", "Intention", "Functionality"] as const;

const GENERATION_SYSTEM =
  "You are a code generation assistant. You write complete, secure, idiomatic Python 3 programs and answer with code only.";

/** The two messages sent for a dataset prompt at generation time (also the SFT export's system and user turns). */
export function buildGenerationMessages(prompt: string): ChatMessage[] {
  const user = [
    "Write a complete Python script for the task below.",
    "",
    "The script must begin with a triple-quoted module docstring that has exactly these three headed sections:",
    "Input Prompt: the task, restated.",
    "Intention: what the code is for.",
    "Functionality: how the code accomplishes it.",
    "",
    "Answer with the script only, in a single ```python fenced block, with no explanation before or after it.",
    "",
    "Task:",
    prompt,
  ].join("\n");
  return [
    { role: "system", content: GENERATION_SYSTEM },
    { role: "user", content: user },
  ];
}

/** The dataset's prompt inside a generation user message (see buildGenerationMessages), if it is one. */
export function taskOfGenerationMessage(user: string): string | undefined {
  const at = user.indexOf("\nTask:\n");
  return at < 0 ? undefined : user.slice(at + "\nTask:\n".length);
}

/** The corrective turn sent when a reply lacks one of the docstring sections. */
export function buildDocstringCorrection(missing: readonly string[]): ChatMessage {
  return {
    role: "user",
    content: [
      `Your script's module docstring is missing: ${missing.join(", ")}.`,
      "Send the whole script again. Its very first statement must be a triple-quoted docstring with the three headings",
      `${DOCSTRING_SECTIONS.map((s) => `"${s}:"`).join(", ")}, followed by the complete code, all in one \`\`\`python fenced block.`,
    ].join(" "),
  };
}

const VALIDATION_SYSTEM =
  "You are a senior Python engineer and application-security reviewer. You fix code precisely and answer in the requested format only.";

const TOOL_NAMES: Record<string, string> = { pylint: "Pylint", bandit: "Bandit", semgrep: "Semgrep" };

/** One finding as the model reads it: tool, rule, where, how bad, how sure, which weakness, what to change. */
export function describeFindingForModel(f: Finding): string {
  const where = f.line > 0 ? ` at line ${f.line}${f.column !== null ? `, column ${f.column}` : ""}` : "";
  const details = [
    `severity ${f.severity}`,
    ...(f.confidence ? [`confidence ${f.confidence}`] : []),
    ...(f.cwe !== null ? [`CWE-${f.cwe}`] : []),
  ].join(", ");
  return `- ${TOOL_NAMES[f.tool] ?? f.tool} ${f.rule}${where} (${details}): ${f.message}`;
}

export interface FixPromptInput {
  docstring: string;
  body: string;
  /** Every analyzer's findings on the body's current version. */
  findings: readonly Finding[];
  /** How many lines the docstring takes above the body, so line numbers can be mapped. */
  bodyLineOffset: number;
  /** Why the model's previous fix was not accepted, so it does not send the same one again. */
  previousRejection?: string | undefined;
}

/** The prompt asking the model to fix every finding and return the whole corrected body. */
export function buildFixPrompt(input: FixPromptInput): string {
  const findings = input.findings.map(describeFindingForModel);
  return [
    "Static analysis of the Python program below reported these problems",
    `(line numbers count from the top of the file; the body starts at line ${input.bodyLineOffset + 1}):`,
    ...findings,
    "",
    "The program's specification (its module docstring, which you must not change or repeat):",
    input.docstring,
    "",
    "The program's body:",
    "<Code>",
    input.body,
    "</Code>",
    "",
    ...(input.previousRejection ? [`Your previous fix was not accepted: ${input.previousRejection}.`, ""] : []),
    "Fix every problem listed above by changing the code itself, keeping the behaviour the docstring describes.",
    "Do not silence the tools: no `# nosec`, `# nosemgrep` or `# pylint: disable` comments. Do not remove functionality.",
    "Reply with the whole corrected body (without the docstring) between <Code> and </Code>, and nothing else.",
  ].join("\n");
}

/** What the judge and the test-fix prompt hold the code to: its docstring, or the dataset's task. */
export interface Specification {
  kind: "docstring" | "task";
  text: string;
}

function describeSpecification(spec: Specification): string[] {
  return spec.kind === "docstring"
    ? ["Specification (the module docstring):", spec.text]
    : ["Specification (the task the code was written for; the file has no docstring):", spec.text];
}

/** The prompt asking the model whether the body does what its specification says. */
export function buildJudgePrompt(spec: Specification, body: string): string {
  return [
    "Does the Python code below do what its specification says?",
    "A different library or algorithm with the same observable behaviour satisfies the specification.",
    "",
    ...describeSpecification(spec),
    "",
    "Code:",
    "<Code>",
    body,
    "</Code>",
    "",
    "If it does, reply with the single word: Correct",
    "If it does not, reply with the word Incorrect, then the whole corrected code (without the docstring)",
    "between <Code> and </Code>, then a one-sentence explanation between <Reason> and </Reason>.",
  ].join("\n");
}

export interface TestFixPromptInput {
  spec: Specification | null;
  body: string;
  /** "1 of 3 tests pass", as the log says it. */
  summary: string;
  /** The sandbox's report: failing tests, assertions, traceback tails (already capped). */
  output: string;
  previousRejection?: string | undefined;
}

/** The prompt asking the model to make the failing unit tests pass, returning the whole corrected body. */
export function buildTestFixPrompt(input: TestFixPromptInput): string {
  return [
    `The Python program below fails its unit tests: ${input.summary}. What the test run reported:`,
    "<TestOutput>",
    input.output.trimEnd(),
    "</TestOutput>",
    "",
    ...(input.spec ? [...describeSpecification(input.spec), ""] : []),
    "The program's body:",
    "<Code>",
    input.body,
    "</Code>",
    "",
    ...(input.previousRejection ? [`Your previous fix was not accepted: ${input.previousRejection}.`, ""] : []),
    "Fix the code so that the tests pass, keeping its function names and signatures. The tests are fixed: do not",
    "special-case their inputs. Do not silence the analyzers (no `# nosec`, no `# pylint: disable`).",
    "Reply with the whole corrected body (without the docstring) between <Code> and </Code>, and nothing else.",
  ].join("\n");
}

export function buildValidationMessages(prompt: string): ChatMessage[] {
  return [
    { role: "system", content: VALIDATION_SYSTEM },
    { role: "user", content: prompt },
  ];
}
