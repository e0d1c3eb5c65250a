// Reading an upload with as little of it in memory at once as the platform
// allows: the multipart body is cut off past MAX_UPLOAD_BYTES (413) before
// anything buffers it, whether or not Content-Length announced its size, and
// the file's bytes are let go as soon as its hash and text exist. `npm run
// ingest` sends a PDF's text, extracted on the operator's machine, with the
// original's hash and size (`source_sha256`, `source_bytes`), so the Worker
// never parses a big PDF.
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { settings } from "../config";
import { documentText, plainText } from "../knowledge/document-text";
import { sha256Hex } from "../sha256";
import type { AppEnv } from "./app-env";
import { MAX_FILENAME_CHARS } from "./schemas";

type ReceivedFile = { filename: string; text: string; size: number; fileHash: string };

// Multipart framing around the file itself.
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
const MAX_SOURCE_BYTES = 1_000_000_000;

/**
 * Runs before the body is parsed: a 411 without Content-Length (a chunked body's
 * size is known only once it has all arrived), a 415 for anything but
 * multipart, a 413 past the limit, announced or not.
 */
export const uploadLimit = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header("content-length") === undefined) {
    throw new HTTPException(411, { message: "Send the upload with a Content-Length header (not chunked)" });
  }
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    throw new HTTPException(415, { message: "Send the file as multipart/form-data in the field `file`" });
  }
  const limit = settings(c.env).MAX_UPLOAD_BYTES;
  const limited = bodyLimit({
    maxSize: limit + MULTIPART_OVERHEAD_BYTES,
    onError: () => {
      throw tooLarge(limit);
    },
  });
  return limited(c, next);
});

/** The file of a parsed upload form: its cleaned name, its text, size and hash. */
export async function receiveUpload(form: Record<string, unknown>, limit: number): Promise<ReceivedFile> {
  const file = form.file;
  if (!(file instanceof File))
    throw new HTTPException(422, { message: "No file: send it in the multipart field `file`" });
  if (file.size > limit) throw tooLarge(limit);
  // The name decides how the file is read, so it is judged as it will be stored.
  const filename = cleanFilename(file.name);
  const source = sourceOf(form);
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (source) return { filename, text: plainText(bytes), ...source };
  const fileHash = await sha256Hex(bytes);
  const size = bytes.byteLength;
  return { filename, text: await documentText(filename, bytes), size, fileHash };
}

/** The original file a text upload was extracted from, when the form says so. */
function sourceOf(form: Record<string, unknown>): { size: number; fileHash: string } | null {
  const hash = form.source_sha256;
  const bytes = form.source_bytes;
  if (hash === undefined && bytes === undefined) return null;
  const size = Number(bytes);
  if (
    typeof hash !== "string" ||
    !/^[0-9a-f]{64}$/.test(hash) ||
    !Number.isInteger(size) ||
    size < 1 ||
    size > MAX_SOURCE_BYTES
  ) {
    throw new HTTPException(422, {
      message: "source_sha256 (64 lowercase hex digits) and source_bytes (a positive integer) go together",
    });
  }
  return { size, fileHash: hash };
}

function tooLarge(limit: number): HTTPException {
  return new HTTPException(413, {
    message: `The file is larger than ${limit} bytes (MAX_UPLOAD_BYTES); split it, or upload its text (npm run ingest extracts a PDF's text)`,
  });
}

// Only the base name is kept, in one Unicode form, without characters that
// show nothing or reorder what is shown: "pmb-jadwal\u200b.md" must not sit
// beside "pmb-jadwal.md" looking the same.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const MAX_FILENAME_BYTES = 255;

function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base.normalize("NFC").replace(INVISIBLE, "").trim();
  if (!cleaned) throw new HTTPException(422, { message: "The uploaded file has no name" });
  if (cleaned.length > MAX_FILENAME_CHARS || new TextEncoder().encode(cleaned).byteLength > MAX_FILENAME_BYTES) {
    throw new HTTPException(422, {
      message: `The file name is longer than ${MAX_FILENAME_CHARS} characters (${MAX_FILENAME_BYTES} bytes in UTF-8)`,
    });
  }
  return cleaned;
}
