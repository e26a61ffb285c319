import { z } from "zod";

// The contract between the test-spec parser, the sandbox runner and the validate loop.

/** An item's unit tests, in one of the three accepted forms (normalized from the dataset's fields). */
export type TestSpec =
  /** MBPP: assert statements, with optional imports and setup code run before them. */
  | { kind: "mbpp"; test_list: string[]; test_imports: string[]; test_setup_code: string }
  /** HumanEval: `test` defines check(candidate); entry_point names the function under test. */
  | { kind: "humaneval"; test: string; entry_point: string }
  /** pytest-style `def test_*()` functions that `from solution import ...`. */
  | { kind: "pytest"; tests: string };

export const testRunSchema = z.object({
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Tests that could not run: the solution did not import, setup raised, the harness died. */
  errors: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  timed_out: z.boolean(),
  /** What the model is shown: failing tests, assertions, traceback tails; capped in size. */
  output: z.string(),
});
export type TestRun = z.infer<typeof testRunSchema>;

/** The tests a run's report names as failed or in error (runner.ts writes `FAILED <name>` and `ERROR <name>` lines). */
export function failingTestNames(run: TestRun): string[] {
  return [...run.output.matchAll(/^(?:FAILED|ERROR) (.+)$/gm)].map((match) => match[1] ?? "");
}
