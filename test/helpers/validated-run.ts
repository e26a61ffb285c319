import path from "node:path";
import fs from "fs-extra";
import type { z } from "zod";
import { buildGenerationMessages } from "../../src/llm/prompts.js";
import {
  type ChatMessage,
  type Revision,
  type ValidateRow,
  type validateRowSchema,
  dialogueSchema,
  fileLogSchema,
  generateResultsSchema,
  toDialogue,
  validateResultsSchema,
} from "../../src/schemas.js";
import { writeJsonAtomic, writeTextAtomic } from "../../src/store/atomic.js";
import { generateLayout, validationLayout } from "../../src/store/layout.js";

/** One item of a finished generate + validate run, as the stage 2 tests need it. */
export interface RunFile {
  id: string;
  /** Default "passed". */
  status?: ValidateRow["status"];
  /** The first generated version (code/<id>.py); default a small script unique to the id. */
  first?: string;
  /** The final validated version (validation/Final_code/<id>.py); default the first version. */
  final?: string;
  /** Attempt 1 had a Bandit finding. */
  firstFindings?: boolean;
  /** The judge's verdict on attempt 1 (when it had no findings); default "Correct". */
  firstVerdict?: "Correct" | "Incorrect";
  prompt?: string;
  /** Replaces the whole generation dialogue; null writes none. */
  dialogue?: ChatMessage[] | null;
  /** Write no per-file validation log. */
  noLog?: boolean;
  /** The run was `validate --analyze-only`: no model judged anything. */
  analyzeOnly?: boolean;
}

export function scriptFor(id: string, body = `    return ${JSON.stringify(id)}`): string {
  return [
    '"""',
    `Input Prompt: task ${id}.`,
    `Intention: return the id ${id}.`,
    "Functionality: a function that returns a constant.",
    '"""',
    "",
    "",
    `def solve_${id.replace(/\W/g, "_")}():`,
    body,
    "",
  ].join("\n");
}

export function promptFor(id: string): string {
  return `Write a function that returns the string ${id}.`;
}

const BANDIT_FINDING = {
  test_id: "B602",
  test_name: "subprocess_popen_with_shell_equals_true",
  issue_text: "subprocess call with shell=True identified, security issue.",
  issue_severity: "HIGH",
  issue_confidence: "HIGH",
  issue_cwe: { id: 78, link: "https://cwe.mitre.org/data/definitions/78.html" },
  line_number: 9,
};

function revision(attempt: number, status: Revision["status"], findings: boolean): Revision {
  return {
    attempt,
    pylint_issues: [],
    bandit_issues: findings ? [BANDIT_FINDING] : [],
    bandit_errors: [],
    analyzer_error: null,
    sast_prompt: findings ? "fix these findings" : null,
    sast_response: findings ? "<Code>...</Code>" : null,
    functional_prompt: findings ? null : "does it do what the docstring says?",
    functional_response: findings ? null : status,
    status,
    note: null,
  };
}

/** Writes the files `generate` and `validate` leave under `outDir`, per src/schemas.ts. */
export async function writeValidatedRun(outDir: string, files: readonly RunFile[]): Promise<void> {
  const gen = generateLayout(outDir);
  const val = validationLayout(outDir);
  const rows: Array<z.input<typeof validateRowSchema>> = [];
  for (const file of files) {
    const first = file.first ?? scriptFor(file.id);
    const final = file.final ?? first;
    const status = file.status ?? "passed";
    const prompt = buildGenerationMessages(file.prompt ?? promptFor(file.id));
    const dialogue = file.dialogue === undefined ? [...prompt, { role: "assistant" as const, content: `\`\`\`python\n${first}\`\`\`` }] : file.dialogue;
    if (dialogue) await writeJsonAtomic(gen.dialogue(file.id), dialogueSchema, toDialogue(dialogue));
    await writeTextAtomic(gen.code(file.id), first);
    await writeTextAtomic(val.finalCode(file.id), final);

    const firstStatus = file.firstFindings ? "SAST-Fixed" : (file.firstVerdict ?? "Correct");
    const revisions = [revision(1, firstStatus, file.firstFindings ?? false)];
    if (firstStatus !== "Correct") revisions.push(revision(2, status === "passed" ? "Correct" : "Incorrect", false));
    if (!file.noLog) {
      await writeJsonAtomic(val.fileLog(file.id), fileLogSchema, { filename: `${file.id}.py`, status, revisions });
    }
    rows.push({
      id: file.id,
      status,
      attempts: revisions.length,
      initial_findings: file.firstFindings ? 1 : 0,
      final_findings: 0,
      initial_by_rule: file.firstFindings ? { B602: 1 } : {},
      final_by_rule: {},
      verdict: file.analyzeOnly ? null : status === "passed" ? "Correct" : "Incorrect",
      ...(file.analyzeOnly ? { mode: "analyze-only" as const } : {}),
    });
  }
  await writeJsonAtomic(
    gen.results,
    generateResultsSchema,
    files.map((f) => ({ prompt_id: f.id, status: "success" as const })),
  );
  await writeJsonAtomic(val.results, validateResultsSchema, rows);
}

/** `count` passed files with distinct code, ids item_00, item_01, ... */
export function passedFiles(count: number, prefix = "item"): RunFile[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}_${String(i).padStart(2, "0")}` }));
}

export async function readJsonl(file: string): Promise<unknown[]> {
  const text = await fs.readFile(file, "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);
}

export function finetuneDir(outDir: string): string {
  return path.join(outDir, "finetune");
}
