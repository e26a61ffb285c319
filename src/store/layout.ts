import path from "node:path";
import type { ExportFormat } from "../stage2-schemas.js";

/** The generate output layout under `--out`, with the original's file names. */
export function generateLayout(outDir: string) {
  return {
    codeDir: path.join(outDir, "code"),
    code: (id: string) => path.join(outDir, "code", `${id}.py`),
    dialogue: (id: string) => path.join(outDir, `${id}_dialogue.json`),
    /** The item's unit tests, kept for validate (src/sandbox/sidecar.ts). */
    tests: (id: string) => path.join(outDir, "tests", `${id}.json`),
    results: path.join(outDir, "results.json"),
    allDialogues: path.join(outDir, "all_dialogues.json"),
    missingDocstrings: path.join(outDir, "missing_docstrings.txt"),
    /** The hash of the prompt each item's code was made from, for resume. */
    promptRecord: (id: string) => path.join(outDir, ".codeenhancer", "prompts", `${id}.json`),
  };
}

/** The validate output layout under `<out>/validation/`, with the original's file names. */
export function validationLayout(outDir: string) {
  const root = path.join(outDir, "validation");
  return {
    root,
    attemptDir: (attempt: number) => path.join(root, `attempt_${attempt}`),
    attempt: (id: string, attempt: number) => path.join(root, `attempt_${attempt}`, `${id}_attempt_${attempt}.py`),
    finalCode: (id: string) => path.join(root, "Final_code", `${id}.py`),
    fileLog: (id: string) => path.join(root, `${id}_validation_results.json`),
    allResult: path.join(root, "all_result.json"),
    unresolved: path.join(root, "unresolved.json"),
    results: path.join(root, "results.json"),
  };
}

/** The `<out>/finetune/` layout. */
export function finetuneLayout(outDir: string) {
  const root = path.join(outDir, "finetune");
  return {
    root,
    stats: path.join(root, "stats.json"),
    job: path.join(root, "job.json"),
    train: (format: ExportFormat) => path.join(root, EXPORT_FILES[format].train),
    val: (format: ExportFormat) => path.join(root, EXPORT_FILES[format].val),
  };
}

export const EXPORT_FILES: Record<ExportFormat, { train: string; val: string }> = {
  sft: { train: "train.jsonl", val: "val.jsonl" },
  dpo: { train: "train_dpo.jsonl", val: "val_dpo.jsonl" },
  "trl-dpo": { train: "train_trl_dpo.jsonl", val: "val_trl_dpo.jsonl" },
};
