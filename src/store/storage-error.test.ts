import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/helpers/run-cli.js";
import { CliError } from "../errors.js";
import { storageError } from "./atomic.js";

const errno = (code: string) => Object.assign(new Error(`${code}: failed, write`), { code });

describe("write failures that stop the run", () => {
  it("says a disk is full in one line naming the folder and its free space (exit 3)", async () => {
    const dir = await makeTempDir();
    const error = (await storageError(errno("ENOSPC"), path.join(dir, "code", "a.py"))) as CliError;
    expect(error).toBeInstanceOf(CliError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(new RegExp(`^cannot write to ${dir}/code: no space left on the device \\([\\d.]+ (bytes|KB|MB|GB|TB) free\\)$`));
    expect(error.hint).toMatch(/run the same command again to resume/);
  });

  it("names a read-only or forbidden folder (exit 2) and leaves other errors alone", async () => {
    for (const code of ["EROFS", "EACCES"]) {
      const error = (await storageError(errno(code), "/data/out/finetune/train.jsonl")) as CliError;
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(new RegExp(`^cannot write to /data/out/finetune: .*\\(${code}\\)$`));
    }
    const other = errno("EIO");
    expect(await storageError(other, "/x/y")).toBe(other);
  });
});
