// Hands a document's text to the knowledge base a batch of chunks at a time,
// each message far below the Workers RPC cap (32 MiB) however large the
// document, then commits it at once. The text is chunked a section of
// paragraphs at a time, so only one section's chunks exist at once beside
// the text (chunks do not overlap across the rare section boundary). A
// failure on the way gives the upload up, so nothing half-indexed remains.
import type { UploadResponse } from "../http/schemas";
import { type Chunk, chunkText } from "./chunking";
import { refuseManyChunks } from "./document-limits";

export interface DocumentInput {
  filename: string;
  text: string;
  /** Bytes of the original file. */
  size: number;
  /** SHA-256 of the original file's bytes, hex. */
  fileHash: string;
}

export type IngestResult = UploadResponse["data"];

/** The most chunks one call stages: also the most texts one embedding call takes. */
export const MAX_CHUNKS_PER_CALL = 100;
const MAX_BATCH_CHARS = 512 * 1024;
const SECTION_CHARS = 256 * 1024;

/** What ingesting needs of the knowledge base (its stub, or the object itself). */
export interface IngestTarget {
  beginIngest(input: Omit<DocumentInput, "text">): Promise<{ upload_id: string } | { result: IngestResult }>;
  addChunks(uploadId: string, chunks: Chunk[]): Promise<number>;
  commitIngest(uploadId: string): Promise<IngestResult>;
  abortIngest(uploadId: string): Promise<void>;
}

export async function ingestDocument(kb: IngestTarget, document: DocumentInput): Promise<IngestResult> {
  const { text, ...file } = document;
  const started = await kb.beginIngest(file);
  if ("result" in started) return started.result;
  try {
    for (const batch of chunkBatches(sectionChunks(text))) await kb.addChunks(started.upload_id, batch);
    return await kb.commitIngest(started.upload_id);
  } catch (error) {
    await kb.abortIngest(started.upload_id).catch(() => {});
    throw error;
  }
}

/** The text's chunks, a section of whole paragraphs of about SECTION_CHARS at a time. */
function* sectionChunks(text: string): Generator<Chunk> {
  let count = 0;
  for (let start = 0; start < text.length; ) {
    const cut = text.indexOf("\n\n", start + SECTION_CHARS);
    const end = cut === -1 ? text.length : cut;
    const chunks = chunkText(text.slice(start, end));
    count += chunks.length;
    // Refused before the section's chunks are staged; what was staged is dropped (see above).
    refuseManyChunks(count);
    yield* chunks;
    start = end;
  }
}

function* chunkBatches(chunks: Iterable<Chunk>): Generator<Chunk[]> {
  let batch: Chunk[] = [];
  let chars = 0;
  for (const chunk of chunks) {
    const length = chunk.content.length + chunk.heading.length;
    if (batch.length === MAX_CHUNKS_PER_CALL || (batch.length > 0 && chars + length > MAX_BATCH_CHARS)) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(chunk);
    chars += length;
  }
  if (batch.length > 0) yield batch;
}
