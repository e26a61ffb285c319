import { constants } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { usageError } from "../errors.js";

/** The default cap on a file read as input (--max-file-size). */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export interface InputFile {
  id: string;
  file: string;
  /** The cap on the file's size when it is read (the file may change between listing and reading). */
  maxBytes: number;
}

export interface SkippedInput {
  name: string;
  reason: string;
}

/**
 * The `.py` files of a folder that may be read: regular files only (no symbolic links, devices,
 * FIFOs or sockets; checked with lstat, so a link is never followed) and no larger than maxBytes.
 * The others are returned as skipped, with the reason.
 */
export async function listInputFiles(dir: string, maxBytes: number, label: string): Promise<{ files: InputFile[]; skipped: SkippedInput[] }> {
  let info;
  try {
    info = await fs.stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw usageError(`${label} folder not found`);
    throw usageError(`cannot read ${label} (${code ?? "error"})`);
  }
  if (!info.isDirectory()) throw usageError(`${label} is a file, not a folder: give the folder that holds the .py files`);
  const entries = (await fs.readdir(dir)).filter((name) => name.endsWith(".py")).sort();
  const files: InputFile[] = [];
  const skipped: SkippedInput[] = [];
  for (const name of entries) {
    const file = path.join(dir, name);
    const stat = await fs.lstat(file).catch(() => undefined);
    const reason = stat ? notReadableReason(stat, maxBytes) : "it vanished while listing";
    if (reason) skipped.push({ name, reason });
    else files.push({ id: name.slice(0, -3), file, maxBytes });
  }
  return { files, skipped };
}

function notReadableReason(stat: import("node:fs").Stats, maxBytes: number): string | undefined {
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  if (stat.isDirectory()) return "a folder";
  if (!stat.isFile()) return "not a regular file";
  if (stat.size > maxBytes) return `${stat.size} bytes, over the ${maxBytes}-byte limit (--max-file-size)`;
  return undefined;
}

/**
 * Reads a regular file without following a symbolic link (O_NOFOLLOW) and without blocking on a
 * FIFO (O_NONBLOCK): the file may have been swapped since it was listed. At most maxBytes.
 */
export async function readRegularFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<Buffer> {
  let handle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    // Linux says ELOOP when O_NOFOLLOW meets a link.
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new Error(`${path.basename(file)} is a symbolic link: not read`, { cause: error });
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`${path.basename(file)} is not a regular file: not read`);
    if (stat.size > maxBytes) throw new Error(`${path.basename(file)} is ${stat.size} bytes, over the ${maxBytes}-byte limit (--max-file-size)`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new Error(`${path.basename(file)} grew over the ${maxBytes}-byte limit (--max-file-size) while being read`);
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
