/**
 * Run the fake OpenAI server until SIGTERM or SIGINT, for benchmarks and manual runs:
 *
 *   node test/helpers/serve-fake-openai.ts --latency-ms 150 --port 0 [--responder ./my-responder.ts] [--api-key test]
 *
 * Prints one JSON line, {"url": "http://127.0.0.1:<port>/v1"}, to stdout once listening.
 * A responder module exports a Responder as `default` or as `responder`.
 */
import { registerHooks } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Responder } from "./fake-openai.js";

// Node runs .ts files by stripping types but resolves NodeNext's "./x.js" specifiers literally;
// fall back to the .ts source so the helpers (and a .ts responder) import the way tsc checks them.
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!/^\.{1,2}\/.*\.js$/.test(specifier)) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});

const { values } = parseArgs({
  options: {
    "latency-ms": { type: "string", default: "0" },
    port: { type: "string", default: "0" },
    responder: { type: "string" },
    "api-key": { type: "string" },
  },
});

async function loadResponder(path: string): Promise<Responder> {
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown; responder?: unknown };
  const responder = module.responder ?? module.default;
  if (typeof responder !== "function") {
    throw new Error(`${path} must export a responder function as "default" or "responder"`);
  }
  return responder as Responder;
}

const { startFakeOpenAI } = await import("./fake-openai.js");
// By default it answers like a cooperative model: docstring'd scripts, fixes, `Correct` verdicts.
const { cooperativeModel } = await import("./model.js");
const server = await startFakeOpenAI({
  latencyMs: Number(values["latency-ms"]),
  port: Number(values.port),
  responder: values.responder ? await loadResponder(values.responder) : cooperativeModel(),
  ...(values["api-key"] ? { apiKey: values["api-key"] } : {}),
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void server.close();
  });
}
