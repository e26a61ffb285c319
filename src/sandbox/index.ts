// The test sandbox's API: what validate, doctor and generate use. See README "The test sandbox".
//
//   const runner = await createTestRunner({ python, timeoutMs });   // throws CliError exit 3 if no sandbox
//   const run: TestRun = await runner.run(code, spec, signal);       // {passed, failed, errors, total, timed_out, output}
//   await runner.close();
//
// Specs come from dataset items (parseTestSpec, or DatasetItem.tests) or from the sidecars that
// generate writes (readTestSidecar). sandboxStatus() says whether tests can run, for doctor.
export type { TestRun, TestSpec } from "./types.js";
export { testRunSchema } from "./types.js";
export { countTests, parseTestSpec, testSpecSchema, TestSpecError } from "./test-spec.js";
export { readTestSidecar, syncTestSidecar, testSidecarSchema, writeTestSidecar } from "./sidecar.js";
export {
  createTestRunner,
  DEFAULT_TEST_TIMEOUT_MS,
  sandboxStatus,
  type SandboxStatus,
  type TestRunner,
  type TestRunnerOptions,
} from "./runner.js";
export { DEFAULT_LIMITS, type SandboxLimits } from "./bwrap.js";
