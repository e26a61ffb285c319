import { promptText, type ChatCompletionRequestBody, type FakeReply, type Responder } from "./fake-openai.js";

/** What the tool is asking for, read from its own prompt wording (src/llm/prompts.ts). */
export type RequestKind = "generate" | "docstring-retry" | "fix" | "fix-tests" | "judge";

export function classifyRequest(request: ChatCompletionRequestBody): RequestKind {
  const last = request.messages[request.messages.length - 1];
  const text = last ? promptText(last) : "";
  if (text.includes("Static analysis of the Python program")) return "fix";
  if (text.includes("fails its unit tests")) return "fix-tests";
  if (text.includes("Does the Python code below do what its specification")) return "judge";
  if (text.includes("Send the whole script again")) return "docstring-retry";
  return "generate";
}

/** The task text of a generation request (what follows "Task:"). */
export function taskOf(request: ChatCompletionRequestBody): string {
  const user = request.messages.find((m) => m.role === "user");
  const text = user ? promptText(user) : "";
  return text.split("\nTask:\n")[1] ?? text;
}

/** The body between <Code> tags in a fix or judge prompt. */
export function bodyOf(request: ChatCompletionRequestBody): string {
  const last = request.messages[request.messages.length - 1];
  const text = last ? promptText(last) : "";
  return /<Code>\n([\s\S]*?)<\/Code>/.exec(text)?.[1] ?? "";
}

export function scriptFor(task: string, body = "def solve(values):\n    return sorted(values)\n"): string {
  return `"""\nInput Prompt: ${task.split("\n")[0]}\nIntention: solve the task.\nFunctionality: ${body.includes("def ") ? "defines a function" : "runs a script"}.\n"""\n${body}`;
}

export function fenced(code: string): string {
  return `Here is the script.\n\`\`\`python\n${code}\`\`\`\n`;
}

export interface ModelBehaviour {
  generate?: (request: ChatCompletionRequestBody) => FakeReply;
  fix?: (request: ChatCompletionRequestBody, body: string) => FakeReply;
  judge?: (request: ChatCompletionRequestBody, body: string) => FakeReply;
  /** A request to make failing unit tests pass; by default the body comes back unchanged. */
  fixTests?: (request: ChatCompletionRequestBody, body: string) => FakeReply;
}

/**
 * A well-behaved model: scripts with the three-section docstring, fixes that remove what the
 * analyzers flag, and `Correct` verdicts. Each part can be overridden.
 */
export function cooperativeModel(behaviour: ModelBehaviour = {}): Responder {
  return (request) => {
    const kind = classifyRequest(request);
    if (kind === "fix") return behaviour.fix?.(request, bodyOf(request)) ?? { content: `<Code>\n${secureRewrite(bodyOf(request))}</Code>` };
    if (kind === "judge") return behaviour.judge?.(request, bodyOf(request)) ?? { content: "Correct" };
    if (kind === "fix-tests") return behaviour.fixTests?.(request, bodyOf(request)) ?? { content: `<Code>\n${bodyOf(request)}</Code>` };
    return behaviour.generate?.(request) ?? { content: fenced(scriptFor(taskOf(request))) };
  };
}

/** What a model asked to fix the usual Bandit findings would do, for the fixtures we use. */
export function secureRewrite(body: string): string {
  return body
    .replace(/import subprocess\n/g, "import shlex\nimport subprocess  # used with an argument list\n")
    .replace(/subprocess\.(call|run|Popen|check_output)\(([^,\n]+), shell=True\)/g, "subprocess.$1(shlex.split($2), shell=False)")
    .replace(/hashlib\.md5\(/g, "hashlib.sha256(")
    .replace(/hashlib\.sha1\(/g, "hashlib.sha256(")
    .replace(/yaml\.load\(([^)]*)\)/g, "yaml.safe_load($1)")
    .replace(/\beval\(/g, "ast.literal_eval(")
    .replace(/random\.randint\(/g, "secrets.SystemRandom().randint(")
    .replace(/^import random$/m, "import secrets");
}
