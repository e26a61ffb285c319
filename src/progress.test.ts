import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "./log.js";
import { createProgress } from "./progress.js";

function collect(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      callback();
    },
  });
  return { stream, lines };
}

const activity = { calls: 7, inFlight: 2, cutShort: 0, usage: { prompt_tokens: 1000, completion_tokens: 234, total_tokens: 1234 } };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createProgress when stderr is not a terminal", () => {
  it("prints done/total, calls in flight, calls, tokens and time every 10 s until stopped", () => {
    const { stream, lines } = collect();
    const progress = createProgress(createLogger(stream, { quiet: false }), "validate", 15, { activity });
    vi.advanceTimersByTime(9_999);
    expect(lines).toEqual([]);
    progress.tick("a passed");
    progress.tick("b error");
    vi.advanceTimersByTime(1);
    expect(lines).toEqual(["validate: 2/15 done | 2 call(s) in flight | 7 call(s), 1234 tokens | 10 s"]);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(7);
    expect(lines[6]).toBe("validate: 2/15 done | 2 call(s) in flight | 7 call(s), 1234 tokens | 1 min 10 s");
    progress.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(7);
  });

  it("prints nothing with --quiet, or without items", () => {
    const quiet = collect();
    createProgress(createLogger(quiet.stream, { quiet: true }), "generate", 3, { activity });
    const empty = collect();
    createProgress(createLogger(empty.stream, { quiet: false }), "generate", 0, { activity });
    vi.advanceTimersByTime(30_000);
    expect(quiet.lines).toEqual([]);
    expect(empty.lines).toEqual([]);
  });

  it("leaves the calls out when there is no model (--analyze-only)", () => {
    const { stream, lines } = collect();
    createProgress(createLogger(stream, { quiet: false }), "analyze", 4, { intervalMs: 5_000 });
    vi.advanceTimersByTime(5_000);
    expect(lines).toEqual(["analyze: 0/4 done | 5 s"]);
  });
});
