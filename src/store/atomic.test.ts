import path from "node:path";
import fs from "fs-extra";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { makeTempDir } from "../../test/helpers/run-cli.js";
import { readJsonIfValid, writeJsonAtomic, writeTextAtomic } from "./atomic.js";
import { writeJsonArrayStreamed } from "./stream-json.js";

describe("atomic writes", () => {
  it("creates the folder, replaces the file whole and leaves no temporary file", async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, "a", "b", "out.txt");
    await writeTextAtomic(file, "first\n");
    await writeTextAtomic(file, Buffer.from([0xff, 0x0a]));
    expect(await fs.readFile(file)).toEqual(Buffer.from([0xff, 0x0a]));
    expect(await fs.readdir(path.dirname(file))).toEqual(["out.txt"]);
  });

  it("writes again into a folder removed during the run", async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, "gone", "x.txt");
    await writeTextAtomic(file, "1");
    await fs.remove(path.join(dir, "gone"));
    await writeTextAtomic(file, "2");
    expect(await fs.readFile(file, "utf8")).toBe("2");
  });

  it("keeps the old file and no temporary one when the write fails", async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, "target");
    await fs.ensureDir(file); // a folder where the file should go: the rename fails
    await expect(writeTextAtomic(file, "x")).rejects.toThrow();
    expect((await fs.stat(file)).isDirectory()).toBe(true);
    expect(await fs.readdir(dir)).toEqual(["target"]);
  });

  it("validates JSON before writing and reads it back through the schema", async () => {
    const dir = await makeTempDir();
    const schema = z.object({ n: z.number() });
    const file = path.join(dir, "v.json");
    await writeJsonAtomic(file, schema, { n: 1 });
    await expect(writeJsonAtomic(file, schema, { n: "no" } as unknown as { n: number })).rejects.toThrow(/expected number/);
    expect(await readJsonIfValid(file, schema)).toEqual({ n: 1 });
    await fs.writeFile(file, "{ broken");
    expect(await readJsonIfValid(file, schema)).toBeUndefined();
  });

  it("streams a JSON array into place", async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, "all.json");
    async function* elements() {
      for (let i = 0; i < 3; i += 1) yield JSON.stringify({ i });
    }
    await writeJsonArrayStreamed(file, elements());
    expect(await fs.readJson(file)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    await writeJsonArrayStreamed(file, (async function* () {})());
    expect(await fs.readJson(file)).toEqual([]);
    expect(await fs.readdir(dir)).toEqual(["all.json"]);
  });
});
