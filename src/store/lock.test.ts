import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/helpers/run-cli.js";
import { acquireOutputLock, lockFile } from "./lock.js";

const options = { command: "generate", wait: false, label: "--out out" };

describe("the output folder's lock", () => {
  it("refuses a second holder, naming the first one's pid, and is free again once released", async () => {
    const dir = await makeTempDir();
    const release = await acquireOutputLock(dir, options);
    const lock = JSON.parse(await fs.readFile(lockFile(dir), "utf8")) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    // The same process asking again is refused too: one run per folder.
    await expect(acquireOutputLock(dir, options)).rejects.toThrow(new RegExp(`--out out is in use by another codeenhancer run \\(pid ${process.pid} `));
    await release();
    expect(await fs.pathExists(lockFile(dir))).toBe(false);
    await (await acquireOutputLock(dir, options))();
  });

  it("takes over a lock whose process is gone", async () => {
    const dir = await makeTempDir();
    const child = execa("true");
    const pid = child.pid;
    await child;
    await fs.outputFile(lockFile(dir), JSON.stringify({ pid, host: (await import("node:os")).hostname(), command: "validate", started: "2026-01-01T00:00:00.000Z" }));
    const release = await acquireOutputLock(dir, options);
    expect((JSON.parse(await fs.readFile(lockFile(dir), "utf8")) as { pid: number }).pid).toBe(process.pid);
    await release();
  });

  it("waits for the holder with wait, and stops waiting at Ctrl-C", async () => {
    const dir = await makeTempDir();
    const release = await acquireOutputLock(dir, options);
    const seen: number[] = [];
    const waiting = acquireOutputLock(dir, { ...options, wait: true, pollMs: 20, onWait: (holder) => seen.push(holder.pid) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await release();
    const second = await waiting;
    expect(seen).toEqual([process.pid]);
    const stop = new AbortController();
    const third = acquireOutputLock(dir, { ...options, wait: true, pollMs: 20, signal: stop.signal });
    stop.abort();
    await expect(third).rejects.toThrow(/interrupted while waiting/);
    await second();
    // The last release leaves no lock and no empty state folder behind.
    expect(await fs.pathExists(path.dirname(lockFile(dir)))).toBe(false);
  });
});
