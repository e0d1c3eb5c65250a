#!/usr/bin/env node
// `npm run ingest -- <folder> [--url URL] [--token-stdin] [--dry-run] [--force]`:
// uploads every PDF, .txt and .md file in a folder to the knowledge base, with a
// progress bar, a line per file and a summary. Exits 1 if any file failed.
// A PDF's text is extracted here (unpdf runs in Node as in the Worker) and
// uploaded with the PDF's own hash and size: the Worker never spends its CPU
// and memory parsing a big PDF, and the upload is a fraction of the file. The
// admin token comes from ADMIN_TOKEN or standard input, never the command line,
// where `ps` and the shell's history would show it.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { getDocumentProxy } from "unpdf";
import type { StoredFile, UploadResponse } from "../src/http/schemas.ts";
import { layoutText, pageSpans } from "../src/knowledge/pdf-layout.ts";
import { hasText, PDF_WITHOUT_TEXT, UNREADABLE_PDF } from "../src/knowledge/pdf-readability.ts";
import { ApiClient, ApiError, DEFAULT_URL } from "./api-client.ts";

const ACCEPTED = new Set([".pdf", ".txt", ".md"]);
const TYPES: Record<string, string> = { ".txt": "text/plain", ".md": "text/markdown" };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string" },
    // Accepted only to refuse it with a reason.
    token: { type: "string" },
    "token-stdin": { type: "boolean", default: false },
    "dry-run": { type: "boolean", default: false },
    force: { type: "boolean", default: false },
  },
});
const folder = positionals[0];
if (!folder) {
  console.error("Usage: npm run ingest -- <folder> [--url URL] [--token-stdin] [--dry-run] [--force]");
  process.exit(2);
}
if (values.token !== undefined) {
  console.error(
    "--token would leave the admin token in `ps` and your shell history: set ADMIN_TOKEN, or pipe it in with --token-stdin",
  );
  process.exit(2);
}
const api = new ApiClient(
  values.url ?? process.env.TANYA_MAIL_URL ?? DEFAULT_URL,
  values["token-stdin"] ? await tokenFromStdin() : process.env.ADMIN_TOKEN,
);

async function tokenFromStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.trim();
}

async function documentsIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir);
  const files: string[] = [];
  for (const name of entries.sort()) {
    if (ACCEPTED.has(extname(name).toLowerCase()) && (await stat(join(dir, name))).isFile()) files.push(name);
  }
  return files;
}

async function main(): Promise<number> {
  let files: string[];
  try {
    files = await documentsIn(folder as string);
  } catch {
    console.error(`Cannot read the folder ${folder}`);
    return 2;
  }
  if (files.length === 0) {
    console.log(`No PDF, .txt or .md files in ${folder}`);
    return 0;
  }
  // --force replaces what is already there: delete first so the upload re-indexes.
  const existing = new Set((await api.get<StoredFile[]>("/files")).map((file) => file.filename));
  const counts = { processed: 0, already: 0, failed: 0 };
  // The bar is drawn only on a terminal; piped output gets the lines alone.
  const bars = process.stdout.isTTY
    ? new cliProgress.MultiBar({
        format: "{bar} {value}/{total} {file}",
        hideCursor: true,
        clearOnComplete: true,
        stream: process.stdout,
      })
    : null;
  const bar = bars?.create(files.length, 0, { file: "" });
  for (const name of files) {
    bar?.update({ file: name });
    const line = await ingestOne(name, existing.has(name), counts);
    if (bars) bars.log(`${line}\n`);
    else console.log(line);
    bar?.increment();
  }
  bars?.stop();
  console.log(
    `${values["dry-run"] ? "Dry run: " : ""}${counts.processed} processed, ${counts.already} already processed, ${counts.failed} failed`,
  );
  return counts.failed > 0 ? 1 : 0;
}

async function ingestOne(name: string, exists: boolean, counts: Record<"processed" | "already" | "failed", number>) {
  if (values["dry-run"]) {
    counts.processed += 1;
    return `would upload ${name}${exists ? (values.force ? " (replacing)" : " (exists; skipped unless changed)") : ""}`;
  }
  try {
    if (values.force && exists) await api.delete(`/files/${encodeURIComponent(name)}`);
    const bytes = await readFile(join(folder as string, name));
    const extension = extname(name).toLowerCase();
    const form = extension === ".pdf" ? await pdfTextForm(name, bytes) : new FormData();
    if (extension !== ".pdf") form.append("file", new File([bytes], name, { type: TYPES[extension] }));
    const { data } = await api.request<UploadResponse>("/upload", { method: "POST", body: form });
    if (data.already_processed) {
      counts.already += 1;
      return `= ${name}: already processed`;
    }
    counts.processed += 1;
    return `✓ ${name}: processed (${data.chunks} chunks)`;
  } catch (error) {
    counts.failed += 1;
    return `✗ ${name}: failed: ${error instanceof ApiError || error instanceof Error ? error.message : String(error)}`;
  }
}

/** The upload of a PDF's text, extracted here, naming the PDF's hash and size. */
async function pdfTextForm(name: string, bytes: Buffer): Promise<FormData> {
  const form = new FormData();
  const fileHash = createHash("sha256").update(bytes).digest("hex");
  let text: string;
  try {
    // Re-flowed as the Worker re-flows an uploaded PDF: headings, lists, tables and columns.
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    try {
      const pages = [];
      for (let page = 1; page <= pdf.numPages; page++) pages.push(await pageSpans(pdf, page));
      text = layoutText(pages);
    } finally {
      await pdf.loadingTask.destroy();
    }
  } catch {
    throw new Error(UNREADABLE_PDF);
  }
  if (!hasText(text)) throw new Error(PDF_WITHOUT_TEXT);
  form.append("file", new File([text], name, { type: "text/plain" }));
  form.append("source_sha256", fileHash);
  form.append("source_bytes", String(bytes.byteLength));
  return form;
}

try {
  process.exit(await main());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
