import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Model } from "openai/resources/models";
import { buildCompletion, faultToError, isDestroy, isFault, isHang, validateChatRequest } from "./chat.js";
import { FileStore } from "./files.js";
import { FineTuningStore } from "./fine-tuning.js";
import { FakeHttpError, parseBody, readBody, sendError, sendJson, sendText, waitWhileOpen } from "./http.js";
import type {
  ChatCompletionRequestBody,
  FakeFineTuningJob,
  FakeOpenAI,
  FakeOpenAIOptions,
  FakeReply,
  RecordedRequest,
  Responder,
  ResponderContext,
  StoredFile,
} from "./types.js";

export const DEFAULT_MODELS: readonly string[] = ["gpt-4o", "gpt-4o-2024-08-06", "gpt-4o-mini"];

const CHAT_PATH = "/v1/chat/completions";
// Fixed so model objects are stable across runs.
const MODEL_CREATED_AT = 1_715_367_049;

const defaultResponder: Responder = () => ({ content: "This is a reply from the fake OpenAI server." });

interface RouteCall {
  /** The decoded path parameter, when the route has one. */
  id: string;
  query: Record<string, string>;
  body: unknown;
  res: ServerResponse;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Returns the JSON body of a 200, or undefined when it answered itself. */
  handle: (call: RouteCall) => unknown;
}

