import pLimit from "p-limit";
import { BudgetExceededError, CliError, ItemWithdrawnError, describeError } from "../errors.js";
import { createCheckpointer } from "./checkpoint.js";

export interface RunItemsOptions<Item, Row> {
  concurrency: number;
  /** One item's work; `signal` aborts when the run stops (Ctrl-C grace over, or a fatal error). */
  work: (item: Item, signal: AbortSignal) => Promise<Row>;
  /** The row recorded for an item whose work threw an ordinary (per-item) error. */
  errorRow: (item: Item, message: string) => Row;
  /** Writes the finished rows (dataset order): about once a second while running, and at the end. */
  checkpoint: (rows: Row[]) => Promise<void>;
  /** Aborted: start nothing new (first Ctrl-C). */
  stop?: AbortSignal | undefined;
  /** Aborted: abandon work in flight (Ctrl-C grace over). */
  abort?: AbortSignal | undefined;
  /** Writes what is derived from all finished rows (summaries), after the last checkpoint, even when a fatal error stops the run. */
  finish?: ((rows: Row[]) => Promise<void>) | undefined;
  /** Each finished row, in completion order (progress, --jsonl). */
  onRow?: ((row: Row) => void) | undefined;
}

export interface RunItemsResult<Row> {
  /** Finished rows in the items' order; unfinished items are absent. */
  rows: Row[];
  /** Stopped by Ctrl-C/SIGTERM before every item finished. */
  interrupted: boolean;
  /** Stopped because the budget was spent before every item finished. */
  budgetStopped: boolean;
}

/**
 * The one run harness of generate and validate: items run with bounded concurrency, rows are kept
 * in the items' order and checkpointed, Ctrl-C starts nothing new, a fault no retry can fix
 * (CliError) stops the run and is rethrown once the rows are written, and a spent budget stops new
 * work while items in flight finish.
 */
export async function runItems<Item, Row>(items: readonly Item[], options: RunItemsOptions<Item, Row>): Promise<RunItemsResult<Row>> {
  const rows: Array<Row | undefined> = new Array(items.length);
  const limit = pLimit(options.concurrency);
  const fatal = new AbortController();
  let fatalError: unknown;
  let budgetStopped = false;
  const signal = AbortSignal.any([fatal.signal, ...(options.abort ? [options.abort] : [])]);
  const finished = () => rows.filter((row): row is Row => row !== undefined);
  const checkpoint = createCheckpointer(() => options.checkpoint(finished()));
  const stopped = () => Boolean(options.stop?.aborted) || signal.aborted || budgetStopped;

  await Promise.all(
    items.map((item, position) =>
      limit(async () => {
        if (stopped()) return;
        let row: Row;
        try {
          row = await options.work(item, signal);
        } catch (error) {
          if (error instanceof BudgetExceededError) {
            budgetStopped = true;
            return;
          }
          if (error instanceof ItemWithdrawnError) return; // stopped before it began: the next run does it
          if (signal.aborted) return; // interrupted or stopped by a fatal error: not recorded as finished
          if (error instanceof CliError) {
            fatalError ??= error;
            fatal.abort();
            return;
          }
          row = options.errorRow(item, describeError(error));
        }
        rows[position] = row;
        options.onRow?.(row);
        checkpoint.request();
      }),
    ),
  );
  await checkpoint.flush();
  const done = finished();
  // Stopped by a fatal error before anything finished: write nothing that would look like a run.
  if (fatalError && done.length === 0) throw fatalError;
  await options.checkpoint(done);
  await options.finish?.(done);
  if (fatalError) throw fatalError;
  const incomplete = done.length < items.length;
  return { rows: done, interrupted: Boolean(options.stop?.aborted) && incomplete, budgetStopped: budgetStopped && incomplete };
}
