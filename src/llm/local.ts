import { open } from "node:fs/promises";
import os from "node:os";
import { readFileSync } from "node:fs";
import { dependencyError, describeError, usageError } from "../errors.js";
import type { ChatMessage, Usage } from "../schemas.js";
import type { ChatReply, ChatRequest, Llm } from "./client.js";

// `--model-file`: a GGUF model run in-process by node-llama-cpp (llama.cpp's prebuilt binaries from
// npm), behind the same Llm interface as the API client, so prompts, extraction, statuses and logs
// are the same. node-llama-cpp is an optional peer dependency: it is loaded only here, on demand.

export interface LocalLlmOptions {
  /** Absolute path of the .gguf file. */
  modelFile: string;
  /** The path as the user wrote it, for messages. */
  label: string;
  /** CPU threads for evaluation (default: physicalCoreCount()). */
  threads: number;
  /** Context sequences: how many requests are evaluated at once (--concurrency). */
  sequences: number;
  /** Upper bound of each sequence's context, in tokens; less is used when memory is short. */
  maxContextSize?: number;
}

export interface LocalLlm extends Llm {
  /** What was loaded, for doctor and the log: architecture, chat template, context, threads. */
  readonly description: string;
  close(): Promise<void>;
}

const INSTALL_HINT =
  "install it next to codeenhancer without GPU builds: NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --omit=optional node-llama-cpp@3 " +
  `${binaryPackage()}@3 (in a clone of codeenhancer: npm run setup:local-model)`;

/** node-llama-cpp's prebuilt CPU package for this platform. */
function binaryPackage(): string {
  const { platform, arch } = process;
  if (platform === "darwin") return arch === "arm64" ? "@node-llama-cpp/mac-arm64-metal" : "@node-llama-cpp/mac-x64";
  if (platform === "win32") return `@node-llama-cpp/win-${arch}`;
  return `@node-llama-cpp/${platform}-${arch}`;
}

/** Checks that the file exists and is a GGUF file (its first four bytes), before anything is loaded. */
export async function checkGgufFile(file: string, label: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw usageError(`--model-file not found: ${label}`);
    throw usageError(`cannot read --model-file ${label} (${code ?? describeError(error)})`);
  }
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0).catch((error: NodeJS.ErrnoException) => {
      throw usageError(`cannot read --model-file ${label} (${error.code ?? describeError(error)})`);
    });
    if (bytesRead < 4 || magic.toString("latin1") !== "GGUF") {
      throw usageError(`--model-file ${label} is not a GGUF model file (it does not start with "GGUF")`, "download a .gguf file, e.g. from Hugging Face");
    }
  } finally {
    await handle.close();
  }
}

/**
 * Physical CPU cores (hyper-threads share one core's arithmetic units, and more llama.cpp threads
 * than cores slow generation down badly), never more than this process may use.
 */
export function physicalCoreCount(cpuinfo = readCpuinfo()): number {
  const logical = os.availableParallelism();
  const cores = new Set<string>();
  let physical = "0";
  for (const line of cpuinfo.split("\n")) {
    const [key, value] = line.split(":").map((part) => part.trim());
    if (key === "physical id") physical = value ?? "0";
    if (key === "core id") cores.add(`${physical}:${value ?? ""}`);
  }
  return Math.max(1, Math.min(logical, cores.size || logical));
}

function readCpuinfo(): string {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return "";
  }
}

