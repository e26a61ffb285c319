/**
 * Coalesces frequent "something finished" events into at most one write a second, so a
 * summary on disk stays close to the truth during a long run without rewriting it per item.
 */
export function createCheckpointer(write: () => Promise<void>, intervalMs = 1000) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    timer = undefined;
    running = running.then(write, write);
  };
  return {
    request() {
      timer ??= setTimeout(run, intervalMs);
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
