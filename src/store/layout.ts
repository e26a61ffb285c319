import path from "node:path";

/** The generate output layout under `--out`, with the original's file names. */
export function generateLayout(outDir: string) {
  return {
    codeDir: path.join(outDir, "code"),
    code: (id: string) => path.join(outDir, "code", `${id}.py`),
    dialogue: (id: string) => path.join(outDir, `${id}_dialogue.json`),
    results: path.join(outDir, "results.json"),
    allDialogues: path.join(outDir, "all_dialogues.json"),
    missingDocstrings: path.join(outDir, "missing_docstrings.txt"),
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
