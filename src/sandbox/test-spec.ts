import { z } from "zod";
import type { TestSpec } from "./types.js";

// The three forms a dataset item may carry its unit tests in. When an item has fields of more
// than one form, the first of MBPP, HumanEval, pytest wins (MBPP+ items carry `test_list` beside
// a `test` of another shape), so an item is never run against tests it was not written for.

const nonEmpty = (what: string) => z.string({ error: `must be a string (${what})` }).refine((s) => s.trim() !== "", `must not be empty (${what})`);

const mbppSchema = z.object({
  test_list: z
    .array(nonEmpty("a Python assert statement"), { error: "must be a list of strings (Python assert statements)" })
    .min(1, "must list at least one assert statement"),
  test_imports: z.array(z.string(), { error: "must be a list of strings (import statements)" }).nullish(),
  test_setup_code: z.string({ error: "must be a string of Python code" }).nullish(),
});

const humanEvalSchema = z.object({
  test: nonEmpty("Python code that defines check(candidate)").refine(
    (code) => /^\s*def\s+check\s*\(/m.test(code),
    "must define check(candidate) (HumanEval form)",
  ),
  entry_point: z
    .string({ error: "must be a string naming the function under test (HumanEval form)" })
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a Python function name"),
});

const pytestSchema = z.object({
  tests: nonEmpty("pytest-style test functions that import from `solution`").refine(
    (code) => /^\s*(?:async\s+)?def\s+test|^\s*class\s+Test/m.test(code),
    "must define at least one test_* function",
  ),
});

/** A spec as stored on disk (the test sidecars), checked when read back. */
export const testSpecSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("mbpp"), test_list: z.array(z.string()).min(1), test_imports: z.array(z.string()), test_setup_code: z.string() }),
  z.object({ kind: z.literal("humaneval"), test: z.string().min(1), entry_point: z.string().min(1) }),
  z.object({ kind: z.literal("pytest"), tests: z.string().min(1) }),
]) satisfies z.ZodType<TestSpec>;

/** A dataset item's test fields are present but malformed; the message names the field. */
export class TestSpecError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`\`${field}\` ${message}`);
    this.name = "TestSpecError";
    this.field = field;
  }
}

const present = (value: unknown) => value !== undefined && value !== null;

/**
 * The unit tests of one dataset item, or undefined when it has none. Throws TestSpecError
 * (naming the field) when test fields are present but malformed; callers add the item's id.
 */
export function parseTestSpec(item: Record<string, unknown>): TestSpec | undefined {
  if (present(item.test_list)) {
    const data = check(mbppSchema, item);
    return { kind: "mbpp", test_list: data.test_list, test_imports: data.test_imports ?? [], test_setup_code: data.test_setup_code ?? "" };
  }
  for (const stray of ["test_imports", "test_setup_code"] as const) {
    if (present(item[stray])) throw new TestSpecError(stray, "needs a `test_list` beside it (MBPP form)");
  }
  if (present(item.test)) {
    if (!present(item.entry_point)) throw new TestSpecError("entry_point", "is missing: a HumanEval `test` needs the name of the function it checks");
    const data = check(humanEvalSchema, item);
    return { kind: "humaneval", test: data.test, entry_point: data.entry_point };
  }
  if (present(item.tests)) return { kind: "pytest", tests: check(pytestSchema, item).tests };
  return undefined;
}

function check<S extends z.ZodType>(schema: S, item: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const [field, index] = issue?.path ?? [];
  const where = typeof index === "number" ? `${String(field)}[${index}]` : String(field);
  throw new TestSpecError(where, issue?.message ?? "is invalid");
}

/** How many tests a spec holds, as far as can be told without running Python. */
export function countTests(spec: TestSpec): number {
  if (spec.kind === "mbpp") return spec.test_list.length;
  if (spec.kind === "humaneval") return 1;
  return Math.max(1, spec.tests.match(/^\s*(?:async\s+)?def\s+test/gm)?.length ?? 0);
}
