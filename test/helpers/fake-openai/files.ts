import type { FileObject } from "openai/resources/files";
import { FakeHttpError, nowSeconds, randomId } from "./http.js";
import type { MultipartBody, StoredFile } from "./types.js";

const PURPOSES = new Set(["assistants", "batch", "fine-tune", "vision", "user_data", "evals"]);

export class FileStore {
  readonly files: StoredFile[] = [];

  /** `POST /v1/files` with a multipart body holding `file` and `purpose`. */
  upload(body: unknown): FileObject {
    const form = body as Partial<MultipartBody> | null;
    const file = form?.files?.find((part) => part.field === "file");
    if (!file) throw new FakeHttpError(400, "Missing required parameter: 'file'.", { param: "file" });
    const purpose = form?.fields?.["purpose"];
    if (purpose === undefined) throw new FakeHttpError(400, "Missing required parameter: 'purpose'.", { param: "purpose" });
    if (!PURPOSES.has(purpose)) {
      throw new FakeHttpError(400, `'${purpose}' is not a valid purpose.`, { param: "purpose" });
    }
    return toFileObject(this.add(file.filename, purpose, file.content));
  }

  add(filename: string, purpose: string, content: string): StoredFile {
    const stored: StoredFile = {
      id: `file-${randomId(22)}`,
      filename,
      purpose,
      bytes: Buffer.byteLength(content),
      createdAt: nowSeconds(),
      content,
    };
    this.files.push(stored);
    return stored;
  }

  find(id: string): StoredFile | undefined {
    return this.files.find((file) => file.id === id);
  }

  get(id: string): StoredFile {
    const file = this.find(id);
    if (!file) throw new FakeHttpError(404, `No such File object: ${id}`, { param: "id" });
    return file;
  }

  retrieve(id: string): FileObject {
    return toFileObject(this.get(id));
  }

  list(purpose: string | undefined): { object: "list"; data: FileObject[]; has_more: false } {
    const data = this.files.filter((file) => purpose === undefined || file.purpose === purpose).map(toFileObject);
    return { object: "list", data, has_more: false };
  }

  delete(id: string): { id: string; object: "file"; deleted: true } {
    const file = this.get(id);
    this.files.splice(this.files.indexOf(file), 1);
    return { id, object: "file", deleted: true };
  }

  clear(): void {
    this.files.length = 0;
  }
}

function toFileObject(file: StoredFile): FileObject {
  return {
    id: file.id,
    object: "file",
    bytes: file.bytes,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose as FileObject["purpose"],
    status: "processed",
  };
}
