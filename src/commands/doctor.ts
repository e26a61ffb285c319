import path from "node:path";
import type { z } from "zod";
import { findPython } from "../analyzers/python.js";
import { describeAnalyzers, resolveAnalyzerFlags } from "../analyzers/registry.js";
import { CliError, ExitCode, describeError } from "../errors.js";
import { classifyApiError, createOpenAIClient } from "../llm/client.js";
import { createLocalLlm, physicalCoreCount } from "../llm/local.js";
import { resolveCommandOptions } from "./config.js";
import type { CliContext, RegisterCommand } from "./context.js";
import { doctorOptions, type doctorOptionsSchema } from "./option-schemas.js";
import { addOptions } from "./options.js";
import { ensureWritableDir, resolveBaseUrl } from "./shared.js";

type DoctorOptions = z.output<typeof doctorOptionsSchema>;

interface Check {
  name: string;
  run: () => Promise<string>;
}

export const registerDoctor: RegisterCommand = (program, ctx, done) => {
  addOptions(
    program.command("doctor").description("Check Node, the Python with pylint and bandit, OPENAI_API_KEY, the endpoint, the model and --out; one line each."),
    doctorOptions,
  ).action(async (flags: Record<string, unknown>) => {
      done(await runDoctor(await resolveCommandOptions(ctx, "doctor", flags), ctx));
    });
};

async function runDoctor(options: DoctorOptions, ctx: CliContext): Promise<number> {
  const apiKey = ctx.env.OPENAI_API_KEY?.trim();
  const baseURL = resolveBaseUrl(options.baseUrl);
  const client = apiKey ? createOpenAIClient({ apiKey, baseURL, timeoutMs: options.timeout * 1000, maxRetries: 0 }) : undefined;
  const endpoint = client?.baseURL ?? baseURL ?? "https://api.openai.com/v1";

  const modelChecks: Check[] = options.modelFile ? [localModelCheck(options.modelFile, options.threads, ctx)] : apiChecks();
  const checks: Check[] = [
    {
      name: "node",
      run: async () => {
        const major = Number(process.versions.node.split(".")[0]);
        if (major < 22) throw new Error(`Node ${process.versions.node} is too old: run through npm/npx so the project's pinned Node 24 is used`);
        return `Node ${process.versions.node}`;
      },
    },
    {
      name: "analyzers",
      run: async () => {
        const found = findPython({ flag: options.python, env: ctx.env, cwd: ctx.cwd });
        const selection = resolveAnalyzerFlags({ profile: "default", ...options });
        return describeAnalyzers({ ...selection, python: found.python, from: found.source });
      },
    },
    ...modelChecks,
    {
      name: "output folder",
      run: async () => {
        const out = path.resolve(ctx.cwd, options.out);
        await ensureWritableDir(out, "--out");
        return `${out} is writable`;
      },
    },
  ];

  // Without --model-file: the key, the endpoint and the model at the endpoint.
  function apiChecks(): Check[] {
    return [
      {
        name: "api key",
        run: async () => {
          if (!apiKey) throw new Error("OPENAI_API_KEY is not set: export OPENAI_API_KEY=... (any value for a local server)");
          return "OPENAI_API_KEY is set";
        },
      },
      {
        name: "endpoint",
        run: async () => {
          if (!client) throw new Error(`not checked without OPENAI_API_KEY (${endpoint})`);
          try {
            const models = await client.models.list();
            return `${endpoint} answers (${models.data.length} models listed)`;
          } catch (error) {
            throw new Error(describeApi(error, endpoint, options.model), { cause: error });
          }
        },
      },
      {
        name: "model",
        run: async () => {
          if (!client) throw new Error(`not checked without OPENAI_API_KEY`);
          try {
            await client.models.retrieve(options.model);
            return `${options.model} is available`;
          } catch (error) {
            throw new Error(describeApi(error, endpoint, options.model), { cause: error });
          }
        },
      },
    ];
  }

  let failed = 0;
  for (const check of checks) {
    try {
      ctx.stderr.write(`ok    ${check.name}: ${await check.run()}\n`);
    } catch (error) {
      failed += 1;
      const message = error instanceof CliError && error.hint ? `${error.message} (${error.hint})` : describeError(error);
      ctx.stderr.write(`FAIL  ${check.name}: ${message}\n`);
    }
  }
  ctx.stderr.write(failed === 0 ? "doctor: everything is ready\n" : `doctor: ${failed} check(s) failed\n`);
  return failed === 0 ? ExitCode.ok : ExitCode.dependency;
}

/** --model-file: loads the model in-process (as generate and validate would) and says what it is. */
function localModelCheck(modelFile: string, threads: number | undefined, ctx: CliContext): Check {
  return {
    name: "local model",
    run: async () => {
      const local = await createLocalLlm({ modelFile: path.resolve(ctx.cwd, modelFile), label: modelFile, threads: threads ?? physicalCoreCount(), sequences: 1 });
      await local.close();
      return `${local.description} (no API key or server needed)`;
    },
  };
}

function describeApi(error: unknown, baseURL: string, model: string): string {
  const classified = classifyApiError(error, { baseURL, model });
  if (classified instanceof CliError) return classified.hint ? `${classified.message} (${classified.hint})` : classified.message;
  return describeError(classified);
}
