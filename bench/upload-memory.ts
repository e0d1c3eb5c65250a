#!/usr/bin/env node
// `node bench/upload-memory.ts`: how much memory the Worker needs while it
// takes in a text upload of a given size, to choose MAX_UPLOAD_BYTES for an
// isolate of 128 MB. Runs the upload route's own steps in Node's V8 (the
// engine workerd runs): the multipart form as the route's validation leaves
// it parsed, the file's hash and text (src/http/document-upload.ts), and the
// chunks handed over in batches (src/knowledge/document-ingest.ts), each
// batch copied as an RPC copies it. The figure is the growth of the
// process's peak resident memory (maxRSS) over what holding the parsed form
// already took: what the upload itself adds at its worst moment. The text
// has a character outside Latin-1 (an em dash), as most real documents do,
// which makes V8 store it at two bytes a character. Each size runs in a
// fresh process.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SIZES_MB = [1, 2, 5, 10, 15, 20];
const UPLOAD_MODULE = "../src/http/document-upload.ts";
const INGEST_MODULE = "../src/knowledge/document-ingest.ts";

type Received = { filename: string; text: string; size: number; fileHash: string };
type UploadModule = { receiveUpload: (form: Record<string, unknown>, limit: number) => Promise<Received> };
type IngestTarget = {
  beginIngest: () => Promise<{ upload_id: string }>;
  addChunks: (id: string, chunks: unknown[]) => Promise<number>;
  commitIngest: () => Promise<unknown>;
  abortIngest: () => Promise<void>;
};
type IngestModule = {
  ingestDocument: (target: IngestTarget, document: Received) => Promise<unknown>;
};
const MB = 1_000_000;

if (process.argv[2] === "--one") {
  await import("./ts-resolve.ts");
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  // Imported by path: this project's Node type check does not follow into the Worker's code.
  const upload: UploadModule = await import(UPLOAD_MODULE);
  const ingest: IngestModule = await import(INGEST_MODULE);
  const { receiveUpload } = upload;
  const { ingestDocument } = ingest;
  const bytes = Number(process.argv[3]);
  const form = await uploadForm(bytes);
  gc();
  const before = process.resourceUsage().maxRSS * 1024;
  const target: IngestTarget = {
    beginIngest: async () => ({ upload_id: "u" }),
    addChunks: async (_id: string, chunks: unknown[]) => structuredClone(chunks).length,
    commitIngest: async () => ({
      filename: "besar.txt",
      size: bytes,
      chunks: 0,
      file_hash: "",
      already_processed: false,
    }),
    abortIngest: async () => {},
  };
  // A text past the knowledge base's caps is refused part of the way: what it
  // took until then is the figure.
  const outcome = await receiveUpload(form, bytes)
    .then((received) => ingestDocument(target, received))
    .then(
      () => "indexed",
      (error: { status?: number }) => `refused (${error.status ?? "error"})`,
    );
  const peak = process.resourceUsage().maxRSS * 1024 - before;
  // The form (the file's own bytes) was held throughout, as the route's request holds it.
  console.log(JSON.stringify({ bytes, peak: peak + bytes, outcome, formKept: form.file instanceof File }));
} else {
  console.log("upload   memory at its peak   per upload byte   outcome");
  const script = fileURLToPath(import.meta.url);
  for (const mb of SIZES_MB) {
    const args = ["--expose-gc", "--experimental-transform-types", "--no-warnings", script, "--one", String(mb * MB)];
    const output = execFileSync(process.execPath, args, { encoding: "utf8" });
    const { bytes, peak, outcome } = JSON.parse(output.trim().split("\n").at(-1) ?? "{}");
    const perByte = (peak / bytes).toFixed(1);
    console.log(
      `${(bytes / MB).toFixed(0).padStart(4)} MB   ${(peak / MB).toFixed(1).padStart(9)} MB   ${perByte.padStart(12)}×   ${outcome}`,
    );
  }
}

/** A parsed multipart form with one text file of `bytes` bytes, built without leaving copies behind. */
async function uploadForm(bytes: number): Promise<Record<string, FormDataEntryValue>> {
  const paragraph = new TextEncoder().encode(
    "Pasal. Mahasiswa program sarjana wajib membayar biaya semester sebelum batas waktu — beasiswa diberikan kepada mahasiswa berprestasi.\n\n",
  );
  const content = new Uint8Array(bytes);
  for (let at = 0; at < bytes; at += paragraph.byteLength) content.set(paragraph.subarray(0, bytes - at), at);
  const body = new FormData();
  body.append("file", new File([content], "besar.txt", { type: "text/plain" }));
  const parsed = await new Request("http://upload.test/", { method: "POST", body }).formData();
  return Object.fromEntries(parsed.entries());
}
