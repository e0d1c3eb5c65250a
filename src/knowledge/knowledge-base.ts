// The shared knowledge base: one Durable Object holding every document's
// chunks in SQLite, searched with FTS5 (BM25). Embedded mode answers from it
// alone; in production it also keeps the Vectorize index in step with its
// chunks and fuses dense and keyword results.
import { DurableObject } from "cloudflare:workers";
import { type Settings, settings } from "../config";
import type { BuildVectorstoreResponse, DeleteFileResponse, StoredFile, UploadResponse } from "../http/schemas";
import { sha256Hex } from "../sha256";
import { isoInZone } from "../timezone";
import { chunkText } from "./chunking";
import { reciprocalRankFusion } from "./rank-fusion";
import type { Passage, RetrievalQuery } from "./retriever";
import { SAMPLE_CORPUS } from "./sample-corpus";
import { forgetSearches } from "./search-cache";
import { contentStems, stem, tokens } from "./text-analysis";
import { type IndexedChunk, MAX_TEXTS_PER_EMBEDDING, type VectorStore, vectorStoreFor } from "./vector-store";

type KnowledgeBaseStats = BuildVectorstoreResponse["data"];

interface DocumentInput {
  filename: string;
  text: string;
  size: number;
  /** SHA-256 of the uploaded bytes, hex. */
  fileHash: string;
}

type IngestResult = UploadResponse["data"];

const MAX_QUERY_TERMS = 32;
// Each side of the fusion contributes more candidates than are finally kept.
const CANDIDATES_PER_RESULT = 2;

export class KnowledgeBase extends DurableObject<Env> {
  #sql: SqlStorage;
  #config: Settings;
  #vectors: VectorStore | null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#config = settings(env);
    this.#vectors = vectorStoreFor(env, this.#config);
    ctx.blockConcurrencyWhile(async () => {
      this.#migrate();
      if (this.#config.LOAD_SAMPLE_CORPUS) await this.#loadSampleCorpusOnce();
    });
  }

  /** Keyword search (FTS5, BM25), best first. */
  async search(query: RetrievalQuery): Promise<Passage[]> {
    const terms = contentStems(query.text).slice(0, MAX_QUERY_TERMS);
    if (terms.length === 0) return [];
    // Stems are letters and digits only, so quoting them is enough to keep
    // FTS5 query syntax out of user input.
    const match = terms.map((term) => `"${term}"`).join(" OR ");
    // Unfiltered, rank in the full-text index first and join only the top K;
    // a filter has to join before ranking.
    const rows = this.#sql
      .exec<{ chunk_id: string; filename: string; content: string; rank: number }>(
        query.filenameFilter === null
          ? `SELECT chunks.chunk_id, chunks.filename, chunks.content, hits.rank
             FROM (SELECT rowid, rank FROM chunk_terms WHERE chunk_terms MATCH ? ORDER BY rank LIMIT ?) AS hits
             JOIN chunks ON chunks.id = hits.rowid ORDER BY hits.rank`
          : `SELECT chunks.chunk_id, chunks.filename, chunks.content, chunk_terms.rank
             FROM chunk_terms JOIN chunks ON chunks.id = chunk_terms.rowid
             WHERE chunk_terms MATCH ? AND chunks.filename = ? ORDER BY chunk_terms.rank LIMIT ?`,
        ...(query.filenameFilter === null ? [match, query.topK] : [match, query.filenameFilter, query.topK]),
      )
      .toArray();
    return rows.map((row) => ({
      chunk_id: row.chunk_id,
      filename: row.filename,
      content: row.content,
      score: Math.round(-row.rank * 10_000) / 10_000,
    }));
  }

