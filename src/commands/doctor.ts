import path from "node:path";
import type OpenAI from "openai";
import type { z } from "zod";
import { findPython } from "../analyzers/python.js";
import { describeAnalyzers, resolveAnalyzerFlags } from "../analyzers/registry.js";
import { CliError, ExitCode, describeError } from "../errors.js";
import { classifyApiError } from "../llm/client.js";
import { createLocalLlm, physicalCoreCount } from "../llm/local.js";
import { sandboxStatus } from "../sandbox/runner.js";
import { type ResolvedOptions, resolveCommandOptionsWithSources, untrustedError, untrustedSettings } from "./config.js";
import type { CliContext, RegisterCommand } from "./context.js";
import { doctorOptions, type doctorOptionsSchema } from "./option-schemas.js";
import { addOptions, flagName, type OptionSource, type OptionTable } from "./options.js";
import { connectApi } from "./model-client.js";
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
    done(await runDoctor(await resolveCommandOptionsWithSources(ctx, "doctor", flags, { enforceTrust: false }), ctx));
  });
};

async function runDoctor(resolved: ResolvedOptions<"doctor">, ctx: CliContext): Promise<number> {
  // Settings an untrusted config file tried to set are not used, not even to probe them.
  const untrusted = untrustedSettings("doctor", resolved);
  const options: DoctorOptions = { ...resolved.options };
  for (const key of untrusted) (options as Record<string, unknown>)[key] = (doctorOptions as OptionTable)[key]?.schema.safeParse(undefined).data;
  const baseURL = resolveBaseUrl(options.baseUrl);

  const modelChecks: Check[] = options.modelFile ? [localModelCheck(options.modelFile, options.threads, ctx)] : apiChecks();
  const checks: Check[] = [
    {
      name: "settings",
      run: async () => {
        if (untrusted.length > 0) throw untrustedError("doctor", untrusted);
        return describeSettings(options, resolved.sources);
      },
    },
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
    {
      name: "test sandbox",
      run: async () => {
        const status = await sandboxStatus(findPython({ flag: options.python, env: ctx.env, cwd: ctx.cwd }).python, ctx.env);
        if (!status.ok) throw new CliError(`tests cannot run: ${status.reason}`, { exitCode: ExitCode.dependency, hint: status.hint });
        return status.detail;
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
    // The same connection generate, validate and finetune make: the key checked, redacted, no retries here.
    let client: OpenAI | undefined;
    let endpoint = baseURL ?? "https://api.openai.com/v1";
    return [
      {
        name: "api key",
        run: async () => {
          client = connectApi(ctx, { baseUrl: baseURL, timeoutMs: options.timeout * 1000, maxRetries: 0 }).sdk;
          endpoint = client.baseURL;
          return "OPENAI_API_KEY is set";
        },
      },
      {
        name: "endpoint",
        run: async () => {
          if (!client) throw new Error(`not checked without a usable OPENAI_API_KEY (${endpoint})`);
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
          if (!client) throw new Error("not checked without a usable OPENAI_API_KEY");
          try {
            await client.models.retrieve(options.model);
            return `${options.model} is available`;
          } catch (error) {
            // Some servers list their models but have no GET /models/{id}: the list decides then.
            const listed = await client.models.list().then(
              (page) => page.data.some((model) => model.id === options.model),
              () => false,
            );
            if (listed) return `${options.model} is available (listed by GET /models)`;
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

/** Each effective setting and where it came from: default, config file, environment or flag. */
function describeSettings(options: DoctorOptions, sources: Record<string, OptionSource>): string {
  const parts = Object.entries(options)
    .filter(([key]) => key !== "config")
    .map(([key, value]) => `${flagName(key).slice(2)} ${value === undefined ? "(unset)" : String(value)} (${describeSource(sources[key])})`);
  return parts.join(", ");
}

function describeSource(source: OptionSource | undefined): string {
  switch (source?.kind) {
    case "config":
      return `config file ${source.file}`;
    case "env":
      return source.name;
    case "flag":
      return "flag";
    default:
      return "default";
  }
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