/** Loads the model and creates its context; every failure is one line (exit 2 for the file, 3 for the runtime). */
export async function createLocalLlm(options: LocalLlmOptions): Promise<LocalLlm> {
  await checkGgufFile(options.modelFile, options.label);
  const lib = await importNodeLlamaCpp();
  let llama: Llama;
  try {
    // build "never": use the prebuilt binaries from npm, never download and compile llama.cpp.
    llama = await lib.getLlama({ build: "never", gpu: "auto", maxThreads: options.threads, progressLogs: false, logLevel: "disabled" });
  } catch (error) {
    throw dependencyError(`node-llama-cpp has no usable binary for ${process.platform}-${process.arch}: ${describeError(error)}`, INSTALL_HINT);
  }
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: options.modelFile });
  } catch (error) {
    await llama.dispose();
    throw usageError(`--model-file ${options.label} could not be loaded: ${describeError(error)}`);
  }
  let context: LlamaContext;
  try {
    context = await model.createContext({
      sequences: options.sequences,
      threads: options.threads,
      contextSize: { max: options.maxContextSize ?? 8192 },
    });
  } catch (error) {
    await model.dispose();
    await llama.dispose();
    throw dependencyError(`not enough memory for ${options.sequences} context(s) of ${options.label}: ${describeError(error)}`, "lower --concurrency");
  }

  const free: LlamaContextSequence[] = Array.from({ length: options.sequences }, () => context.getSequence());
  const waiting: Array<(sequence: LlamaContextSequence) => void> = [];
  const acquire = (): Promise<LlamaContextSequence> => {
    const sequence = free.pop();
    return sequence ? Promise.resolve(sequence) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (sequence: LlamaContextSequence) => {
    const next = waiting.shift();
    if (next) next(sequence);
    else free.push(sequence);
  };
  const template = new lib.LlamaChat({ contextSequence: free[0] as LlamaContextSequence });
  const description =
    `${options.label}: ${model.fileInfo.metadata.general?.architecture ?? "unknown architecture"}, ` +
    `chat template ${template.chatWrapper.wrapperName ?? "from the GGUF"}, context ${context.contextSize} tokens x ${options.sequences}, ` +
    `${options.threads} thread(s), ${llama.gpu === false ? "CPU" : llama.gpu}`;
  template.dispose({ disposeSequence: false });

  return {
    description,
    async chat(request: ChatRequest): Promise<ChatReply> {
      request.signal?.throwIfAborted();
      const sequence = await acquire();
      const chat = new lib.LlamaChat({ contextSequence: sequence });
      const before = sequence.tokenMeter.getState();
      const usage = (): Usage => {
        const used = sequence.tokenMeter.diff(before);
        return { prompt_tokens: used.usedInputTokens, completion_tokens: used.usedOutputTokens, total_tokens: used.usedInputTokens + used.usedOutputTokens };
      };
      try {
        const result = await chat.generateResponse(toHistory(request.messages), {
          maxTokens: request.maxTokens,
          temperature: request.temperature,
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const finishReason = result.metadata.stopReason === "maxTokens" ? "length" : "stop";
        return { content: result.response, refusal: null, finishReason, usage: usage() };
      } catch (error) {
        // A call cut short (Ctrl-C, the per-call time budget) has still spent tokens: say how many.
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), { usage: usage() });
      } finally {
        chat.dispose({ disposeSequence: false });
        release(sequence);
      }
    },
    async close() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/** Our messages as node-llama-cpp's chat history; the GGUF's own chat template renders them. */
function toHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  return messages.map((message) =>
    message.role === "assistant" ? { type: "model", response: [message.content] } : { type: message.role, text: message.content },
  );
}

async function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  // A variable specifier: the package is optional, so neither tsc nor a bundler may require it.
  const specifier = "node-llama-cpp";
  try {
    return (await import(specifier)) as NodeLlamaCpp;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND") throw dependencyError("--model-file needs node-llama-cpp, which is not installed", INSTALL_HINT);
    throw dependencyError(`node-llama-cpp could not be loaded: ${describeError(error)}`, INSTALL_HINT);
  }
}

// The part of node-llama-cpp 3's API used here, declared locally because the package is optional.
type ChatHistoryItem = { type: "system" | "user"; text: string } | { type: "model"; response: string[] };
interface TokenMeterState {
  usedInputTokens: number;
  usedOutputTokens: number;
}
interface LlamaContextSequence {
  tokenMeter: { getState(): TokenMeterState; diff(state: TokenMeterState): TokenMeterState };
}
interface LlamaContext {
  contextSize: number;
  getSequence(): LlamaContextSequence;
  dispose(): Promise<void>;
}
interface LlamaModel {
  fileInfo: { metadata: { general?: { architecture?: string } } };
  createContext(options: { sequences: number; threads: number; contextSize: { max: number } }): Promise<LlamaContext>;
  dispose(): Promise<void>;
}
interface Llama {
  gpu: string | false;
  loadModel(options: { modelPath: string }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}
interface LlamaChat {
  chatWrapper: { wrapperName?: string };
  generateResponse(
    history: ChatHistoryItem[],
    options: { maxTokens: number; temperature: number; signal?: AbortSignal },
  ): Promise<{ response: string; metadata: { stopReason: string } }>;
  dispose(options: { disposeSequence: boolean }): void;
}
interface NodeLlamaCpp {
  getLlama(options: { build: "never"; gpu: "auto"; maxThreads: number; progressLogs: false; logLevel: "disabled" }): Promise<Llama>;
  LlamaChat: new (options: { contextSequence: LlamaContextSequence }) => LlamaChat;
}
