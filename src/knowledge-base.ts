// The shared knowledge base: one Durable Object holding every document's
// chunks in SQLite, searched with FTS5 (BM25). Embedded mode answers from it
// alone; production fuses it with vector search.
import { DurableObject } from "cloudflare:workers";
import { chunkText } from "./chunking";
import { settings } from "./config";
import type { Passage, RetrievalQuery } from "./retriever";
import { SAMPLE_CORPUS } from "./sample-corpus";
import { contentStems, stem, tokens } from "./text-analysis";

export interface KnowledgeBaseStats {
  total_documents: number;
  total_files: number;
}

export interface IngestResult {
  filename: string;
  size: number;
  chunks: number;
  file_hash: string;
  already_processed: boolean;
}

const MAX_QUERY_TERMS = 32;

export class KnowledgeBase extends DurableObject<Env> {
  #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.#migrate();
      if (settings(env).LOAD_SAMPLE_CORPUS) await this.#loadSampleCorpusOnce();
    });
  }

  async search(query: RetrievalQuery): Promise<Passage[]> {
    const terms = contentStems(query.text).slice(0, MAX_QUERY_TERMS);
    if (terms.length === 0) return [];
    // Stems are letters and digits only, so quoting them is enough to keep
    // FTS5 query syntax out of user input.
    const match = terms.map((term) => `"${term}"`).join(" OR ");
    const filter = query.filenameFilter === null ? "" : "AND chunks.filename = ?";
    const params: SqlStorageValue[] = [match];
    if (query.filenameFilter !== null) params.push(query.filenameFilter);
    params.push(query.topK);
    const rows = this.#sql
      .exec<{ chunk_id: string; filename: string; content: string; rank: number }>(
        `SELECT chunks.chunk_id, chunks.filename, chunks.content, bm25(chunk_terms) AS rank
         FROM chunk_terms JOIN chunks ON chunks.id = chunk_terms.rowid
         WHERE chunk_terms MATCH ? ${filter}
         ORDER BY rank LIMIT ?`,
        ...params,
      )
      .toArray();
    return rows.map((row) => ({
      chunk_id: row.chunk_id,
      filename: row.filename,
      content: row.content,
      score: Math.round(-row.rank * 10_000) / 10_000,
    }));
  }

  async stats(): Promise<KnowledgeBaseStats> {
    const row = this.#sql
      .exec<{ files: number; chunks: number }>(
        "SELECT COUNT(*) AS files, COALESCE(SUM(chunks), 0) AS chunks FROM documents",
      )
      .one();
    return { total_documents: row.chunks, total_files: row.files };
  }

  /**
   * Indexes `text` as `filename`, replacing any earlier version in one
   * transaction, so a search sees either the old chunks or the new, never both.
   */
  async ingest(filename: string, text: string, size: number): Promise<IngestResult> {
    const fileHash = await sha256Hex(text);
    const existing = this.#sql
      .exec<{ file_hash: string; chunks: number }>(
        "SELECT file_hash, chunks FROM documents WHERE filename = ?",
        filename,
      )
      .toArray()[0];
    if (existing?.file_hash === fileHash) {
      return { filename, size, chunks: existing.chunks, file_hash: fileHash, already_processed: true };
    }
    const chunks = chunkText(text);
    this.ctx.storage.transactionSync(() => {
      this.#deleteChunks(filename);
      for (const [position, content] of chunks.entries()) {
        // Content-derived ids stay valid as vector ids and change with the content.
        const chunkId = `${fileHash.slice(0, 16)}-${position}`;
        const { id } = this.#sql
          .exec<{ id: number }>(
            "INSERT INTO chunks (chunk_id, filename, position, content) VALUES (?, ?, ?, ?) RETURNING id",
            chunkId,
            filename,
            position,
            content,
          )
          .one();
        this.#sql.exec("INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", id, indexTerms(filename, content));
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
    });
    return { filename, size, chunks: chunks.length, file_hash: fileHash, already_processed: false };
  }

  #deleteChunks(filename: string): void {
    this.#sql.exec("DELETE FROM chunk_terms WHERE rowid IN (SELECT id FROM chunks WHERE filename = ?)", filename);
    this.#sql.exec("DELETE FROM chunks WHERE filename = ?", filename);
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
      await this.ingest(filename, text, new TextEncoder().encode(text).byteLength);
    }
    this.#sql.exec("INSERT INTO kb_meta (key, value) VALUES ('sample_corpus_loaded', '1')");
  }
}

// The FTS column holds stems rather than the raw text, so Indonesian affixes
// ("pendaftaran", "mendaftar") meet the query's stems ("daftar").
function indexTerms(filename: string, content: string): string {
  return [...tokens(filename), ...tokens(content)].map(stem).join(" ");
}

export async function sha256Hex(text: string | ArrayBuffer): Promise<string> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
