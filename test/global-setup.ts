import path from "node:path";
import { execa } from "execa";

/** The end-to-end tests spawn the built CLI: build it once, fresh, before any test runs. */
export default async function setup(): Promise<void> {
  const root = path.resolve(import.meta.dirname, "..");
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const result = await execa(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, reject: false, all: true });
  if (result.exitCode !== 0) throw new Error(`build failed before the tests:\n${result.all}`);
}
