import os from "node:os";
import path from "node:path";
import fs from "fs-extra";
import { describe, expect, it } from "vitest";
import { checkGgufFile, physicalCoreCount } from "./local.js";

// Two sockets of two cores with two hyper-threads each (eight logical CPUs), as /proc/cpuinfo lists them.
const CPUINFO = [0, 1].flatMap((socket) => [0, 1].flatMap((core) => [0, 1].map(() => `processor\t: x\nphysical id\t: ${socket}\ncore id\t\t: ${core}\n`))).join("\n");

describe("physicalCoreCount", () => {
  it("counts cores, not hyper-threads, and never more than this process may use", () => {
    expect(physicalCoreCount(CPUINFO)).toBe(Math.min(4, os.availableParallelism()));
  });
  it("falls back to the CPUs available when /proc/cpuinfo says nothing", () => {
    expect(physicalCoreCount("")).toBe(os.availableParallelism());
  });
});

describe("checkGgufFile", () => {
  it("accepts a file that starts with the GGUF magic and names the flag otherwise", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "codeenhancer-gguf-"));
    try {
      await fs.writeFile(path.join(dir, "ok.gguf"), Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(16)]));
      await fs.writeFile(path.join(dir, "short.gguf"), "GG");
      await expect(checkGgufFile(path.join(dir, "ok.gguf"), "ok.gguf")).resolves.toBeUndefined();
      await expect(checkGgufFile(path.join(dir, "short.gguf"), "short.gguf")).rejects.toThrow("--model-file short.gguf is not a GGUF model file");
      await expect(checkGgufFile(path.join(dir, "none.gguf"), "none.gguf")).rejects.toThrow("--model-file not found: none.gguf");
    } finally {
      await fs.remove(dir);
    }
  });
});
