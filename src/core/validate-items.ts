import { taskOfGenerationMessage } from "../llm/prompts.js";
import { readTestSidecar } from "../sandbox/sidecar.js";
import { dialogueSchema } from "../schemas.js";
import { readJsonIfValid } from "../store/atomic.js";
import { generateLayout } from "../store/layout.js";
import type { DatasetItem } from "./dataset.js";
import type { SourceFile } from "./validate.js";

// Where a file's tests and prompt come from: the --dataset item with the file's id first, then what
// generate kept under --out (the tests/<id>.json sidecar, the prompt inside <id>_dialogue.json).

export interface ItemSources {
  outDir: string;
  /** Items of `validate --dataset`, already checked by parseDataset. */
  dataset?: DatasetItem[] | undefined;
  /** False with --no-tests. */
  tests: boolean;
}

/** The files with their tests; a sidecar that does not read back is a usage error before any work. */
export async function attachTests(files: SourceFile[], sources: ItemSources): Promise<SourceFile[]> {
  if (!sources.tests) return files;
  const byId = new Map(sources.dataset?.map((item) => [item.id, item]));
  const attached: SourceFile[] = [];
  for (const file of files) {
    const tests = byId.get(file.id)?.tests ?? (await readTestSidecar(sources.outDir, file.id));
    attached.push(tests ? { ...file, tests } : file);
  }
  return attached;
}

/** What a file without a docstring is judged against: the dataset's prompt for its id, if known. */
export function createPromptFinder(sources: Omit<ItemSources, "tests">): (id: string) => Promise<string | undefined> {
  const byId = new Map(sources.dataset?.map((item) => [item.id, item.prompt]));
  return async (id) => {
    const prompt = byId.get(id);
    if (prompt !== undefined) return prompt.trim() === "" ? undefined : prompt;
    const dialogue = await readJsonIfValid(generateLayout(sources.outDir).dialogue(id), dialogueSchema);
    const user = dialogue?.find((message) => message.role === "user");
    const task = user ? taskOfGenerationMessage(user.content.map((part) => part.text).join("")) : undefined;
    return task?.trim() ? task : undefined;
  };
}
