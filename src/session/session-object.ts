// One Durable Object per conversation. It owns the session's lifetime (idle
// and absolute expiry by alarm), its history in SQLite, and the answering
// itself, so an answer completes and is stored even if its client goes away.
import { DurableObject } from "cloudflare:workers";
import { type Answer, answerWithin } from "../answering/answer-pipeline";
import { type AskFailure, failureOf, logFailure } from "../answering/ask-failure";
import { providers } from "../answering/providers";
import { type Settings, settings } from "../config";
import type {
  AskRequest,
  AskResponse,
  ExportResponse,
  Feedback,
  HistoryItem,
  HistoryResponse,
  SessionInfoResponse,
} from "../http/schemas";
import { sendInsight } from "../insights/insight-batch";
import { answerRecord, feedbackRecord, newInsightId } from "../insights/insight-records";
import { humanNow, isoInZone } from "../timezone";
import { AnswerLog } from "./answer-log";
import { Budgets } from "./budgets";
import { ListingReports } from "./listing-reports";
import type { SessionRow } from "./session-storage";
import * as storage from "./session-storage";
import type { EventStream } from "./sse";

/** A question as the Worker passes it on, with the session it is for. */
export type AskInput = Pick<AskRequest, "question" | "top_k" | "filename_filter"> & {
  session_id: string;
  /** True when the Worker minted `session_id` for this request. */
  create: boolean;
};

