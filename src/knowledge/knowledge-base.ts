// The shared knowledge base: one Durable Object holding every document's
// chunks in SQLite, searched with FTS5 (BM25). Embedded mode answers from it
// alone; in production it also keeps the Vectorize index in step with its
// chunks (vector-upkeep.ts, resumed by alarm) and fuses dense and keyword
// results. A document arrives in pieces (document-ingest.ts): staged a batch
// of chunks at a time, each batch's vectors written as it arrives, then
// swapped in at once.
import { DurableObject } from "cloudflare:workers";
import { type Settings, settings } from "../config";
import type { BuildVectorstoreResponse, DeleteFileResponse, StoredFile } from "../http/schemas";
import { sha256Hex } from "../sha256";
import { isoInZone } from "../timezone";
import { currentChunks } from "./chunk-rows";
import type { Chunk } from "./chunking";
import { type DocumentInput, type IngestResult, ingestDocument, MAX_CHUNKS_PER_CALL } from "./document-ingest";
import { documentText } from "./document-text";
import { migrateTables, type UploadRow } from "./knowledge-tables";
import { readQuestion } from "./question-reading";
import { reciprocalRankFusion } from "./rank-fusion";
import type { Retrieval, RetrievalQuery } from "./retriever";
import { SAMPLE_CORPUS } from "./sample-corpus";
import { forgetSearches } from "./search-cache";
import { coverage, matchedIn, requiredTerms } from "./term-weights";
import { indexTerms } from "./text-analysis";
import { type VectorStore, vectorStoreFor } from "./vector-store";
import { type RebuildProgress, VectorUpkeep } from "./vector-upkeep";

type KnowledgeBaseStats = Pick<BuildVectorstoreResponse["data"], "total_documents" | "total_files">;

// Each side of the fusion contributes more candidates than are finally kept.
const CANDIDATES_PER_RESULT = 2;
// An upload that was begun and neither committed nor aborted (its Worker
// died) is cleared after this long.
const STALE_UPLOAD_MS = 60 * 60 * 1000;
// Batches of vectors a rebuild writes per request, and per alarm run.
const REBUILD_BATCHES_PER_REQUEST = 5;
const REBUILD_BATCHES_PER_ALARM = 20;
// How soon failed vector deletions are tried again.
const DELETION_RETRY_MS = 60 * 1000;

export type BuildProgress = KnowledgeBaseStats & RebuildProgress;

