// A session's SQLite storage: one row for the session itself and one per
// exchange. Every read of the exchanges is bounded, and none grows with the
// history: an ask costs the same with 1,000 exchanges stored as with one.

import type { Answer } from "../answering/answer-pipeline";
import type { Exchange } from "../answering/generator";
import type { Feedback, HistoryItem } from "../http/schemas";
import { isoInZone } from "../timezone";
import type { StoredAnswer } from "./answer-log";

export type SessionRow = {
  session_id: string;
  created_at: number;
  last_activity: number;
  expires_at: number;
  context_window: number;
  total_exchanges: number;
  total_answer_ms: number;
  total_answer_tokens: number;
};

type ExchangeRow = {
  question: string;
  answer: string;
  sources: string;
  citations: string;
  created_at: number;
  /** Lengths of the streamed tokens, so a stored answer replays with the ids it was sent with. */
  token_lengths: string;
  /** Why the answer broke off; null for a complete answer. */
  error: string | null;
  /** The user's rating of the answer, "up" or "down"; null until rated. */
  rating: Feedback["rating"] | null;
  comment: string | null;
  /** The id of the answer's insights record, which its feedback goes to; null if none was made. */
  insight_id: string | null;
};

/** An exchange as rating it needs it, with its 0-based index in the history. */
export type RatedExchange = Pick<ExchangeRow, "answer" | "insight_id"> & { seq: number; index: number };

// The context for a follow-up is the latest complete exchanges. `error` is
// stored after the large columns, so without this index testing it reads
// each row's overflow pages.
const COMPLETE_EXCHANGES_INDEX =
  "CREATE INDEX IF NOT EXISTS exchanges_complete ON exchanges (seq) WHERE error IS NULL;";

export function hasTables(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'session'").toArray().length > 0;
}

export function createTables(sql: SqlStorage): void {
  sql.exec(`
    CREATE TABLE session (
      session_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_activity INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      context_window INTEGER NOT NULL,
      total_exchanges INTEGER NOT NULL DEFAULT 0,
      total_answer_ms INTEGER NOT NULL DEFAULT 0,
      total_answer_tokens INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE exchanges (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      question TEXT NOT NULL,
      answer TEXT NOT NULL,
      sources TEXT NOT NULL,
      citations TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      token_lengths TEXT NOT NULL DEFAULT '[]',
      error TEXT,
      rating TEXT,
      comment TEXT,
      insight_id TEXT
    );
    ${COMPLETE_EXCHANGES_INDEX}
  `);
}

/**
 * Brings the tables of a session created before 2026-11-25 up to date: it
 * lacks the columns for answers stored as they stream, and the index of
 * complete exchanges; one created before 2026-11-27 lacks those of feedback.
 * Remove on or after 2027-01-01: by then every such session has passed its
 * SESSION_MAX_LIFETIME_SECONDS (a day by default) unless a deployment raised
 * that above a month.
 */
export function upgradeTables(sql: SqlStorage): void {
  const columns = new Set(
    sql
      .exec<{ name: string }>("SELECT name FROM pragma_table_info('exchanges')")
      .toArray()
      .map((column) => column.name),
  );
  if (!columns.has("error")) {
    sql.exec(`
      ALTER TABLE session ADD COLUMN total_answer_tokens INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE exchanges ADD COLUMN token_lengths TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE exchanges ADD COLUMN error TEXT;
    `);
  }
  if (!columns.has("rating")) {
    sql.exec(`
      ALTER TABLE exchanges ADD COLUMN rating TEXT;
      ALTER TABLE exchanges ADD COLUMN comment TEXT;
      ALTER TABLE exchanges ADD COLUMN insight_id TEXT;
    `);
  }
  sql.exec(COMPLETE_EXCHANGES_INDEX);
}

export function insertSession(sql: SqlStorage, session: SessionRow): void {
  sql.exec(
    "INSERT INTO session (session_id, created_at, last_activity, expires_at, context_window) VALUES (?, ?, ?, ?, ?)",
    session.session_id,
    session.created_at,
    session.last_activity,
    session.expires_at,
    session.context_window,
  );
}

export function readSession(sql: SqlStorage): SessionRow {
  return sql.exec<SessionRow>("SELECT * FROM session").one();
}

