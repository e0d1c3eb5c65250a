// One Durable Object per conversation. It owns the session's lifetime (idle
// and absolute expiry by alarm), its history in SQLite, and the answering
// itself, so an answer completes and is stored even if its client goes away.
import { DurableObject } from "cloudflare:workers";
import { type Answer, answerWithin } from "../answering/answer-pipeline";
import { type AskFailure, failureOf, logFailure } from "../answering/ask-failure";
import type { Exchange } from "../answering/generator";
import { providers } from "../answering/providers";
import { type Settings, settings } from "../config";
import type {
  AskRequest,
  AskResponse,
  ExportResponse,
  HistoryItem,
  HistoryResponse,
  SessionInfoResponse,
} from "../http/schemas";
import { humanNow, isoInZone } from "../timezone";
import { AnswerLog } from "./answer-log";
import { type IndexShardStub, indexShardFor, type SessionIndexEntry } from "./session-index";
import type { EventStream } from "./sse";

type SessionRow = {
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
};

/** A question as the Worker passes it on, with the session it is for. */
export type AskInput = Pick<AskRequest, "question" | "top_k" | "filename_filter"> & {
  session_id: string;
  /** True when the Worker minted `session_id` for this request. */
  create: boolean;
};

const PUBLISH_DELAY_MS = 250;
// The context for a follow-up is the latest complete exchanges. `error` is
// stored after the large columns, so without this index testing it reads
// each row's overflow pages.
const COMPLETE_EXCHANGES_INDEX =
  "CREATE INDEX IF NOT EXISTS exchanges_complete ON exchanges (seq) WHERE error IS NULL;";

type AskOutcome = { result: AskResponse } | { failure: AskFailure };
export type StreamOutcome = { stream: EventStream } | { failure: AskFailure };

const NOTHING_TO_RESUME: AskFailure = { status: 404, detail: "This session has no answer to resume" };

export class SessionObject extends DurableObject<Env> {
  #sql: SqlStorage;
  // Tables exist only once a session was created here: a lookup of an id that
  // was never issued must not write anything, not even a schema.
  #created: boolean;
  // The session row, read once; every change is made to it and then saved
  // (#save). This object is the only writer of its storage.
  #session: SessionRow | undefined;
  #shard: IndexShardStub | undefined;
  #publishTimer: ReturnType<typeof setTimeout> | undefined;
  // The answer a reconnecting client resumes while it is being generated. Once
  // stored it is read back from storage instead: an idle session holds no
  // copy of its answer in memory, however many sessions an isolate serves.
  #latest: AnswerLog | undefined;
  // Answers in flight and the answer tokens they may still use: budgets count them
  // too, so concurrent questions cannot together overspend.
  #answering = 0;
  #reservedTokens = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#created = this.#sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'session'").toArray().length > 0;
    if (this.#created) this.#upgrade();
  }

  /** Answers a question and stores the exchange; null if the session does not exist. */
  async ask(input: AskInput): Promise<AskOutcome | null> {
    const session = this.#open(input);
    if (!session) return null;
    const refused = this.#admit(session);
    if (refused) return { failure: refused };
    return this.#start(session, input, false).outcome;
  }

