// What a session object tells its index shard (session-index.ts), so that
// `GET /sessions` lists it without visiting it: that it exists, its latest
// state, and that it is gone.
import { logFailure } from "../answering/ask-failure";
import { type IndexShardStub, indexShardFor, type SessionIndexEntry } from "./session-index";
import type { SessionRow } from "./session-storage";

const PUBLISH_DELAY_MS = 250;

export class ListingReports {
  #shard: IndexShardStub | undefined;
  #publishTimer: ReturnType<typeof setTimeout> | undefined;

  #env: Env;
  #waitUntil: (promise: Promise<unknown>) => void;

  constructor(env: Env, waitUntil: (promise: Promise<unknown>) => void) {
    this.#env = env;
    this.#waitUntil = waitUntil;
  }

  /**
   * Lists a new session before the ask that created it returns, so a client
   * (or an admin) sees it at once; later changes go through `publish`.
   */
  async list(session: SessionRow): Promise<void> {
    await this.#toIndex(session.session_id, (shard) => shard.put(entryOf(session))).catch(logFailure);
  }

  /**
   * Reports the session's state as `current` gives it, off the response path
   * and coalesced: a busy session reports at most once per PUBLISH_DELAY_MS.
   */
  publish(current: () => SessionRow | null): void {
    if (this.#publishTimer !== undefined) return;
    this.#publishTimer = setTimeout(() => {
      this.#publishTimer = undefined;
      const session = current();
      if (!session) return;
      this.#waitUntil(this.#toIndex(session.session_id, (shard) => shard.put(entryOf(session))).catch(logFailure));
    }, PUBLISH_DELAY_MS);
  }

  /** Removes the session from the listing; throws if the shard could not be reached. */
  async remove(sessionId: string): Promise<void> {
    if (this.#publishTimer !== undefined) clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    await this.#toIndex(sessionId, (shard) => shard.remove(sessionId));
  }

  // One stub for the object's lifetime: calls through the same stub arrive in
  // order, so a removal is never overtaken by an earlier update. Once a call
  // through a stub fails, so does every later one (after the shard was reset,
  // say), so a failed call is made once more through a new stub; both calls
  // are idempotent. Failures seen together share that new stub, in order.
  async #toIndex(sessionId: string, call: (shard: IndexShardStub) => Promise<void>): Promise<void> {
    this.#shard ??= indexShardFor(this.#env, sessionId);
    const shard = this.#shard;
    try {
      await call(shard);
    } catch {
      if (this.#shard === shard) this.#shard = indexShardFor(this.#env, sessionId);
      await call(this.#shard);
    }
  }
}

function entryOf(session: SessionRow): SessionIndexEntry {
  return {
    session_id: session.session_id,
    created_at: session.created_at,
    last_activity: session.last_activity,
    expires_at: session.expires_at,
    total_exchanges: session.total_exchanges,
  };
}