/** Start the fake on 127.0.0.1; give `url` to the SDK as `baseURL`. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const fake = new FakeOpenAIServer(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

class FakeOpenAIServer implements FakeOpenAI {
  private readonly options: FakeOpenAIOptions;
  private readonly server: Server;
  private readonly recorded: RecordedRequest[] = [];
  private readonly queue: FakeReply[] = [];
  private readonly fileStore = new FileStore();
  private readonly fineTuning: FineTuningStore;
  private readonly fineTunedModels: string[] = [];
  private responder: Responder;
  private chatCalls = 0;
  private inFlightNow = 0;
  private inFlightMax = 0;
  private closing: Promise<void> | undefined;

  private readonly routes: Route[] = [
    { method: "GET", pattern: /^\/v1\/models$/, handle: () => this.listModels() },
    { method: "GET", pattern: /^\/v1\/models\/([^/]+)$/, handle: ({ id }) => this.retrieveModel(id) },
    { method: "POST", pattern: /^\/v1\/files$/, handle: ({ body }) => this.fileStore.upload(body) },
    { method: "GET", pattern: /^\/v1\/files$/, handle: ({ query }) => this.fileStore.list(query["purpose"]) },
    { method: "GET", pattern: /^\/v1\/files\/([^/]+)$/, handle: ({ id }) => this.fileStore.retrieve(id) },
    { method: "DELETE", pattern: /^\/v1\/files\/([^/]+)$/, handle: ({ id }) => this.fileStore.delete(id) },
    {
      method: "GET",
      pattern: /^\/v1\/files\/([^/]+)\/content$/,
      handle: ({ id, res }) => sendText(res, 200, this.fileStore.get(id).content, "application/octet-stream"),
    },
    { method: "POST", pattern: /^\/v1\/fine_tuning\/jobs$/, handle: ({ body }) => this.fineTuning.create(body) },
    { method: "GET", pattern: /^\/v1\/fine_tuning\/jobs$/, handle: ({ query }) => this.fineTuning.list(query) },
    { method: "GET", pattern: /^\/v1\/fine_tuning\/jobs\/([^/]+)$/, handle: ({ id }) => this.fineTuning.retrieve(id) },
    {
      method: "GET",
      pattern: /^\/v1\/fine_tuning\/jobs\/([^/]+)\/events$/,
      handle: ({ id, query }) => this.fineTuning.events(id, query),
    },
    {
      method: "POST",
      pattern: /^\/v1\/fine_tuning\/jobs\/([^/]+)\/cancel$/,
      handle: ({ id }) => this.fineTuning.cancel(id),
    },
  ];

  constructor(options: FakeOpenAIOptions) {
    this.options = options;
    this.responder = options.responder ?? defaultResponder;
    this.fineTuning = new FineTuningStore(options.fineTune ?? {}, {
      files: this.fileStore,
      checkModel: (model) => {
        if (options.rejectUnknownModels) this.assertKnownModel(model);
      },
      onModelCreated: (model) => this.fineTunedModels.push(model),
    });
    this.server = createServer((req, res) => void this.handle(req, res));
    // Longer than undici's 4 s idle keep-alive, so the client drops idle sockets before the server does
    // and never reuses one the server is closing (an ECONNRESET race).
    this.server.keepAliveTimeout = 10_000;
  }

  async listen(port: number): Promise<void> {
    // A deep backlog so hundreds of concurrent connects are queued rather than refused.
    this.server.listen({ port, host: "127.0.0.1", backlog: 1024 });
    await once(this.server, "listening");
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get requests(): readonly RecordedRequest[] {
    return this.recorded;
  }

  get files(): readonly StoredFile[] {
    return this.fileStore.files;
  }

  get jobs(): readonly FakeFineTuningJob[] {
    return this.fineTuning.jobs;
  }

  get chatCallCount(): number {
    return this.chatCalls;
  }

  get inFlight(): number {
    return this.inFlightNow;
  }

  get maxInFlight(): number {
    return this.inFlightMax;
  }

  chatRequests(): ChatCompletionRequestBody[] {
    return this.recorded
      .filter((request) => request.method === "POST" && request.path === CHAT_PATH)
      .map((request) => request.body as ChatCompletionRequestBody);
  }

  setResponder(responder: Responder): void {
    this.responder = responder;
  }

  enqueue(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }

  reset(): void {
    this.recorded.length = 0;
    this.queue.length = 0;
    this.responder = this.options.responder ?? defaultResponder;
    this.chatCalls = 0;
    this.inFlightMax = this.inFlightNow;
    this.fileStore.clear();
    this.fineTuning.clear();
    this.fineTunedModels.length = 0;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // Hanging replies and idle keep-alive sockets would otherwise hold close() open.
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req.headers),
      body: null,
    };
    this.recorded.push(record);
    const chat = method === "POST" && url.pathname === CHAT_PATH ? this.beginChat(res) : undefined;

    try {
      const raw = await readBody(req);
      // Kept as text when it does not parse, so a test can still see what was sent.
      record.body = raw.length === 0 ? null : raw.toString("utf8");
      record.body = await parseBody(raw, req.headers["content-type"]);
      if (!(await waitWhileOpen(res, this.options.latencyMs ?? 0))) return;
      this.checkAuth(record.headers);
      if (chat) {
        await this.completeChat(record.body, chat, res);
        return;
      }
      const result = this.route(method, url.pathname, record.query, record.body, res);
      if (result !== undefined) sendJson(res, 200, result);
    } catch (error) {
      sendError(res, error instanceof FakeHttpError ? error : internalError(error));
    }
  }

  private async completeChat(body: unknown, ctx: ResponderContext, res: ServerResponse): Promise<void> {
    const request = validateChatRequest(body);
    if (this.options.rejectUnknownModels) this.assertKnownModel(request.model);
    const reply = this.queue.shift() ?? (await this.askResponder(request, ctx));
    if (isHang(reply)) return;
    if (!(await waitWhileOpen(res, reply.delayMs ?? 0))) return;
    if (isDestroy(reply)) {
      res.destroy();
      return;
    }
    if (isFault(reply)) throw faultToError(reply);
    sendJson(res, 200, buildCompletion(request, reply));
  }

  private async askResponder(request: ChatCompletionRequestBody, ctx: ResponderContext): Promise<FakeReply> {
    try {
      return await this.responder(request, ctx);
    } catch (error) {
      throw internalError(error, "Fake responder failed");
    }
  }

  private route(method: string, path: string, query: Record<string, string>, body: unknown, res: ServerResponse): unknown {
    for (const route of this.routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (match) return route.handle({ id: decodeURIComponent(match[1] ?? ""), query, body, res });
    }
    // OpenAI's wording for a path or method it does not serve.
    throw new FakeHttpError(404, `Invalid URL (${method} ${path})`);
  }

  /** Count the call and hold an in-flight slot until the response is sent or the client goes away. */
  private beginChat(res: ServerResponse): ResponderContext {
    this.inFlightNow += 1;
    this.inFlightMax = Math.max(this.inFlightMax, this.inFlightNow);
    res.once("close", () => {
      this.inFlightNow -= 1;
    });
    return { callIndex: this.chatCalls++, requestsSoFar: this.recorded.length };
  }

  private checkAuth(headers: Record<string, string>): void {
    const apiKey = this.options.apiKey;
    if (apiKey === undefined || headers["authorization"] === `Bearer ${apiKey}`) return;
    throw new FakeHttpError(401, "Incorrect API key provided", { code: "invalid_api_key" });
  }

  private modelIds(): string[] {
    return [...(this.options.models ?? DEFAULT_MODELS), ...this.fineTunedModels];
  }

  private assertKnownModel(id: string): void {
    if (this.modelIds().includes(id)) return;
    throw new FakeHttpError(404, `The model \`${id}\` does not exist or you do not have access to it.`, {
      code: "model_not_found",
    });
  }

  private toModel(id: string): Model {
    const fineTuned = this.fineTunedModels.includes(id);
    return { id, object: "model", created: MODEL_CREATED_AT, owned_by: fineTuned ? "user-fake" : "system" };
  }

  private listModels(): { object: "list"; data: Model[] } {
    return { object: "list", data: this.modelIds().map((id) => this.toModel(id)) };
  }

  private retrieveModel(id: string): Model {
    this.assertKnownModel(id);
    return this.toModel(id);
  }
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/** A bug in the fake or in a test's responder: a 500 the SDK is told not to retry, so it surfaces at once. */
function internalError(error: unknown, prefix = "Fake OpenAI server failed"): FakeHttpError {
  const message = error instanceof Error ? error.message : String(error);
  return new FakeHttpError(500, `${prefix}: ${message}`, { type: "server_error", headers: { "x-should-retry": "false" } });
}
