import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CliError } from "../errors.js";
import { createLlm, createOpenAIClient } from "./client.js";

// Servers that are not the API: an HTML page, a body that is not JSON, nothing listening.

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

async function serve(contentType: string, body: string): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": contentType });
    res.end(body);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const request = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }], temperature: 0, maxTokens: 10 };

async function failure(baseURL: string, maxRetries = 0): Promise<CliError> {
  const error = await createLlm(createOpenAIClient({ apiKey: "sk-test", baseURL, timeoutMs: 5000, maxRetries }))
    .chat(request)
    .then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe("the model client against servers that are not the API", () => {
  it("stops with one line (exit 3) when a chat reply is an HTML page", async () => {
    const error = await failure(await serve("text/html", "<html><body>Welcome to nginx!</body></html>"));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/answered a chat request with something that is not the OpenAI API's JSON/);
  });

  it("stops with one line (exit 3) when a JSON reply is not JSON", async () => {
    const error = await failure(await serve("application/json", "<html>oops"));
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/not the OpenAI API's JSON/);
  });

  it("does not retry a refused connection (six retries would take 20 s; the test's limit is 5 s)", async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    probe.listen(0, "127.0.0.1");
    await once(probe, "listening");
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, "close");
    const error = await failure(`http://127.0.0.1:${port}/v1`, 6);
    expect(error.message).toBe(`cannot reach the API at http://127.0.0.1:${port}/v1: ECONNREFUSED`);
    expect(error.exitCode).toBe(3);
  });
});
