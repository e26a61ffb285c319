import { once } from "node:events";
import { createWriteStream } from "node:fs";
import fs from "fs-extra";
import path from "node:path";
import { storageError, tempPathFor } from "./atomic.js";

/**
 * Writes a JSON array element by element to a temp file, then renames it into place: the
 * array never has to be held in memory (all_dialogues.json can be large), and a reader never
 * sees a half-written file.
 */
export async function writeJsonArrayStreamed(file: string, elements: AsyncIterable<string>): Promise<void> {
  await fs.ensureDir(path.dirname(file));
  const temp = tempPathFor(file);
  // flush: the data reaches the disk before the stream closes, so before the rename.
  const out = createWriteStream(temp, { encoding: "utf8", flush: true });
  try {
    let first = true;
    out.write("[");
    for await (const element of elements) {
      if (!out.write(`${first ? "\n" : ",\n"}${element}`)) await once(out, "drain");
      first = false;
    }
    out.write(first ? "]\n" : "\n]\n");
    out.end();
    await once(out, "close");
    await fs.rename(temp, file);
  } catch (error) {
    out.destroy();
    await fs.remove(temp).catch(() => {});
    throw await storageError(error, file);
  }
}