export class KnowledgeBase extends DurableObject<Env> {
  #sql: SqlStorage;
  #config: Settings;
  #vectors: VectorStore | null;
  #upkeep: VectorUpkeep | null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#config = settings(env);
    this.#vectors = vectorStoreFor(env, this.#config);
    this.#upkeep = this.#vectors ? new VectorUpkeep(this.#sql, this.#vectors) : null;
    ctx.blockConcurrencyWhile(async () => {
      migrateTables(this.#sql);
      VectorUpkeep.migrate(this.#sql);
      if (this.#config.LOAD_SAMPLE_CORPUS) await this.#loadSampleCorpusOnce();
    });
  }

  /**
   * Keyword search (FTS5, BM25), best first, of the passages relevant enough:
   * those that cover at least KEYWORD_RELEVANCE_THRESHOLD of the question's
   * term weight (see term-weights.ts), with their headings. Chat words and
   * typos are read as the words meant (see spelling.ts).
   */
  async search(query: RetrievalQuery): Promise<Retrieval> {
    const reading = readQuestion(this.#sql, query.text);
    const { weights } = reading;
    const terms = Object.keys(weights);
    if (terms.length === 0) return { passages: [], reading };
    // Terms are letters, digits and spaces only, so quoting them is enough to
    // keep FTS5 query syntax out of user input; a quoted pair is a phrase.
    const match = terms.map((term) => `"${term}"`).join(" OR ");
    // Unfiltered, rank in the full-text index first and join only the
    // candidates; a filter has to join before ranking.
    const limit = query.topK * CANDIDATES_PER_RESULT;
    const rows = this.#sql
      .exec<{ chunk_id: string; filename: string; heading: string; content: string; terms: string; rank: number }>(
        query.filenameFilter === null
          ? `SELECT chunks.chunk_id, chunks.filename, chunks.heading, chunks.content, hits.terms, hits.rank
             FROM (SELECT rowid, terms, rank FROM chunk_terms WHERE chunk_terms MATCH ? ORDER BY rank LIMIT ?) AS hits
             JOIN chunks ON chunks.id = hits.rowid ORDER BY hits.rank`
          : `SELECT chunks.chunk_id, chunks.filename, chunks.heading, chunks.content, chunk_terms.terms, chunk_terms.rank
             FROM chunk_terms JOIN chunks ON chunks.id = chunk_terms.rowid
             WHERE chunk_terms MATCH ? AND chunks.filename = ? ORDER BY chunk_terms.rank LIMIT ?`,
        ...(query.filenameFilter === null ? [match, limit] : [match, query.filenameFilter, limit]),
      )
      .toArray();
    const threshold = this.#config.KEYWORD_RELEVANCE_THRESHOLD;
    const required = requiredTerms(weights);
    const passages = rows
      .filter((row) => {
        // The chunk's terms as indexed (indexTerms of its file name, headings and text): not analysed again.
        const matched = matchedIn(row.terms.split(" "), weights);
        return coverage(matched, weights) >= threshold && required.every((term) => matched.has(term));
      })
      .slice(0, query.topK)
      .map((row) => ({
        chunk_id: row.chunk_id,
        filename: row.filename,
        heading: row.heading,
        content: row.content,
        score: Math.round(-row.rank * 10_000) / 10_000,
      }));
    return { passages, reading };
  }

  /**
   * Dense (Vectorize) and keyword results fused by reciprocal rank. Dense hits
   * under the relevance threshold, of chunks no longer current (a replaced
   * version whose vectors are still being deleted), or of another file than
   * the filter names (the index filters on a hash of the name) are dropped.
   */
  async hybridSearch(query: RetrievalQuery): Promise<Retrieval> {
    if (!this.#vectors) return this.search(query);
    const candidates = { ...query, topK: query.topK * CANDIDATES_PER_RESULT };
    const [dense, keyword] = await Promise.all([
      this.#vectors.query(query.text, candidates.topK, query.filenameFilter),
      this.search(candidates),
    ]);
    const relevant = dense.filter((hit) => hit.score >= this.#config.RELEVANCE_THRESHOLD);
    const current = currentChunks(
      this.#sql,
      relevant.map((hit) => hit.chunk_id),
    );
    const fresh = relevant.flatMap((hit) => {
      const chunk = current.get(hit.chunk_id);
      if (!chunk || (query.filenameFilter !== null && chunk.filename !== query.filenameFilter)) return [];
      return [{ ...chunk, score: hit.score }];
    });
    return { passages: reciprocalRankFusion([fresh, keyword.passages]).slice(0, query.topK), reading: keyword.reading };
  }

  async stats(): Promise<KnowledgeBaseStats> {
    const row = this.#sql
      .exec<{ files: number; chunks: number }>(
        "SELECT COUNT(*) AS files, COALESCE(SUM(chunks), 0) AS chunks FROM documents",
      )
      .one();
    return { total_documents: row.chunks, total_files: row.files };
  }

  async files(): Promise<StoredFile[]> {
    return this.#sql
      .exec<Omit<StoredFile, "upload_date"> & { upload_date: number }>(
        "SELECT filename, size, chunks, file_hash, upload_date FROM documents ORDER BY filename",
      )
      .toArray()
      .map((file) => ({ ...file, upload_date: isoInZone(file.upload_date, this.#config.TIMEZONE) }));
  }

  /**
   * Starts indexing a document: the stored result when this exact version is
   * already indexed, else the id to stage its chunks under. Ids derive from the name
   * and the content, so a new version never reuses an old version's vector
   * ids and two files with the same content never collide.
   */
  async beginIngest(input: Omit<DocumentInput, "text">): Promise<{ upload_id: string } | { result: IngestResult }> {
    const existing = this.#document(input.filename);
    if (existing?.file_hash === input.fileHash) {
      const { filename, size, fileHash } = input;
      return { result: { filename, size, chunks: existing.chunks, file_hash: fileHash, already_processed: true } };
    }
    const idPrefix = (await sha256Hex(new TextEncoder().encode(`${input.filename}\n${input.fileHash}`))).slice(0, 16);
    const uploadId = crypto.randomUUID();
    this.#sql.exec(
      "INSERT INTO uploads (upload_id, filename, file_hash, size, id_prefix, started_at) VALUES (?, ?, ?, ?, ?, ?)",
      uploadId,
      input.filename,
      input.fileHash,
      input.size,
      idPrefix,
      Date.now(),
    );
    await this.#schedule();
    return { upload_id: uploadId };
  }

  /**
   * Stages the next chunks of an upload (at most MAX_CHUNKS_PER_CALL); in
   * production their vectors are written now, so no more than one batch of
   * them is ever held in memory. Searches do not see them until the commit.
   */
  async addChunks(uploadId: string, contents: Chunk[]): Promise<number> {
    if (contents.length > MAX_CHUNKS_PER_CALL) throw new RangeError(`At most ${MAX_CHUNKS_PER_CALL} chunks per call`);
    const upload = this.#upload(uploadId);
    const chunks = contents.map(({ content, heading }, i) => ({
      chunk_id: `${upload.id_prefix}-${upload.chunks + i}`,
      filename: upload.filename,
      content,
      heading,
    }));
    if (this.#vectors && this.#upkeep) {
      try {
        await this.#vectors.upsert(chunks);
      } catch (error) {
        // Some of the batch may have been written: those vectors go with the upload.
        this.#upkeep.queueDeletions(chunks.map((chunk) => chunk.chunk_id));
        throw error;
      }
    }
    // The upload may have been aborted while the vectors were being written.
    const still = this.#sql
      .exec<{ chunks: number }>("SELECT chunks FROM uploads WHERE upload_id = ?", uploadId)
      .toArray()[0];
    if (!still) {
      this.#upkeep?.queueDeletions(chunks.map((chunk) => chunk.chunk_id));
      throw new Error("The upload was aborted");
    }
    this.ctx.storage.transactionSync(() => {
      for (const [i, chunk] of chunks.entries()) {
        this.#sql.exec(
          "INSERT INTO staged_chunks (upload_id, position, chunk_id, content, heading) VALUES (?, ?, ?, ?, ?)",
          uploadId,
          still.chunks + i,
          chunk.chunk_id,
          chunk.content,
          chunk.heading,
        );
      }
      this.#sql.exec("UPDATE uploads SET chunks = chunks + ? WHERE upload_id = ?", chunks.length, uploadId);
    });
    return still.chunks + chunks.length;
  }

  /**
   * Swaps the staged chunks in for the file's current ones in one
   * transaction, so a search sees the old version or the new, never both and
   * never neither; the old version's vectors are deleted after.
   */
  async commitIngest(uploadId: string): Promise<IngestResult> {
    const upload = this.#upload(uploadId);
    this.ctx.storage.transactionSync(() => {
      const replaced = this.#deleteChunks(upload.filename);
      this.#upkeep?.queueDeletions(replaced);
      const staged = this.#sql.exec<{ position: number; chunk_id: string; content: string; heading: string }>(
        "SELECT position, chunk_id, content, heading FROM staged_chunks WHERE upload_id = ? ORDER BY position",
        uploadId,
      );
      for (const chunk of staged) {
        const { id } = this.#sql
          .exec<{ id: number }>(
            "INSERT INTO chunks (chunk_id, filename, position, content, heading) VALUES (?, ?, ?, ?, ?) RETURNING id",
            chunk.chunk_id,
            upload.filename,
            chunk.position,
            chunk.content,
            chunk.heading,
          )
          .one();
        // The headings are searched with the text: they say what it is about.
        const text = `${upload.filename}\n${chunk.heading}\n${chunk.content}`;
        this.#sql.exec("INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", id, indexTerms(text));
        this.#sql.exec("INSERT INTO chunk_words (rowid, words) VALUES (?, ?)", id, text);
      }
      this.#sql.exec(
        `INSERT INTO documents (filename, file_hash, size, chunks, upload_date) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (filename) DO UPDATE SET file_hash = excluded.file_hash, size = excluded.size,
           chunks = excluded.chunks, upload_date = excluded.upload_date`,
        upload.filename,
        upload.file_hash,
        upload.size,
        upload.chunks,
        Date.now(),
      );
      this.#dropUpload(uploadId, false);
    });
    await this.#flushDeletions();
    const { filename, size, file_hash, chunks } = upload;
    return { filename, size, chunks, file_hash, already_processed: false };
  }

  /** Gives up an upload: its staged chunks go, and so do any vectors already written for them. */
  async abortIngest(uploadId: string): Promise<void> {
    this.ctx.storage.transactionSync(() => this.#dropUpload(uploadId, true));
    await this.#flushDeletions();
  }

  /** Removes a document from both indexes; null if there is no such file. */
  async remove(filename: string): Promise<DeleteFileResponse["data"] | null> {
    if (!this.#document(filename)) return null;
    const removed = this.ctx.storage.transactionSync(() => {
      const ids = this.#deleteChunks(filename);
      this.#sql.exec("DELETE FROM documents WHERE filename = ?", filename);
      this.#upkeep?.queueDeletions(ids);
      return ids;
    });
    await this.#flushDeletions();
    return { deleted_chunks: removed.length };
  }

  /**
   * Re-embeds every stored chunk into the vector index, a bounded number of
   * batches now and the rest by alarm; calling it again while a rebuild is
   * under way reports its progress. Null without a vector index.
   */
  async rebuildVectors(): Promise<BuildProgress | null> {
    if (!this.#upkeep) return null;
    this.#upkeep.startRebuild();
    const progress = await this.#upkeep.continueRebuild(REBUILD_BATCHES_PER_REQUEST);
    await this.#schedule();
    return { ...(await this.stats()), ...progress };
  }

  // Alarms are delivered at least once: each duty reads what is left to do
  // from storage, and whatever remains is scheduled again.
  override async alarm(): Promise<void> {
    this.#clearStaleUploads();
    await this.#flushDeletions();
    if (this.#upkeep?.rebuilding) {
      try {
        await this.#upkeep.continueRebuild(REBUILD_BATCHES_PER_ALARM);
      } catch (error) {
        console.error(JSON.stringify({ level: "error", where: "vector-rebuild", error: String(error) }));
      }
    }
    await this.#schedule();
  }

  async #flushDeletions(): Promise<void> {
    if (this.#upkeep?.deletionsPending && !(await this.#upkeep.flushDeletions())) await this.#schedule();
  }

  /** Sets the alarm for the earliest pending duty, or clears it when there is none. */
  async #schedule(): Promise<void> {
    const now = Date.now();
    const due: number[] = [];
    if (this.#upkeep?.rebuilding) due.push(now);
    if (this.#upkeep?.deletionsPending) due.push(now + DELETION_RETRY_MS);
    const oldest = this.#sql.exec<{ started: number | null }>("SELECT MIN(started_at) AS started FROM uploads").one();
    if (oldest.started !== null) due.push(oldest.started + STALE_UPLOAD_MS);
    if (due.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...due));
  }

  #clearStaleUploads(): void {
    const stale = this.#sql
      .exec<{ upload_id: string }>("SELECT upload_id FROM uploads WHERE started_at <= ?", Date.now() - STALE_UPLOAD_MS)
      .toArray();
    for (const { upload_id } of stale) this.ctx.storage.transactionSync(() => this.#dropUpload(upload_id, true));
  }

  #upload(uploadId: string): UploadRow {
    const upload = this.#sql.exec<UploadRow>("SELECT * FROM uploads WHERE upload_id = ?", uploadId).toArray()[0];
    if (!upload) throw new Error("No such upload: it was committed, aborted or cleared");
    return upload;
  }

  /** Forgets an upload's staged chunks; `vectorsToo` also queues their vectors for deletion. */
  #dropUpload(uploadId: string, vectorsToo: boolean): void {
    if (vectorsToo && this.#upkeep) {
      this.#upkeep.queueDeletions(
        this.#sql
          .exec<{ chunk_id: string }>("SELECT chunk_id FROM staged_chunks WHERE upload_id = ?", uploadId)
          .toArray()
          .map((row) => row.chunk_id),
      );
    }
    this.#sql.exec("DELETE FROM staged_chunks WHERE upload_id = ?", uploadId);
    this.#sql.exec("DELETE FROM uploads WHERE upload_id = ?", uploadId);
  }

  #document(filename: string): { file_hash: string; chunks: number } | undefined {
    return this.#sql
      .exec<{ file_hash: string; chunks: number }>(
        "SELECT file_hash, chunks FROM documents WHERE filename = ?",
        filename,
      )
      .toArray()[0];
  }

  /** Deletes a file's chunks from the keyword index; returns their ids. */
  #deleteChunks(filename: string): string[] {
    // Every change to the chunks passes here (an ingest replaces through it too):
    // searches reused in this isolate end now (see search-cache.ts).
    forgetSearches();
    const ids = this.#sql
      .exec<{ chunk_id: string }>("SELECT chunk_id FROM chunks WHERE filename = ?", filename)
      .toArray()
      .map((row) => row.chunk_id);
    this.#sql.exec("DELETE FROM chunk_terms WHERE rowid IN (SELECT id FROM chunks WHERE filename = ?)", filename);
    this.#sql.exec("DELETE FROM chunk_words WHERE rowid IN (SELECT id FROM chunks WHERE filename = ?)", filename);
    this.#sql.exec("DELETE FROM chunks WHERE filename = ?", filename);
    return ids;
  }

  // Loaded once per knowledge base: deleting a sample document later must not
  // bring it back on the next start.
  async #loadSampleCorpusOnce(): Promise<void> {
    const loaded = this.#sql.exec("SELECT 1 FROM kb_meta WHERE key = 'sample_corpus_loaded'").toArray().length > 0;
    if (loaded) return;
    for (const { filename, bytes } of SAMPLE_CORPUS) {
      const fileHash = await sha256Hex(bytes);
      const text = await documentText(filename, bytes);
      await ingestDocument(this, { filename, text, size: bytes.byteLength, fileHash });
    }
    this.#sql.exec("INSERT INTO kb_meta (key, value) VALUES ('sample_corpus_loaded', '1')");
  }
}

/** The one knowledge base every session and admin request talks to. */
export function knowledgeBase(env: Env): DurableObjectStub<KnowledgeBase> {
  return env.KNOWLEDGE_BASE.getByName("main");
}
