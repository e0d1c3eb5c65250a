// The knowledge base's SQLite tables (its vector upkeep keeps its own, see
// vector-upkeep.ts): the documents, their chunks with an FTS5 index of their
// stems and one of their words as written, and the uploads in progress with
// their staged chunks. A knowledge base made by an earlier release is brought
// up to date here.

export function migrateTables(sql: SqlStorage): void {
  sql.exec(`
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
    CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocab USING fts5vocab(chunk_terms, 'row');
    CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS uploads (
      upload_id TEXT PRIMARY KEY,
      filename TEXT NOT NULL,
      file_hash TEXT NOT NULL,
      size INTEGER NOT NULL,
      id_prefix TEXT NOT NULL,
      chunks INTEGER NOT NULL DEFAULT 0,
      started_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS staged_chunks (
      upload_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      chunk_id TEXT NOT NULL,
      content TEXT NOT NULL,
      heading TEXT NOT NULL,
      PRIMARY KEY (upload_id, position)
    );
  `);
  // Added after the first release: chunks stored before it have no headings.
  const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('chunks')").toArray();
  if (!columns.some((column) => column.name === "heading")) {
    sql.exec("ALTER TABLE chunks ADD COLUMN heading TEXT NOT NULL DEFAULT ''");
  }
  // The words of the chunks as written, for reading typos (spelling.ts):
  // only which chunks hold a word is kept, not the text or the positions.
  // Added after the first release: chunks stored before it are indexed once.
  const hasWords = sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'chunk_words'").toArray().length > 0;
  sql.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS chunk_words USING fts5(
      words, content = '', contentless_delete = 1, detail = none, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE IF NOT EXISTS chunk_word_vocab USING fts5vocab(chunk_words, 'row');
  `);
  if (!hasWords) {
    sql.exec(
      "INSERT INTO chunk_words (rowid, words) SELECT id, filename || char(10) || heading || char(10) || content FROM chunks",
    );
  }
}

/** An upload begun and not yet committed or aborted. */
export type UploadRow = {
  upload_id: string;
  filename: string;
  file_hash: string;
  size: number;
  id_prefix: string;
  chunks: number;
  started_at: number;
};
