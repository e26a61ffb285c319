import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { ROOT } from "./run-cli.js";

/** Where `npm run setup:local-model` (scripts/setup-local-model.mjs) caches the test model. */
export const TEST_GGUF = path.join(
  process.env.CODEENHANCER_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "codeenhancer"),
  "models",
  "SmolLM2-135M-Instruct.Q4_1.gguf",
);

/** Why the local-model test cannot run here (nothing if it can): the model and node-llama-cpp come from the setup step. */
export async function localModelMissing(): Promise<string | undefined> {
  if (!(await fs.pathExists(TEST_GGUF))) return `${TEST_GGUF} is missing: run npm run setup:local-model`;
  if (!(await fs.pathExists(path.join(ROOT, "node_modules", "node-llama-cpp", "package.json")))) {
    return "node-llama-cpp is not installed: run npm run setup:local-model";
  }
  return undefined;
}
