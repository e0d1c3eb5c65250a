// Keeping the Vectorize index in step with the knowledge base's chunks, in
// bounded steps a Durable Object alarm can resume: vectors of chunks that are
// gone wait in a table until Vectorize has confirmed their deletion, and a
// rebuild of the whole index remembers how far it got.

import type { ChunkRow } from "./chunk-rows";
import { currentChunks } from "./chunk-rows";
import type { VectorStore } from "./vector-store";
import { MAX_IDS_PER_DELETE, MAX_TEXTS_PER_EMBEDDING } from "./vector-store";

export type RebuildProgress = { rebuilt_chunks: number; total_chunks: number; finished: boolean };

const REBUILD_CURSOR = "rebuild_after";

export class VectorUpkeep {
  constructor(
    private readonly sql: SqlStorage,
    private readonly vectors: VectorStore,
  ) {}

  static migrate(sql: SqlStorage): void {
    sql.exec("CREATE TABLE IF NOT EXISTS vector_deletions (chunk_id TEXT PRIMARY KEY)");
  }

  /** Records vectors to delete; call inside the transaction that removes their chunks. */
  queueDeletions(ids: Iterable<string>): void {
    for (const id of ids) this.sql.exec("INSERT OR IGNORE INTO vector_deletions (chunk_id) VALUES (?)", id);
  }

  get deletionsPending(): boolean {
    return this.sql.exec("SELECT 1 FROM vector_deletions LIMIT 1").toArray().length > 0;
  }

  /**
   * Deletes queued vectors, at most `maxBatches` × 1000 of them; those
   * Vectorize did not confirm stay queued. Until then they cost index space,
   * not correctness: a hit on a chunk that is gone is never returned.
   */
  async flushDeletions(maxBatches = 10): Promise<boolean> {
    for (let batch = 0; batch < maxBatches; batch++) {
      const ids = this.sql
        .exec<{ chunk_id: string }>("SELECT chunk_id FROM vector_deletions LIMIT ?", MAX_IDS_PER_DELETE)
        .toArray()
        .map((row) => row.chunk_id);
      if (ids.length === 0) return true;
      try {
        await this.vectors.delete(ids);
      } catch (error) {
        console.error(JSON.stringify({ level: "error", where: "vector-deletions", error: String(error) }));
        return false;
      }
      for (const id of ids) this.sql.exec("DELETE FROM vector_deletions WHERE chunk_id = ?", id);
    }
    return !this.deletionsPending;
  }

  /** Starts re-embedding every chunk, unless a rebuild is already under way. */
  startRebuild(): void {
    this.sql.exec(`INSERT OR IGNORE INTO kb_meta (key, value) VALUES ('${REBUILD_CURSOR}', '0')`);
  }

  get rebuilding(): boolean {
    return this.#cursor() !== null;
  }

  /** Re-embeds up to `maxBatches` batches of chunks after the cursor; the cursor moves only past written vectors. */
  async continueRebuild(maxBatches: number): Promise<RebuildProgress> {
    for (let batch = 0; batch < maxBatches; batch++) {
      const after = this.#cursor();
      if (after === null) break;
      const rows = this.sql
        .exec<ChunkRow & { id: number }>(
          "SELECT id, chunk_id, filename, content, heading FROM chunks WHERE id > ? ORDER BY id LIMIT ?",
          after,
          MAX_TEXTS_PER_EMBEDDING,
        )
        .toArray();
      if (rows.length === 0) {
        this.sql.exec(`DELETE FROM kb_meta WHERE key = '${REBUILD_CURSOR}'`);
        break;
      }
      await this.vectors.upsert(
        rows.map(({ chunk_id, filename, content, heading }) => ({ chunk_id, filename, content, heading })),
      );
      // A chunk replaced while its vector was being written leaves that vector behind.
      const current = currentChunks(
        this.sql,
        rows.map((row) => row.chunk_id),
      );
      this.queueDeletions(rows.filter((row) => !current.has(row.chunk_id)).map((row) => row.chunk_id));
      this.sql.exec(`UPDATE kb_meta SET value = ? WHERE key = '${REBUILD_CURSOR}'`, String(rows.at(-1)?.id ?? after));
    }
    return this.progress();
  }

  progress(): RebuildProgress {
    const after = this.#cursor();
    const { total, done } = this.sql
      .exec<{ total: number; done: number }>(
        "SELECT COUNT(*) AS total, COALESCE(SUM(id <= ?), 0) AS done FROM chunks",
        after ?? Number.MAX_SAFE_INTEGER,
      )
      .one();
    return { rebuilt_chunks: done, total_chunks: total, finished: after === null };
  }

  #cursor(): number | null {
    const row = this.sql
      .exec<{ value: string }>(`SELECT value FROM kb_meta WHERE key = '${REBUILD_CURSOR}'`)
      .toArray()[0];
    return row ? Number(row.value) : null;
  }
}
