import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MultipartBody } from "./types.js";

/** An error answered as OpenAI does: `{"error": {"message", "type", "param", "code"}}`. */
export class FakeHttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    details: { type?: string; code?: string | null; param?: string | null; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.type = details.type ?? "invalid_request_error";
    this.code = details.code ?? null;
    this.param = details.param ?? null;
    this.headers = details.headers ?? {};
  }
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, multipart/form-data (through the WHATWG `Request` parser), raw text, or null when empty. */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<unknown> {
  if (raw.length === 0) return null;
  const type = contentType?.toLowerCase() ?? "";
  if (type.startsWith("multipart/form-data")) return parseMultipart(raw, contentType ?? "");
  if (type.includes("json")) {
    try {
      return JSON.parse(raw.toString("utf8"));
    } catch {
      // OpenAI's own wording for an unparsable body.
      throw new FakeHttpError(400, "We could not parse the JSON body of your request.");
    }
  }
  return raw.toString("utf8");
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<MultipartBody> {
  const request = new Request("http://fake.invalid/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: raw,
  });
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new FakeHttpError(400, "Could not parse the multipart form body.");
  }
  const body: MultipartBody = { fields: {}, files: [] };
  for (const [field, value] of form) {
    if (typeof value === "string") {
      body.fields[field] = value;
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    body.files.push({
      field,
      filename: value.name,
      contentType: value.type,
      bytes: bytes.length,
      content: bytes.toString("utf8"),
    });
  }
  return body;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
    "x-request-id": `req_${randomId(32)}`,
    ...headers,
  });
  res.end(payload);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-request-id": `req_${randomId(32)}`,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: FakeHttpError): void {
  sendJson(
    res,
    error.status,
    { error: { message: error.message, type: error.type, param: error.param, code: error.code } },
    error.headers,
  );
}

/** Wait, unless the client goes away first; resolves false when the response can no longer be sent. */
export function waitWhileOpen(res: ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once("close", onClose);
  });
}
