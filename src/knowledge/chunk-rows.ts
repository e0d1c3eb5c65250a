// The knowledge base's chunk rows, which vectors are made of, and reading them
// by id: what a dense hit from Vectorize is checked against, since the index
// can still hold vectors of chunks that were replaced or deleted a moment ago.

export type ChunkRow = { chunk_id: string; filename: string; content: string; heading: string };

// SQLite's default cap on bound parameters is far above the topK of a query.
const IDS_PER_STATEMENT = 100;

/** The current chunks among `ids`, by id; ids of chunks that are gone are absent. */
export function currentChunks(sql: SqlStorage, ids: readonly string[]): Map<string, ChunkRow> {
  const found = new Map<string, ChunkRow>();
  for (let at = 0; at < ids.length; at += IDS_PER_STATEMENT) {
    const some = ids.slice(at, at + IDS_PER_STATEMENT);
    const placeholders = some.map(() => "?").join(", ");
    const rows = sql.exec<ChunkRow>(
      `SELECT chunk_id, filename, content, heading FROM chunks WHERE chunk_id IN (${placeholders})`,
      ...some,
    );
    for (const row of rows) found.set(row.chunk_id, row);
  }
  return found;
}