  /**
   * Dense (Vectorize) and keyword results fused by reciprocal rank. Dense hits
   * under the relevance threshold, or of chunks no longer current (a replaced
   * version whose vectors are still being deleted), are dropped.
   */
  async hybridSearch(query: RetrievalQuery): Promise<Passage[]> {
    if (!this.#vectors) return this.search(query);
    const candidates = { ...query, topK: query.topK * CANDIDATES_PER_RESULT };
    const [dense, keyword] = await Promise.all([
      this.#vectors.query(query.text, candidates.topK, query.filenameFilter),
      this.search(candidates),
    ]);
    const relevant = dense.filter((passage) => passage.score >= this.#config.RELEVANCE_THRESHOLD);
    const current = this.#currentChunkIds(relevant.map((passage) => passage.chunk_id));
    const fresh = relevant.filter((passage) => current.has(passage.chunk_id));
    return reciprocalRankFusion([fresh, keyword]).slice(0, query.topK);
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
   * Indexes a document, replacing any earlier version. New vectors are written
   * first under new ids (ids derive from the content hash); then the chunks are
   * swapped in one transaction, so a search sees the old version or the new,
   * never both and never neither; the old vectors go last.
   */
  async ingest(input: DocumentInput): Promise<IngestResult> {
    const { filename, text, size, fileHash } = input;
    const existing = this.#document(filename);
    if (existing?.file_hash === fileHash) {
      return { filename, size, chunks: existing.chunks, file_hash: fileHash, already_processed: true };
    }
    // Ids derive from the name and the content: a new version never reuses an
    // old version's vector ids, and two files with the same content never collide.
    const idPrefix = (await sha256Hex(new TextEncoder().encode(`${filename}\n${fileHash}`))).slice(0, 16);
    const chunks: IndexedChunk[] = chunkText(text).map((content, position) => ({
      chunk_id: `${idPrefix}-${position}`,
      filename,
      content,
    }));
    if (this.#vectors) {
      try {
        await this.#vectors.upsert(chunks);
      } catch (error) {
        await this.#vectors.delete(chunks.map((chunk) => chunk.chunk_id)).catch(() => {});
        throw error;
      }
    }
    const replaced = this.ctx.storage.transactionSync(() => {
      const oldIds = this.#deleteChunks(filename);
      for (const [position, chunk] of chunks.entries()) {
        const { id } = this.#sql
          .exec<{ id: number }>(
            "INSERT INTO chunks (chunk_id, filename, position, content) VALUES (?, ?, ?, ?) RETURNING id",
            chunk.chunk_id,
            filename,
            position,
            chunk.content,
          )
          .one();
        this.#sql.exec("INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", id, indexTerms(filename, chunk.content));
      }
      this.#sql.exec(
        `INSERT INTO documents (filename, file_hash, size, chunks, upload_date) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (filename) DO UPDATE SET file_hash = excluded.file_hash, size = excluded.size,
           chunks = excluded.chunks, upload_date = excluded.upload_date`,
        filename,
        fileHash,
        size,
        chunks.length,
        Date.now(),
      );
      return oldIds;
    });
    await this.#forgetVectors(replaced);
    return { filename, size, chunks: chunks.length, file_hash: fileHash, already_processed: false };
  }

  /** Removes a document from both indexes; null if there is no such file. */
  async remove(filename: string): Promise<DeleteFileResponse["data"] | null> {
    if (!this.#document(filename)) return null;
    const removed = this.ctx.storage.transactionSync(() => {
      const ids = this.#deleteChunks(filename);
      this.#sql.exec("DELETE FROM documents WHERE filename = ?", filename);
      return ids;
    });
    await this.#forgetVectors(removed);
    return { deleted_chunks: removed.length };
  }

  /** Re-embeds every stored chunk into the vector index, a bounded batch at a time; null without one. */
  async rebuildVectors(): Promise<KnowledgeBaseStats | null> {
    if (!this.#vectors) return null;
    let after = 0;
    for (;;) {
      const rows = this.#sql
        .exec<IndexedChunk & { id: number }>(
          "SELECT id, chunk_id, filename, content FROM chunks WHERE id > ? ORDER BY id LIMIT ?",
          after,
          MAX_TEXTS_PER_EMBEDDING,
        )
        .toArray();
      if (rows.length === 0) break;
      await this.#vectors.upsert(rows.map(({ chunk_id, filename, content }) => ({ chunk_id, filename, content })));
      after = rows.at(-1)?.id ?? after;
    }
    return this.stats();
  }

  #document(filename: string): { file_hash: string; chunks: number } | undefined {
    return this.#sql
      .exec<{ file_hash: string; chunks: number }>(
        "SELECT file_hash, chunks FROM documents WHERE filename = ?",
        filename,
      )
      .toArray()[0];
  }

  #currentChunkIds(ids: string[]): Set<string> {
    if (ids.length === 0) return new Set();
    const placeholders = ids.map(() => "?").join(", ");
    return new Set(
      this.#sql
        .exec<{ chunk_id: string }>(`SELECT chunk_id FROM chunks WHERE chunk_id IN (${placeholders})`, ...ids)
        .toArray()
        .map((row) => row.chunk_id),
    );
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
    this.#sql.exec("DELETE FROM chunks WHERE filename = ?", filename);
    return ids;
  }

  // Vectors of chunks that are no longer current are never returned (see
  // hybridSearch), so a failed deletion costs index space, not correctness.
  async #forgetVectors(ids: string[]): Promise<void> {
    if (!this.#vectors || ids.length === 0) return;
    try {
      await this.#vectors.delete(ids);
    } catch (error) {
      console.error(JSON.stringify({ level: "error", where: "knowledge-base", error: String(error) }));
    }
  }

  #migrate(): void {
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS documents (
        filename TEXT PRIMARY KEY,
        file_hash TEXT NOT NULL,
        size INTEGER NOT NULL,
        chunks INTEGER NOT NULL,
        upload_date INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS chunks (
        id INTEGER PRIMARY KEY,
        chunk_id TEXT NOT NULL UNIQUE,
        filename TEXT NOT NULL,
        position INTEGER NOT NULL,
        content TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS chunks_by_filename ON chunks (filename);
      CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2');
      CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  // Loaded once per knowledge base: deleting a sample document later must not
  // bring it back on the next start.
  async #loadSampleCorpusOnce(): Promise<void> {
    const loaded = this.#sql.exec("SELECT 1 FROM kb_meta WHERE key = 'sample_corpus_loaded'").toArray().length > 0;
    if (loaded) return;
    for (const { filename, text } of SAMPLE_CORPUS) {
      const bytes = new TextEncoder().encode(text);
      await this.ingest({ filename, text, size: bytes.byteLength, fileHash: await sha256Hex(bytes) });
    }
    this.#sql.exec("INSERT INTO kb_meta (key, value) VALUES ('sample_corpus_loaded', '1')");
  }
}

/** The one knowledge base every session and admin request talks to. */
export function knowledgeBase(env: Env): DurableObjectStub<KnowledgeBase> {
  return env.KNOWLEDGE_BASE.getByName("main");
}

// The FTS column holds stems rather than the raw text, so Indonesian affixes
// ("pendaftaran", "mendaftar") meet the query's stems ("daftar").
function indexTerms(filename: string, content: string): string {
  return [...tokens(filename), ...tokens(content)].map(stem).join(" ");
}