  /**
   * Like `ask`, but returns the answer as an SSE byte stream. The answer runs
   * to completion and is stored even if the reader cancels.
   */
  async askStream(input: AskInput): Promise<StreamOutcome | null> {
    const session = this.#open(input);
    if (!session) return null;
    const refused = this.#admit(session);
    if (refused) return { failure: refused };
    const { log, outcome } = this.#start(session, input, true);
    this.ctx.waitUntil(outcome);
    return { stream: this.#streamFrom(log, 0) };
  }

  /** The latest answer's events after `afterId`, then live ones until it ends. */
  async resume(afterId: number): Promise<StreamOutcome | null> {
    const session = this.#use();
    if (!session) return null;
    const log = this.#latest ?? this.#storedLatest(session);
    if (!log) return { failure: NOTHING_TO_RESUME };
    return { stream: this.#streamFrom(log, afterId) };
  }

  async history(): Promise<HistoryResponse | null> {
    const session = this.#use();
    if (!session) return null;
    return {
      session_id: session.session_id,
      history: this.#historyEntries(),
      total_exchanges: session.total_exchanges,
    };
  }

  async info(): Promise<SessionInfoResponse | null> {
    const session = this.#use();
    return session ? this.#info(session) : null;
  }

  async setContextWindow(contextWindow: number): Promise<number | null> {
    const session = this.#use();
    if (!session) return null;
    session.context_window = contextWindow;
    this.#save(session);
    return contextWindow;
  }

  async exportConversation(): Promise<ExportResponse | null> {
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
        error TEXT
      );
      ${COMPLETE_EXCHANGES_INDEX}
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

  // Sessions created by earlier versions lack the columns for answers stored
  // as they stream, and the index of complete exchanges.
  #upgrade(): void {
    const columns = this.#sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('exchanges')").toArray();
    if (!columns.some((column) => column.name === "error")) {
      this.#sql.exec(`
        ALTER TABLE session ADD COLUMN total_answer_tokens INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE exchanges ADD COLUMN token_lengths TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE exchanges ADD COLUMN error TEXT;
      `);
    }
    this.#sql.exec(COMPLETE_EXCHANGES_INDEX);
  }

  /** The session row as stored, expired or not. */
  #read(): SessionRow | null {
    if (!this.#created) return null;
    this.#session ??= this.#sql.exec<SessionRow>("SELECT * FROM session").one();
    return this.#session;
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
    this.#save(session);
    return session;
  }

  // The row in memory is the session's state; storage and the listing follow it.
  #save(session: SessionRow): void {
    this.#sql.exec(
      `UPDATE session SET last_activity = ?, expires_at = ?, context_window = ?,
         total_exchanges = ?, total_answer_ms = ?, total_answer_tokens = ?`,
      session.last_activity,
      session.expires_at,
      session.context_window,
      session.total_exchanges,
      session.total_answer_ms,
      session.total_answer_tokens,
    );
    this.#publish();
  }

  // No alarm is moved here: expiry only ever moves later, and an alarm that
  // fires early re-arms itself for the stored expiry (see alarm()).
  #touch(session: SessionRow, now: number): void {
    session.last_activity = now;
    session.expires_at = expiry(session.created_at, now, settings(this.env));
  }

  /** Why this session may not start another answer now, if it may not. */
  #admit(session: SessionRow): AskFailure | null {
    const config = settings(this.env);
    if (this.#answering >= config.MAX_CONCURRENT_ANSWERS) {
      return {
        status: 429,
        detail: `This session is already answering ${config.MAX_CONCURRENT_ANSWERS} questions; wait for one to finish.`,
        retryAfter: 1,
      };
    }
    if (session.total_exchanges + this.#answering >= config.MAX_QUESTIONS_PER_SESSION) {
      return {
        status: 429,
        detail: `This session has reached its limit of ${config.MAX_QUESTIONS_PER_SESSION} questions. Start a new session to ask more.`,
      };
    }
    if (this.#tokensLeft(session) <= 0) {
      return { status: 429, detail: "This session has used up its answer budget. Start a new session to ask more." };
    }
    return null;
  }

  #tokensLeft(session: SessionRow): number {
    return settings(this.env).MAX_ANSWER_TOKENS_PER_SESSION - session.total_answer_tokens - this.#reservedTokens;
  }

  /** Starts answering; the log has its first event before this returns. */
  #start(
    session: SessionRow,
    input: AskInput,
    streamed: boolean,
  ): { log: AnswerLog; outcome: Promise<AskOutcome | null> } {
    const log = new AnswerLog();
    this.#latest = log;
    // Sent before any retrieval, so a streaming client learns its session id at once.
    log.append({ type: "session", session_id: session.session_id });
    const maxTokens = Math.min(settings(this.env).MODEL_MAX_TOKENS, this.#tokensLeft(session));
    this.#answering += 1;
    this.#reservedTokens += maxTokens;
    // A streamed answer starts once its first bytes are on their way: the
    // response does not queue behind retrieval and generation.
    const started = streamed ? new Promise((resolve) => setTimeout(resolve, 0)) : Promise.resolve();
    const outcome = started
      .then(() => this.#run(session, input, log, maxTokens))
      .finally(() => {
        this.#answering -= 1;
        this.#reservedTokens -= maxTokens;
      });
    return { log, outcome };
  }

  // Every token is in the log the moment it exists, so readers get it at once;
  // the exchange is stored when the answer ends, complete or not.
  async #run(session: SessionRow, input: AskInput, log: AnswerLog, maxTokens: number): Promise<AskOutcome | null> {
    const started = Date.now();
    const tokens: string[] = [];
    let ended = false;
    const onToken = (token: string) => {
      if (ended) return;
      tokens.push(token);
      log.append({ type: "content", token });
    };
    try {
      const answer = await this.#answer(session, input, maxTokens, onToken);
      ended = true;
      const result = this.#record(input.question, answer, tokens, started, null);
      log.append({ type: "source", sources: answer.sources, citations: answer.citations });
      log.append({ type: "done" });
      this.#release(log);
      return result ? { result } : null;
    } catch (error) {
      ended = true;
      logFailure(error);
      const failure = failureOf(error);
      // What was already sent is kept, marked incomplete; nothing is stored as if answered.
      if (tokens.length > 0) {
        const partial = { answer: tokens.join(""), sources: [], citations: [] };
        this.#record(input.question, partial, tokens, started, failure.detail);
      }
      log.append({ type: "error", error: failure.detail });
      // An answer that failed before its first token is stored nowhere: its log is what a resume replays.
      if (tokens.length > 0) this.#release(log);
      return { failure };
    }
  }

  async #answer(
    session: SessionRow,
    input: AskInput,
    maxTokens: number,
    onToken: (token: string) => void,
  ): Promise<Answer> {
    const { retriever, generator, rewrite } = providers(this.env);
    const config = settings(this.env);
    return answerWithin(config.ANSWER_TIMEOUT_SECONDS * 1000, {
      question: input.question,
      topK: input.top_k,
      filenameFilter: input.filename_filter,
      history: this.#recentExchanges(session.context_window),
      now: humanNow(Date.now(), config.TIMEZONE),
      retriever,
      generator,
      rewrite,
      allowedHosts: config.ALLOWED_LINK_HOSTS,
      maxTokens,
      onToken,
    });
  }

  /**
   * One row insert per exchange (and a delete once history is full): the cost
   * of an ask never grows with the history.
   */
  #record(
    question: string,
    answer: Answer,
    tokens: string[],
    started: number,
    error: string | null,
  ): AskResponse | null {
    const session = this.#read();
    const now = Date.now();
    if (!session) return null; // deleted while the answer was being generated
    const { seq } = this.#sql
      .exec<{ seq: number }>(
        `INSERT INTO exchanges (question, answer, sources, citations, created_at, token_lengths, error)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
        question,
        answer.answer,
        JSON.stringify(answer.sources),
        JSON.stringify(answer.citations),
        now,
        JSON.stringify(tokens.map((token) => token.length)),
        error,
      )
      .one();
    const kept = settings(this.env).MAX_HISTORY;
    if (seq > kept) this.#sql.exec("DELETE FROM exchanges WHERE seq <= ?", seq - kept);
    this.#touch(session, now);
    session.total_exchanges += 1;
    session.total_answer_ms += now - started;
    session.total_answer_tokens += tokens.length;
    this.#save(session);
    return {
      question,
      ...answer,
      timestamp: isoInZone(now, settings(this.env).TIMEZONE),
      session_id: session.session_id,
    };
  }

  // Readers following the log keep their own reference to it.
  #release(log: AnswerLog): void {
    if (this.#latest === log) this.#latest = undefined;
  }

  /** The latest stored answer as the events it was sent as. */
  #storedLatest(session: SessionRow): AnswerLog | null {
    const row = this.#sql.exec<ExchangeRow>("SELECT * FROM exchanges ORDER BY seq DESC LIMIT 1").toArray()[0];
    if (!row) return null;
    return AnswerLog.replay(session.session_id, {
      answer: row.answer,
      tokenLengths: JSON.parse(row.token_lengths),
      error: row.error,
      sources: JSON.parse(row.sources),
      citations: JSON.parse(row.citations),
    });
  }

