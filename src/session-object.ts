// One Durable Object per conversation. It owns the session's lifetime (idle
// and absolute expiry by alarm), its history in SQLite, and the answering
// itself, so an answer completes and is stored even if its client goes away.
import { DurableObject } from "cloudflare:workers";
import { type Answer, AnswerFailed, answerQuestion, type Citation } from "./answer-pipeline";
import { type Settings, settings } from "./config";
import type { Exchange } from "./generator";
import { providers } from "./providers";
import { indexShardFor, type SessionIndexEntry } from "./session-index";
import { type AnswerEvent, encodeEvent } from "./sse";
import { humanNow, isoInZone } from "./timezone";

type SessionRow = {
  session_id: string;
  created_at: number;
  last_activity: number;
  expires_at: number;
  context_window: number;
  total_exchanges: number;
  total_answer_ms: number;
};

type ExchangeRow = {
  question: string;
  answer: string;
  sources: string;
  citations: string;
  created_at: number;
};

export interface AskInput {
  session_id: string;
  /** True when the Worker minted `session_id` for this request. */
  create: boolean;
  question: string;
  top_k: number;
  filename_filter: string | null;
}

export interface AskResult extends Answer {
  question: string;
  timestamp: string;
  session_id: string;
}

export interface HistoryEntry {
  question: string;
  answer: string;
  sources: string[];
  citations: Citation[];
  timestamp: string;
}

export interface SessionInfo {
  session_id: string;
  created_at: string;
  last_activity: string;
  expires_at: string;
  total_exchanges: number;
  config: { context_window: number };
  stats: { questions_asked: number; average_answer_ms: number | null };
}

/** The most exchanges any single read returns; history reads are always bounded. */
export const HISTORY_READ_LIMIT = 1000;
const PUBLISH_DELAY_MS = 250;

/** An answer that could not be produced: the status the API answers with and a message safe to show. */
export type AskFailure = { status: 502 | 503; detail: string };
export type AskOutcome = { result: AskResult } | { failure: AskFailure };

function failureOf(error: unknown): AskFailure {
  if (error instanceof AnswerFailed && error.stage === "retrieval") {
    return { status: 503, detail: "The knowledge base is unavailable right now. Please try again shortly." };
  }
  return { status: 502, detail: "The answer could not be generated. Please try again." };
}

