// The insights: one Durable Object holding a record of every answered question
// (never who asked it) and its feedback, reporting on them for the staff, and
// deleting records older than INSIGHTS_RETENTION_DAYS by alarm.
import { DurableObject } from "cloudflare:workers";
import { type Settings, settings } from "../config";
import type { InsightsResponse } from "../http/schemas";
import { localDate, shiftDate } from "../timezone";
import type { InsightRecord } from "./insight-records";
import { insightsReport } from "./insights-report";
import { questionKey } from "./question-key";

const DAY_MS = 86_400_000;
// An alarm deletes at most this many records, then runs again at once: a
// large backlog never holds the object for long, and writes go in between.
const PRUNE_BATCH = 5000;

export class InsightsObject extends DurableObject<Env> {
  #sql: SqlStorage;
  #config: Settings;
  #pruning = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#config = settings(env);
    // Feedback can arrive before its answer (two batches in flight at once),
    // so a row may exist with only one of the two halves.
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS answers (
        id TEXT PRIMARY KEY,
        at INTEGER,
        day TEXT,
        question TEXT,
        question_key TEXT,
        answered INTEGER,
        sources TEXT,
        latency_ms INTEGER,
        rating TEXT,
        comment TEXT,
        answer_excerpt TEXT
      );
      CREATE INDEX IF NOT EXISTS answers_by_day ON answers (day);
      CREATE INDEX IF NOT EXISTS disliked_by_question ON answers (question_key, at) WHERE rating = 'down';
    `);
  }

  /**
   * Stores a batch of records in one transaction. Each half of a row (the
   * answer, its feedback) is written whole whichever arrives first, so a
   * batch sent twice changes nothing, and a later rating replaces an earlier.
   */
  async write(records: InsightRecord[]): Promise<void> {
    const zone = this.#config.TIMEZONE;
    this.ctx.storage.transactionSync(() => {
      for (const record of records) {
        if (record.kind === "answer") {
          this.#sql.exec(
            `INSERT INTO answers (id, at, day, question, question_key, answered, sources, latency_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET at = excluded.at, day = excluded.day, question = excluded.question,
               question_key = excluded.question_key, answered = excluded.answered, sources = excluded.sources,
               latency_ms = excluded.latency_ms`,
            record.id,
            record.at,
            localDate(record.at, zone),
            record.question,
            record.question === null ? null : questionKey(record.question),
            record.answered ? 1 : 0,
            JSON.stringify(record.sources),
            record.latency_ms,
          );
        } else {
          this.#sql.exec(
            `INSERT INTO answers (id, rating, comment, answer_excerpt) VALUES (?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment,
               answer_excerpt = excluded.answer_excerpt`,
            record.id,
            record.rating,
            record.comment,
            record.answer_excerpt,
          );
        }
      }
    });
    await this.#schedulePruning();
  }

  /** The report of the last `days` days in TIMEZONE, today included. */
  async report(days: number): Promise<InsightsResponse> {
    return insightsReport(this.#sql, { days, now: Date.now(), zone: this.#config.TIMEZONE });
  }

  // Deletes the records of days before the retention period, a bounded batch
  // at a time, and comes back daily while any record is left. Rows that only
  // ever got their feedback half (their answer record was lost) go too.
  override async alarm(): Promise<void> {
    const { INSIGHTS_RETENTION_DAYS, TIMEZONE } = this.#config;
    const firstKept = shiftDate(localDate(Date.now(), TIMEZONE), 1 - INSIGHTS_RETENTION_DAYS);
    this.#sql.exec(
      `DELETE FROM answers WHERE rowid IN
         (SELECT rowid FROM answers WHERE day IS NULL OR day < ? LIMIT ?)`,
      firstKept,
      PRUNE_BATCH,
    );
    const backlog = this.#sql
      .exec("SELECT 1 FROM answers WHERE day IS NULL OR day < ? LIMIT 1", firstKept)
      .toArray().length;
    const left = this.#sql.exec("SELECT 1 FROM answers LIMIT 1").toArray().length;
    this.#pruning = left > 0;
    if (backlog > 0) await this.ctx.storage.setAlarm(Date.now());
    else if (left > 0) await this.ctx.storage.setAlarm(Date.now() + DAY_MS);
  }

  async #schedulePruning(): Promise<void> {
    if (this.#pruning) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + DAY_MS);
    this.#pruning = true;
  }
}

/** The one insights object. */
export function insightsObject(env: Env): DurableObjectStub<InsightsObject> {
  return env.INSIGHTS.getByName("main");
}