export function writeSession(sql: SqlStorage, session: SessionRow): void {
  sql.exec(
    `UPDATE session SET last_activity = ?, expires_at = ?, context_window = ?,
       total_exchanges = ?, total_answer_ms = ?, total_answer_tokens = ?`,
    session.last_activity,
    session.expires_at,
    session.context_window,
    session.total_exchanges,
    session.total_answer_ms,
    session.total_answer_tokens,
  );
}

/**
 * Stores an exchange and, once more than `kept` were stored, deletes the
 * oldest: one row insert (and one delete) per exchange.
 */
export function insertExchange(
  sql: SqlStorage,
  exchange: {
    question: string;
    answer: Answer;
    tokens: string[];
    at: number;
    error: string | null;
    insightId: string | null;
  },
  kept: number,
): void {
  const { seq } = sql
    .exec<{ seq: number }>(
      `INSERT INTO exchanges (question, answer, sources, citations, created_at, token_lengths, error, insight_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
      exchange.question,
      exchange.answer.answer,
      JSON.stringify(exchange.answer.sources),
      JSON.stringify(exchange.answer.citations),
      exchange.at,
      JSON.stringify(exchange.tokens.map((token) => token.length)),
      exchange.error,
      exchange.insightId,
    )
    .one();
  if (seq > kept) sql.exec("DELETE FROM exchanges WHERE seq <= ?", seq - kept);
}

/** The latest `limit` complete exchanges, oldest first: the context for a follow-up. */
export function recentExchanges(sql: SqlStorage, limit: number): Exchange[] {
  return sql
    .exec<{ question: string; answer: string }>(
      // A broken-off answer is not something to build a follow-up on.
      "SELECT question, answer FROM exchanges WHERE error IS NULL ORDER BY seq DESC LIMIT ?",
      limit,
    )
    .toArray()
    .reverse();
}

/** The latest `limit` exchanges as the API shows them, oldest first. */
export function historyItems(sql: SqlStorage, limit: number, zone: string): HistoryItem[] {
  return sql
    .exec<ExchangeRow>(
      `SELECT * FROM (SELECT question, answer, sources, citations, created_at, error, rating, comment, seq
       FROM exchanges ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
      limit,
    )
    .toArray()
    .map((row) => ({
      question: row.question,
      answer: row.answer,
      sources: JSON.parse(row.sources),
      citations: JSON.parse(row.citations),
      timestamp: isoInZone(row.created_at, zone),
      complete: row.error === null,
      feedback: row.rating === null ? null : { rating: row.rating, comment: row.comment },
    }));
}

/**
 * The exchange at `index` of the history as the API shows it (the latest
 * `shown` exchanges, oldest first), or the latest when `index` is null; null
 * if there is no such exchange. Stored exchanges have consecutive `seq`s
 * (only the oldest are ever deleted), so this reads three rows, not the history.
 */
export function exchangeAt(sql: SqlStorage, index: number | null, shown: number): RatedExchange | null {
  // Each bound in a subquery of its own, so that each is one index lookup.
  const { first, last } = sql
    .exec<{ first: number | null; last: number | null }>(
      "SELECT (SELECT MIN(seq) FROM exchanges) AS first, (SELECT MAX(seq) FROM exchanges) AS last",
    )
    .one();
  if (first === null || last === null) return null;
  const from = Math.max(first, last - shown + 1);
  const seq = index === null ? last : from + index;
  if (seq > last) return null;
  const row = sql
    .exec<Pick<ExchangeRow, "answer" | "insight_id">>("SELECT answer, insight_id FROM exchanges WHERE seq = ?", seq)
    .toArray()[0];
  return row ? { seq, index: seq - from, ...row } : null;
}

/** Stores the user's rating of an exchange, replacing any earlier one. */
export function rateExchange(sql: SqlStorage, seq: number, feedback: Feedback): void {
  sql.exec("UPDATE exchanges SET rating = ?, comment = ? WHERE seq = ?", feedback.rating, feedback.comment, seq);
}

/** The latest exchange as stored, to replay as the events it was sent as; null before the first. */
export function latestAnswer(sql: SqlStorage): StoredAnswer | null {
  const row = sql.exec<ExchangeRow>("SELECT * FROM exchanges ORDER BY seq DESC LIMIT 1").toArray()[0];
  if (!row) return null;
  return {
    answer: row.answer,
    tokenLengths: JSON.parse(row.token_lengths),
    error: row.error,
    sources: JSON.parse(row.sources),
    citations: JSON.parse(row.citations),
  };
}
