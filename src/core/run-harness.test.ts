import { describe, expect, it } from "vitest";
import { BudgetExceededError, CliError } from "../errors.js";
import { runItems } from "./run-harness.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Row {
  id: number;
  status: string;
}

function harness(items: number[], work: (item: number, signal: AbortSignal) => Promise<Row>, extra: { concurrency?: number; stop?: AbortSignal } = {}) {
  const checkpoints: Row[][] = [];
  const finished: Row[][] = [];
  const completion: number[] = [];
  const run = runItems(items, {
    concurrency: extra.concurrency ?? 3,
    work,
    errorRow: (item, message) => ({ id: item, status: `error: ${message}` }),
    checkpoint: async (rows) => {
      checkpoints.push(rows);
    },
    finish: async (rows) => {
      finished.push(rows);
    },
    stop: extra.stop,
    onRow: (row) => completion.push(row.id),
  });
  return { run, checkpoints, finished, completion };
}

describe("runItems", () => {
  it("keeps rows in the items' order whatever the completion order, within the concurrency", async () => {
    let inFlight = 0;
    let most = 0;
    const { run, checkpoints, finished, completion } = harness([0, 1, 2, 3, 4, 5], async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep((6 - item) * 5);
      inFlight -= 1;
      return { id: item, status: "ok" };
    });
    const result = await run;
    expect(result.rows.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(completion).not.toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(3);
    expect(checkpoints.at(-1)).toEqual(result.rows);
    expect(finished).toEqual([result.rows]);
    expect(result).toMatchObject({ interrupted: false, budgetStopped: false });
  });

  it("records an ordinary error as the item's row and goes on", async () => {
    const { run } = harness([1, 2], async (item) => {
      if (item === 1) throw new Error("boom\nsecond line");
      return { id: item, status: "ok" };
    });
    expect((await run).rows).toEqual([
      { id: 1, status: "error: boom" },
      { id: 2, status: "ok" },
    ]);
  });

  it("stops at a fatal error: aborts work in flight, starts nothing new, writes the rows, then rethrows", async () => {
    const started: number[] = [];
    const { run, finished } = harness(
      [0, 1, 2, 3, 4],
      async (item, signal) => {
        started.push(item);
        if (item === 1) {
          await sleep(1);
          throw new CliError("key refused");
        }
        if (item === 0) {
          await sleep(20);
          return { id: 0, status: "ok" };
        }
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
        throw new Error("aborted");
      },
      { concurrency: 3 },
    );
    await expect(run).rejects.toThrow("key refused");
    expect(started).toEqual([0, 1, 2]);
    expect(finished).toEqual([[{ id: 0, status: "ok" }]]);
  });

  it("stops at the budget: nothing new starts, items in flight finish, the spending item stays unfinished", async () => {
    const started: number[] = [];
    const { run } = harness(
      [0, 1, 2, 3, 4],
      async (item) => {
        started.push(item);
        await sleep(item === 1 ? 5 : 30);
        if (item === 1) throw new BudgetExceededError();
        return { id: item, status: "ok" };
      },
      { concurrency: 3 },
    );
    const result = await run;
    expect(started).toEqual([0, 1, 2]);
    expect(result.rows.map((r) => r.id)).toEqual([0, 2]);
    expect(result).toMatchObject({ budgetStopped: true, interrupted: false });
  });

  it("starts nothing new once stopped and reports the run as interrupted", async () => {
    const stop = new AbortController();
    const { run } = harness(
      [0, 1, 2, 3],
      async (item) => {
        if (item === 0) stop.abort();
        await sleep(5);
        return { id: item, status: "ok" };
      },
      { concurrency: 1, stop: stop.signal },
    );
    const result = await run;
    expect(result.rows.map((r) => r.id)).toEqual([0]);
    expect(result.interrupted).toBe(true);
  });
});
