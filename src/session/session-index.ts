// Listing sessions without visiting them: each session reports itself to one
// of a fixed number of index shards (chosen by a hash of its id), off the
// response path. `GET /sessions` reads every shard once and merges.
import { DurableObject } from "cloudflare:workers";

// Shards buy write capacity and cost every listing an RPC each. A session
// reports when it changes, about once per answer, and every answer is also a
// search in the one knowledge-base object: four shards already take several
// times the writes for which that object can answer questions.
export const INDEX_SHARDS = 4;

export type SessionIndexEntry = {
  session_id: string;
  created_at: number;
  last_activity: number;
  expires_at: number;
  total_exchanges: number;
};

/** Position in the listing: newest first, ties broken by id. */
export interface ListingCursor {
  created_at: number;
  session_id: string;
}

export class SessionIndexShard extends DurableObject<Env> {
  #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        session_id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        last_activity INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        total_exchanges INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS sessions_by_age ON sessions (created_at DESC, session_id DESC);
      CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at);
    `);
  }

  async put(entry: SessionIndexEntry): Promise<void> {
    // Reports can arrive out of order; never let an older one win.
    this.#sql.exec(
      `INSERT INTO sessions (session_id, created_at, last_activity, expires_at, total_exchanges)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET
         last_activity = max(last_activity, excluded.last_activity),
         expires_at = max(expires_at, excluded.expires_at),
         total_exchanges = max(total_exchanges, excluded.total_exchanges)`,
      entry.session_id,
      entry.created_at,
      entry.last_activity,
      entry.expires_at,
      entry.total_exchanges,
    );
  }

  async remove(sessionId: string): Promise<void> {
    // Also sweeps entries whose session expired without reporting its removal.
    this.#sql.exec("DELETE FROM sessions WHERE session_id = ? OR expires_at <= ?", sessionId, Date.now());
  }

  /**
   * Up to `limit` live sessions after `cursor`, in listing order, and how
   * many live sessions this shard holds in all. The count walks the expiry
   * index, integers only: tens of microseconds for thousands of sessions.
   */
  async list(
    limit: number,
    cursor: ListingCursor | null,
    now: number,
  ): Promise<{ entries: SessionIndexEntry[]; live: number }> {
    // Reads only: sessions whose expiry passed before their alarm ran are skipped, not deleted.
    const after = cursor ? "AND (created_at < ? OR (created_at = ? AND session_id < ?))" : "";
    const params = cursor ? [cursor.created_at, cursor.created_at, cursor.session_id] : [];
    const entries = this.#sql
      .exec<SessionIndexEntry>(
        // The age index gives the page in order without sorting every live session.
        `SELECT created_at, session_id, last_activity, expires_at, total_exchanges
         FROM sessions INDEXED BY sessions_by_age
         WHERE expires_at > ? ${after}
         ORDER BY created_at DESC, session_id DESC LIMIT ?`,
        now,
        ...params,
        limit,
      )
      .toArray();
    const { live } = this.#sql
      .exec<{ live: number }>("SELECT COUNT(*) AS live FROM sessions WHERE expires_at > ?", now)
      .one();
    return { entries, live };
  }
}

export type IndexShardStub = DurableObjectStub<SessionIndexShard>;

/** Shard number `shard`, of 0 to INDEX_SHARDS - 1. */
export function indexShard(env: Env, shard: number): IndexShardStub {
  return env.SESSION_INDEX.getByName(`shard-${shard}`);
}

/** The shard a session reports to. */
export function indexShardFor(env: Env, sessionId: string): IndexShardStub {
  let hash = 0;
  for (let i = 0; i < sessionId.length; i++) hash = (hash * 31 + sessionId.charCodeAt(i)) >>> 0;
  return indexShard(env, hash % INDEX_SHARDS);
}

// Sessions spread evenly over the shards, so a page holds about
// limit/INDEX_SHARDS from each: ask each shard for a few more than that, and
// go back only to a shard whose every returned entry made it into the page
// (it may have more that belong).
export async function listSessions(
  env: Env,
  limit: number,
  cursor: ListingCursor | null,
): Promise<{ sessions: SessionIndexEntry[]; next: ListingCursor | null; total: number }> {
  const now = Date.now();
  const wanted = limit + 1;
  const share = Math.min(wanted, 2 * Math.ceil(wanted / INDEX_SHARDS) + 1);
  const shards = await Promise.all(
    Array.from({ length: INDEX_SHARDS }, async (_, shard) => {
      const stub = indexShard(env, shard);
      const { entries, live } = await stub.list(share, cursor, now);
      return { stub, entries, live, exhausted: entries.length < share };
    }),
  );
  const total = shards.reduce((sum, shard) => sum + shard.live, 0);
  for (;;) {
    const merged = shards
      .flatMap((shard) => shard.entries)
      .sort(newestFirst)
      .slice(0, wanted);
    const cutoff = merged.at(-1);
    // A shard with more entries whose oldest fetched one still made the page may hold more that belong in it.
    const short = shards.filter((shard) => {
      const last = shard.entries.at(-1);
      if (shard.exhausted || !last || !cutoff) return false;
      return merged.length < wanted || newestFirst(last, cutoff) <= 0;
    });
    if (short.length === 0) {
      const sessions = merged.slice(0, limit);
      const last = sessions.at(-1);
      const next = merged.length > limit && last ? { created_at: last.created_at, session_id: last.session_id } : null;
      return { sessions, next, total };
    }
    await Promise.all(
      short.map(async (shard) => {
        const last = shard.entries.at(-1);
        const after = last ? { created_at: last.created_at, session_id: last.session_id } : cursor;
        const { entries: more } = await shard.stub.list(wanted, after, now);
        shard.entries.push(...more);
        shard.exhausted = more.length < wanted;
      }),
    );
  }
}

function newestFirst(a: SessionIndexEntry, b: SessionIndexEntry): number {
  return b.created_at - a.created_at || (a.session_id < b.session_id ? 1 : a.session_id > b.session_id ? -1 : 0);
}