export class SessionObject extends DurableObject<Env> {
  #sql: SqlStorage;
  // Tables exist only once a session was created here: a lookup of an id that
  // was never issued must not write anything, not even a schema.
  #created: boolean;
  #shard: ReturnType<typeof indexShardFor> | undefined;
  #publishTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#created = this.#sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'session'").toArray().length > 0;
  }

  /** Answers a question and stores the exchange; null if the session does not exist. */
  async ask(input: AskInput): Promise<AskOutcome | null> {
    const session = this.#open(input);
    if (!session) return null;
    const started = Date.now();
    try {
      const answer = await this.#answer(session, input, () => {});
      const result = this.#record(input.question, answer, started);
      return result ? { result } : null;
    } catch (error) {
      // Nothing is recorded for a failed answer; the session stays usable.
      logFailure(error);
      return { failure: failureOf(error) };
    }
  }

  /**
   * Like `ask`, but returns the answer as an SSE byte stream. The answer runs
   * to completion and is stored even if the reader cancels.
   */
  async askStream(input: AskInput): Promise<ReadableStream<Uint8Array> | null> {
    const session = this.#open(input);
    if (!session) return null;
    const started = Date.now();
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    let connected = true;
    const send = (event: AnswerEvent) => {
      if (!connected) return;
      writer.write(encodeEvent(event)).catch(() => {
        connected = false;
      });
    };
    // Sent before any retrieval, so the client learns its session id at once.
    send({ type: "session", session_id: session.session_id });
    const run = (async () => {
      try {
        const answer = await this.#answer(session, input, (token) => send({ type: "content", token }));
        this.#record(input.question, answer, started);
        send({ type: "source", sources: answer.sources, citations: answer.citations });
        send({ type: "done" });
      } catch (error) {
        logFailure(error);
        send({ type: "error", error: failureOf(error).detail });
      } finally {
        writer.close().catch(() => {});
      }
    })();
    this.ctx.waitUntil(run);
    return readable;
  }

  async history(): Promise<{ session_id: string; history: HistoryEntry[]; total_exchanges: number } | null> {
    const session = this.#use();
    if (!session) return null;
    return {
      session_id: session.session_id,
      history: this.#historyEntries(),
      total_exchanges: session.total_exchanges,
    };
  }

  async info(): Promise<SessionInfo | null> {
    const session = this.#use();
    return session ? this.#info(session) : null;
  }

  async setContextWindow(contextWindow: number): Promise<number | null> {
    const session = this.#use();
    if (!session) return null;
    this.#sql.exec("UPDATE session SET context_window = ?", contextWindow);
    return contextWindow;
  }

  async exportConversation(): Promise<{
    session_id: string;
    created_at: string;
    exported_at: string;
    config: { context_window: number };
    history: HistoryEntry[];
  } | null> {
    const session = this.#use();
    if (!session) return null;
    const zone = settings(this.env).TIMEZONE;
    return {
      session_id: session.session_id,
      created_at: isoInZone(session.created_at, zone),
      exported_at: isoInZone(Date.now(), zone),
      config: { context_window: session.context_window },
      history: this.#historyEntries(),
    };
  }

  /** Deletes the session and everything in it; false if there was nothing to delete. */
  async delete(): Promise<boolean> {
    const session = this.#read();
    if (!session) return false;
    await this.#destroy(session.session_id);
    return true;
  }

  // Alarms are delivered at least once and retried, and may arrive after the
  // session was deleted or used again: decide from what is stored, not from
  // the fact that an alarm fired.
  override async alarm(): Promise<void> {
    const session = this.#read();
    if (!session) return;
    if (Date.now() >= session.expires_at) await this.#destroy(session.session_id);
    else await this.ctx.storage.setAlarm(session.expires_at);
  }

  // An ask writes once, when it is recorded; opening it only reads.
  #open(input: AskInput): SessionRow | null {
    if (input.create && !this.#created) this.#create(input.session_id);
    return this.#live();
  }

  #create(sessionId: string): void {
    const now = Date.now();
    const config = settings(this.env);
    this.#sql.exec(`
      CREATE TABLE session (
        session_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_activity INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        context_window INTEGER NOT NULL,
        total_exchanges INTEGER NOT NULL DEFAULT 0,
        total_answer_ms INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE exchanges (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        sources TEXT NOT NULL,
        citations TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `);
    this.#sql.exec(
      "INSERT INTO session (session_id, created_at, last_activity, expires_at, context_window) VALUES (?, ?, ?, ?, ?)",
      sessionId,
      now,
      now,
      expiry(now, now, config),
      config.DEFAULT_CONTEXT_WINDOW,
    );
    this.ctx.storage.setAlarm(expiry(now, now, config));
    this.#created = true;
    this.#publish();
  }

  /** The session row as stored, expired or not. */
  #read(): SessionRow | null {
    if (!this.#created) return null;
    return this.#sql.exec<SessionRow>("SELECT * FROM session").toArray()[0] ?? null;
  }

  /** The session if it exists and has not expired; reads only. */
  #live(): SessionRow | null {
    const session = this.#read();
    if (!session) return null;
    if (Date.now() >= session.expires_at) {
      // Expired before its alarm ran: treat it exactly as the alarm would.
      this.ctx.waitUntil(this.#destroy(session.session_id));
      return null;
    }
    return session;
  }

  /** The live session, with its expiry pushed forward; null if absent or expired. */
  #use(): SessionRow | null {
    const session = this.#live();
    if (!session) return null;
    this.#touch(session, Date.now());
    this.#sql.exec("UPDATE session SET last_activity = ?, expires_at = ?", session.last_activity, session.expires_at);
    this.#publish();
    return session;
  }

  // No alarm is moved here: expiry only ever moves later, and an alarm that
  // fires early re-arms itself for the stored expiry (see alarm()).
  #touch(session: SessionRow, now: number): void {
    session.last_activity = now;
    session.expires_at = expiry(session.created_at, now, settings(this.env));
  }

  async #answer(session: SessionRow, input: AskInput, onToken: (token: string) => void): Promise<Answer> {
    const { retriever, generator, rewrite } = providers(this.env);
    return answerQuestion({
      question: input.question,
      topK: input.top_k,
      filenameFilter: input.filename_filter,
      history: this.#recentExchanges(session.context_window),
      now: humanNow(Date.now(), settings(this.env).TIMEZONE),
      retriever,
      generator,
      rewrite,
      onToken,
    });
  }

  /** One row insert per exchange: the cost of an ask never grows with the history. */
  #record(question: string, answer: Answer, started: number): AskResult | null {
    const session = this.#read();
    const now = Date.now();
    if (!session) return null; // deleted while the answer was being generated
    this.#sql.exec(
      "INSERT INTO exchanges (question, answer, sources, citations, created_at) VALUES (?, ?, ?, ?, ?)",
      question,
      answer.answer,
      JSON.stringify(answer.sources),
      JSON.stringify(answer.citations),
      now,
    );
    this.#touch(session, now);
    this.#sql.exec(
      `UPDATE session SET total_exchanges = total_exchanges + 1, total_answer_ms = total_answer_ms + ?,
         last_activity = ?, expires_at = ?`,
      now - started,
      session.last_activity,
      session.expires_at,
    );
    session.total_exchanges += 1;
    this.#publish();
    return {
      question,
      ...answer,
      timestamp: isoInZone(now, settings(this.env).TIMEZONE),
      session_id: session.session_id,
    };
  }

  #recentExchanges(limit: number): Exchange[] {
    return this.#sql
      .exec<{ question: string; answer: string }>(
        "SELECT question, answer FROM exchanges ORDER BY seq DESC LIMIT ?",
        limit,
      )
      .toArray()
      .reverse();
  }

  #historyEntries(): HistoryEntry[] {
    const zone = settings(this.env).TIMEZONE;
    return this.#sql
      .exec<ExchangeRow>(
        `SELECT * FROM (SELECT question, answer, sources, citations, created_at, seq FROM exchanges
         ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
        HISTORY_READ_LIMIT,
      )
      .toArray()
      .map((row) => ({
        question: row.question,
        answer: row.answer,
        sources: JSON.parse(row.sources),
        citations: JSON.parse(row.citations),
        timestamp: isoInZone(row.created_at, zone),
      }));
  }

  #info(session: SessionRow): SessionInfo {
    const zone = settings(this.env).TIMEZONE;
    return {
      session_id: session.session_id,
      created_at: isoInZone(session.created_at, zone),
      last_activity: isoInZone(session.last_activity, zone),
      expires_at: isoInZone(session.expires_at, zone),
      total_exchanges: session.total_exchanges,
      config: { context_window: session.context_window },
      stats: {
        questions_asked: session.total_exchanges,
        average_answer_ms:
          session.total_exchanges > 0 ? Math.round(session.total_answer_ms / session.total_exchanges) : null,
      },
    };
  }

  async #destroy(sessionId: string): Promise<void> {
    this.#created = false;
    if (this.#publishTimer !== undefined) clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    await this.#indexShard(sessionId).remove(sessionId);
  }

  // One stub for the object's lifetime: calls through the same stub arrive in
  // order, so a removal is never overtaken by an earlier update.
  #indexShard(sessionId: string) {
    this.#shard ??= indexShardFor(this.env, sessionId);
    return this.#shard;
  }

  // Off the response path, and coalesced: a busy session reports its latest
  // state at most once per PUBLISH_DELAY_MS instead of once per request.
  #publish(): void {
    if (this.#publishTimer !== undefined) return;
    this.#publishTimer = setTimeout(() => {
      this.#publishTimer = undefined;
      const session = this.#read();
      if (!session) return;
      const entry: SessionIndexEntry = {
        session_id: session.session_id,
        created_at: session.created_at,
        last_activity: session.last_activity,
        expires_at: session.expires_at,
        total_exchanges: session.total_exchanges,
      };
      this.ctx.waitUntil(this.#indexShard(session.session_id).put(entry).catch(logFailure));
    }, PUBLISH_DELAY_MS);
  }
}

/** Idle timeout from the last use, capped by the absolute lifetime. */
function expiry(createdAt: number, lastUse: number, config: Settings): number {
  return Math.min(
    lastUse + config.SESSION_TIMEOUT_SECONDS * 1000,
    createdAt + config.SESSION_MAX_LIFETIME_SECONDS * 1000,
  );
}

function logFailure(error: unknown): void {
  const cause = error instanceof AnswerFailed ? error.cause : error;
  const name = cause instanceof Error ? cause.name : "Error";
  const message = cause instanceof Error ? cause.message : String(cause);
  console.error(JSON.stringify({ level: "error", where: "session", error: name, message }));
}