  #streamFrom(log: AnswerLog, afterId: number): EventStream {
    const { head, next } = log.opening(afterId);
    return { head, stream: log.follow(next) };
  }

  #recentExchanges(limit: number): Exchange[] {
    return this.#sql
      .exec<{ question: string; answer: string }>(
        // A broken-off answer is not something to build a follow-up on.
        "SELECT question, answer FROM exchanges WHERE error IS NULL ORDER BY seq DESC LIMIT ?",
        limit,
      )
      .toArray()
      .reverse();
  }

  #historyEntries(): HistoryItem[] {
    const { TIMEZONE: zone, MAX_HISTORY } = settings(this.env);
    return this.#sql
      .exec<ExchangeRow>(
        `SELECT * FROM (SELECT question, answer, sources, citations, created_at, error, seq FROM exchanges
         ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
        MAX_HISTORY,
      )
      .toArray()
      .map((row) => ({
        question: row.question,
        answer: row.answer,
        sources: JSON.parse(row.sources),
        citations: JSON.parse(row.citations),
        timestamp: isoInZone(row.created_at, zone),
        complete: row.error === null,
      }));
  }

  #info(session: SessionRow): SessionInfoResponse {
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

  // The listing entry goes first: if that fails, nothing is deleted yet and
  // the retried alarm (or the client's retried DELETE) does all of it again.
  async #destroy(sessionId: string): Promise<void> {
    if (this.#publishTimer !== undefined) clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    await this.#toIndex(sessionId, (shard) => shard.remove(sessionId));
    this.#created = false;
    this.#session = undefined;
    this.#latest = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  // One stub for the object's lifetime: calls through the same stub arrive in
  // order, so a removal is never overtaken by an earlier update. Once a call
  // through a stub fails, so does every later one (after the shard was reset,
  // say), so a failed call is made once more through a new stub; both calls
  // are idempotent. Failures seen together share that new stub, in order.
  async #toIndex(sessionId: string, call: (shard: IndexShardStub) => Promise<void>): Promise<void> {
    this.#shard ??= indexShardFor(this.env, sessionId);
    const shard = this.#shard;
    try {
      await call(shard);
    } catch {
      if (this.#shard === shard) this.#shard = indexShardFor(this.env, sessionId);
      await call(this.#shard);
    }
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
      this.ctx.waitUntil(this.#toIndex(session.session_id, (shard) => shard.put(entry)).catch(logFailure));
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