/** A rating of the exchange at `exchange` in the history, or of the latest when null. */
export type FeedbackInput = Feedback & { exchange: number | null };

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
  #budgets = new Budgets();
  #listing: ListingReports;
  // The answer a reconnecting client resumes while it is being generated. Once
  // stored it is read back from storage instead: an idle session holds no
  // copy of its answer in memory, however many sessions an isolate serves.
  #latest: AnswerLog | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#listing = new ListingReports(env, (promise) => ctx.waitUntil(promise));
    this.#created = storage.hasTables(this.#sql);
    if (this.#created) storage.upgradeTables(this.#sql);
  }

  /** Answers a question and stores the exchange; null if the session does not exist. */
  async ask(input: AskInput): Promise<AskOutcome | null> {
    const session = this.#sessionToAsk(input);
    if (!session) return null;
    if (input.create) await this.#listing.list(session);
    const refused = this.#budgets.refusal(session, settings(this.env));
    if (refused) return { failure: refused };
    return this.#start(session, input, false).outcome;
  }

  /**
   * Like `ask`, but returns the answer as an SSE byte stream. The answer runs
   * to completion and is stored even if the reader cancels.
   */
  async askStream(input: AskInput): Promise<StreamOutcome | null> {
    const session = this.#sessionToAsk(input);
    if (!session) return null;
    if (input.create) await this.#listing.list(session);
    const refused = this.#budgets.refusal(session, settings(this.env));
    if (refused) return { failure: refused };
    const { log, outcome } = this.#start(session, input, true);
    this.ctx.waitUntil(outcome);
    return { stream: this.#streamFrom(log, 0) };
  }

  /** The latest answer's events after `afterId`, then live ones until it ends. */
  async resume(afterId: number): Promise<StreamOutcome | null> {
    const session = this.#renewedSession();
    if (!session) return null;
    const log = this.#latest ?? this.#storedLatest(session);
    if (!log) return { failure: NOTHING_TO_RESUME };
    return { stream: this.#streamFrom(log, afterId) };
  }

  async history(): Promise<HistoryResponse | null> {
    const session = this.#renewedSession();
    if (!session) return null;
    return {
      session_id: session.session_id,
      history: this.#history(),
      total_exchanges: session.total_exchanges,
    };
  }

  async info(): Promise<SessionInfoResponse | null> {
    const session = this.#renewedSession();
    return session ? this.#info(session) : null;
  }

  async setContextWindow(contextWindow: number): Promise<number | null> {
    const session = this.#renewedSession();
    if (!session) return null;
    session.context_window = contextWindow;
    this.#save(session);
    return contextWindow;
  }

  async exportConversation(): Promise<ExportResponse | null> {
    const session = this.#renewedSession();
    if (!session) return null;
    const zone = settings(this.env).TIMEZONE;
    return {
      session_id: session.session_id,
      created_at: isoInZone(session.created_at, zone),
      exported_at: isoInZone(Date.now(), zone),
      config: { context_window: session.context_window },
      history: this.#history(),
    };
  }

  /**
   * Stores the user's rating of an exchange, replacing an earlier one. Returns
   * the exchange's index, `{ exchange: null }` if there is no such exchange,
   * and null if the session does not exist.
   */
  async feedback(input: FeedbackInput): Promise<{ exchange: number | null } | null> {
    const session = this.#renewedSession();
    if (!session) return null;
    const config = settings(this.env);
    const exchange = storage.exchangeAt(this.#sql, input.exchange, config.MAX_HISTORY);
    if (!exchange) return { exchange: null };
    const feedback = { rating: input.rating, comment: input.comment };
    storage.rateExchange(this.#sql, exchange.seq, feedback);
    if (exchange.insight_id !== null) {
      sendInsight(this.env, this.ctx, feedbackRecord(exchange.insight_id, feedback, exchange.answer, config));
    }
    return { exchange: exchange.index };
  }

  /** Deletes the session and everything in it; false if there was nothing to delete. */
  async delete(): Promise<boolean> {
    const session = this.#storedSession();
    if (!session) return false;
    await this.#destroy(session.session_id);
    return true;
  }

  // Alarms are delivered at least once and retried, and may arrive after the
  // session was deleted or used again: decide from what is stored, not from
  // the fact that an alarm fired.
  override async alarm(): Promise<void> {
    const session = this.#storedSession();
    if (!session) return;
    if (Date.now() >= session.expires_at) await this.#destroy(session.session_id);
    else await this.ctx.storage.setAlarm(session.expires_at);
  }

  // The session in four ways, from the plainest read to the one that writes.

  /** The session row as stored, expired or not; null if no session was created here. Only reads. */
  #storedSession(): SessionRow | null {
    if (!this.#created) return null;
    this.#session ??= storage.readSession(this.#sql);
    return this.#session;
  }

  /** The session if it has not expired. One that has is deleted, as its alarm would. */
  #unexpiredSession(): SessionRow | null {
    const session = this.#storedSession();
    if (!session) return null;
    if (Date.now() >= session.expires_at) {
      this.ctx.waitUntil(this.#destroy(session.session_id));
      return null;
    }
    return session;
  }

  /** The unexpired session, its expiry pushed forward by this use and saved. */
  #renewedSession(): SessionRow | null {
    const session = this.#unexpiredSession();
    if (!session) return null;
    this.#touch(session, Date.now());
    this.#save(session);
    return session;
  }

  /**
   * The unexpired session a question is for, created first when the Worker
   * minted its id. Nothing is saved yet: an ask writes once, when its
   * exchange is recorded.
   */
  #sessionToAsk(input: AskInput): SessionRow | null {
    if (input.create && !this.#created) this.#create(input.session_id);
    return this.#unexpiredSession();
  }

  #create(sessionId: string): void {
    const now = Date.now();
    const config = settings(this.env);
    storage.createTables(this.#sql);
    storage.insertSession(this.#sql, {
      session_id: sessionId,
      created_at: now,
      last_activity: now,
      expires_at: expiry(now, now, config),
      context_window: config.DEFAULT_CONTEXT_WINDOW,
      total_exchanges: 0,
      total_answer_ms: 0,
      total_answer_tokens: 0,
    });
    this.ctx.storage.setAlarm(expiry(now, now, config));
    this.#created = true;
  }

  // The row in memory is the session's state; storage and the listing follow it.
  #save(session: SessionRow): void {
    storage.writeSession(this.#sql, session);
    this.#listing.publish(() => this.#storedSession());
  }

  // No alarm is moved here: expiry only ever moves later, and an alarm that
  // fires early re-arms itself for the stored expiry (see alarm()).
  #touch(session: SessionRow, now: number): void {
    session.last_activity = now;
    session.expires_at = expiry(session.created_at, now, settings(this.env));
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
    const budget = this.#budgets.reserve(session, settings(this.env));
    // A streamed answer starts once its first bytes are on their way: the
    // response does not queue behind retrieval and generation.
    const started = streamed ? new Promise((resolve) => setTimeout(resolve, 0)) : Promise.resolve();
    const outcome = started.then(() => this.#run(session, input, log, budget.maxTokens)).finally(budget.release);
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
      log.append(
        failure.retryAfter === undefined
          ? { type: "error", error: failure.detail }
          : { type: "error", error: failure.detail, retry_after: failure.retryAfter },
      );
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
      history: storage.recentExchanges(this.#sql, session.context_window),
      now: humanNow(Date.now(), config.TIMEZONE),
      retriever,
      generator,
      rewrite,
      allowedHosts: config.ALLOWED_LINK_HOSTS,
      maxTokens,
      onToken,
    });
  }

  /** Stores the exchange and counts it; null if the session was deleted while answering. */
  #record(
    question: string,
    answer: Answer,
    tokens: string[],
    started: number,
    error: string | null,
  ): AskResponse | null {
    const session = this.#storedSession();
    const now = Date.now();
    if (!session) return null;
    const config = settings(this.env);
    // Only complete answers are answered questions for the insights.
    const insightId = error === null ? newInsightId() : null;
    storage.insertExchange(this.#sql, { question, answer, tokens, at: now, error, insightId }, config.MAX_HISTORY);
    this.#touch(session, now);
    session.total_exchanges += 1;
    session.total_answer_ms += now - started;
    session.total_answer_tokens += tokens.length;
    this.#save(session);
    if (insightId !== null) {
      const exchange = { question, answer, at: now, latencyMs: now - started };
      sendInsight(this.env, this.ctx, answerRecord(insightId, exchange, config));
    }
    return { question, ...answer, timestamp: isoInZone(now, config.TIMEZONE), session_id: session.session_id };
  }

  // Readers following the log keep their own reference to it.
  #release(log: AnswerLog): void {
    if (this.#latest === log) this.#latest = undefined;
  }

  /** The latest stored answer as the events it was sent as. */
  #storedLatest(session: SessionRow): AnswerLog | null {
    const stored = storage.latestAnswer(this.#sql);
    return stored && AnswerLog.replay(session.session_id, stored);
  }

  #streamFrom(log: AnswerLog, afterId: number): EventStream {
    const { head, next } = log.opening(afterId);
    return { head, stream: log.follow(next) };
  }

  #history(): HistoryItem[] {
    const { MAX_HISTORY, TIMEZONE } = settings(this.env);
    return storage.historyItems(this.#sql, MAX_HISTORY, TIMEZONE);
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
    await this.#listing.remove(sessionId);
    this.#created = false;
    this.#session = undefined;
    this.#latest = undefined;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }
}

/** Idle timeout from the last use, capped by the absolute lifetime. */
function expiry(createdAt: number, lastUse: number, config: Settings): number {
  return Math.min(
    lastUse + config.SESSION_TIMEOUT_SECONDS * 1000,
    createdAt + config.SESSION_MAX_LIFETIME_SECONDS * 1000,
  );
}
