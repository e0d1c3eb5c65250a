// The staff's report over the insights records of a period: counts per day,
// the most asked, unanswered and disliked questions, the most cited sources
// and answer latency. A report reads each record of its period a few times;
// records carry their local date, so a period is a range of one index.
import type { InsightsResponse } from "../http/schemas";
import { isoInZone, localDate, shiftDate } from "../timezone";

/** The most entries each list holds. */
const LIST_LIMIT = 50;

type Period = { from: string; to: string };
type Group = { question_key: string; question: string; count: number; last_at: number };

// Which records a question list counts. Fixed SQL, never built from input.
const LISTS = {
  all: "",
  unanswered: "AND answered = 0",
  disliked: "AND rating = 'down'",
} as const;

export function insightsReport(
  sql: SqlStorage,
  { days, now, zone }: { days: number; now: number; zone: string },
): InsightsResponse {
  const to = localDate(now, zone);
  const period = { from: shiftDate(to, 1 - days), to };
  const daily = new Map(
    sql
      .exec<{ day: string; questions: number; unanswered: number; up: number; down: number }>(
        `SELECT day, COUNT(*) AS questions, SUM(answered = 0) AS unanswered,
           SUM(rating = 'up') AS up, SUM(rating = 'down') AS down
         FROM answers WHERE day BETWEEN ? AND ? GROUP BY day`,
        period.from,
        period.to,
      )
      .toArray()
      .map((row) => [row.day, row]),
  );
  const totals = { questions: 0, unanswered: 0, up: 0, down: 0 };
  for (const row of daily.values()) {
    totals.questions += row.questions;
    totals.unanswered += row.unanswered;
    totals.up += row.up;
    totals.down += row.down;
  }
  return {
    period: { ...period, days },
    questions: totals.questions,
    answered: totals.questions - totals.unanswered,
    unanswered: groups(sql, period, "unanswered").map((group) => ({
      question: group.question,
      count: group.count,
      last_asked: isoInZone(group.last_at, zone),
    })),
    top_questions: groups(sql, period, "all").map(({ question, count }) => ({ question, count })),
    feedback: { up: totals.up, down: totals.down },
    disliked: groups(sql, period, "disliked").map((group) => ({
      question: group.question,
      ...latestDislike(sql, period, group.question_key),
      count: group.count,
    })),
    top_sources: sql
      .exec<{ filename: string; citations: number }>(
        `SELECT source.value AS filename, COUNT(*) AS citations
         FROM answers, json_each(answers.sources) AS source
         WHERE answers.day BETWEEN ? AND ?
         GROUP BY source.value ORDER BY citations DESC, filename LIMIT ?`,
        period.from,
        period.to,
        LIST_LIMIT,
      )
      .toArray(),
    latency_ms: latencies(sql, period, totals.questions),
    per_day: Array.from({ length: days }, (_, i) => {
      const date = shiftDate(period.from, i);
      const row = daily.get(date);
      return { date, questions: row?.questions ?? 0, unanswered: row?.unanswered ?? 0 };
    }),
  };
}

/**
 * The most frequent questions among a list's records, grouped by their key
 * and each shown in its most frequent spelling (the latest, between equals).
 */
function groups(sql: SqlStorage, period: Period, list: keyof typeof LISTS): Group[] {
  return sql
    .exec<Group>(
      `SELECT question_key, question, count, last_at FROM (
         SELECT question_key, question,
           SUM(spelled) OVER by_key AS count,
           MAX(last_spelled) OVER by_key AS last_at,
           ROW_NUMBER() OVER (PARTITION BY question_key ORDER BY spelled DESC, last_spelled DESC) AS rank
         FROM (
           SELECT question_key, question, COUNT(*) AS spelled, MAX(at) AS last_spelled FROM answers
           WHERE day BETWEEN ? AND ? AND question_key IS NOT NULL ${LISTS[list]}
           GROUP BY question_key, question
         )
         WINDOW by_key AS (PARTITION BY question_key)
       ) WHERE rank = 1 ORDER BY count DESC, last_at DESC LIMIT ?`,
      period.from,
      period.to,
      LIST_LIMIT,
    )
    .toArray();
}

/** The latest disliked answer to a question that has a comment, or else the latest. */
function latestDislike(
  sql: SqlStorage,
  period: Period,
  key: string,
): { answer_excerpt: string | null; comment: string | null } {
  return sql
    .exec<{ answer_excerpt: string | null; comment: string | null }>(
      `SELECT answer_excerpt, comment FROM answers INDEXED BY disliked_by_question
       WHERE question_key = ? AND rating = 'down' AND day BETWEEN ? AND ?
       ORDER BY comment IS NULL, at DESC LIMIT 1`,
      key,
      period.from,
      period.to,
    )
    .one();
}

/** The median and 95th percentile (nearest rank) of the period's answer latencies; null without answers. */
function latencies(sql: SqlStorage, period: Period, answers: number): InsightsResponse["latency_ms"] {
  if (answers === 0) return { p50: null, p95: null };
  const ranks = [Math.ceil(0.5 * answers), Math.ceil(0.95 * answers)] as const;
  // Both from one sort of the period's latencies.
  const [p50, p95] = sql
    .exec<{ latency_ms: number }>(
      `SELECT latency_ms FROM (
         SELECT latency_ms, ROW_NUMBER() OVER (ORDER BY latency_ms) AS rank FROM answers WHERE day BETWEEN ? AND ?
       ) WHERE rank IN (?, ?) ORDER BY rank`,
      period.from,
      period.to,
      ...ranks,
    )
    .toArray()
    .map((row) => row.latency_ms);
  return { p50: p50 ?? null, p95: p95 ?? p50 ?? null };
}
