/**
 * Why `id` cannot be used as a file name inside the output folder, or undefined if it can.
 * Ids become `code/<id>.py`, `<id>_dialogue.json` and so on: nothing may escape `--out`.
 */
export function unsafeIdReason(id: string): string | undefined {
  if (id.length === 0) return "it is empty";
  if (id === "." || id === ".." || id.includes("..")) return "it contains '..'";
  if (/[/\\]/.test(id)) return "it contains a path separator";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) return "it contains a control character";
  if (id.startsWith("-")) return "it starts with '-'";
  if (Buffer.byteLength(id) > 200) return "it is longer than 200 bytes";
  return undefined;
}
