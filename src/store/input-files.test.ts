import path from "node:path";
import { execa } from "execa";
import fs from "fs-extra";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/helpers/run-cli.js";
import { listInputFiles, readRegularFile } from "./input-files.js";

describe("input files", () => {
  it("lists regular .py files and skips links, devices, FIFOs, folders and files over the cap, with the reason", async () => {
    const dir = await makeTempDir();
    await fs.writeFile(path.join(dir, "a.py"), "x = 1\n");
    await fs.writeFile(path.join(dir, "big.py"), "#".repeat(101));
    await fs.writeFile(path.join(dir, "notes.txt"), "");
    await fs.symlink("/etc/passwd", path.join(dir, "evil.py"));
    await fs.symlink("/dev/null", path.join(dir, "null.py"));
    await fs.ensureDir(path.join(dir, "pkg.py"));
    await execa("mkfifo", [path.join(dir, "pipe.py")]);
    const { files, skipped } = await listInputFiles(dir, 100, "--input in");
    expect(files.map((f) => f.id)).toEqual(["a"]);
    expect(skipped).toEqual([
      { name: "big.py", reason: "101 bytes, over the 100-byte limit (--max-file-size)" },
      { name: "evil.py", reason: "a symbolic link" },
      { name: "null.py", reason: "a symbolic link" },
      { name: "pipe.py", reason: "a FIFO" },
      { name: "pkg.py", reason: "a folder" },
    ]);
  });

  it("never follows a link, never blocks on a FIFO and never reads past the cap, even when the file was swapped after listing", async () => {
    const dir = await makeTempDir();
    await fs.symlink("/etc/passwd", path.join(dir, "evil.py"));
    await expect(readRegularFile(path.join(dir, "evil.py"))).rejects.toThrow(/symbolic link/);
    await execa("mkfifo", [path.join(dir, "pipe.py")]);
    await expect(readRegularFile(path.join(dir, "pipe.py"))).rejects.toThrow(/not a regular file/);
    await fs.writeFile(path.join(dir, "big.py"), "#".repeat(11));
    await expect(readRegularFile(path.join(dir, "big.py"), 10)).rejects.toThrow(/over the 10-byte limit/);
    await fs.writeFile(path.join(dir, "ok.py"), "x = 1\n");
    expect((await readRegularFile(path.join(dir, "ok.py"), 10)).toString()).toBe("x = 1\n");
  });

  it("says when --input is a file or missing", async () => {
    const dir = await makeTempDir();
    await fs.writeFile(path.join(dir, "one.py"), "");
    await expect(listInputFiles(path.join(dir, "one.py"), 10, "--input one.py")).rejects.toThrow(/--input one\.py is a file, not a folder/);
    await expect(listInputFiles(path.join(dir, "nope"), 10, "--input nope")).rejects.toThrow(/--input nope folder not found/);
  });
});
