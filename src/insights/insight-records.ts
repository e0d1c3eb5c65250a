// What a session object tells the insights about an answer, and what it
// keeps back. The insights never learn a session id: an answer is known by a
// random id that only its exchange in the session also holds, so feedback can
// follow the answer there while nothing on the insights side leads back to
// the session. Times are cut to the minute, so they cannot be matched to a
// session's own timestamps either.
import { type Answer, foundRelevant } from "../answering/answer-pipeline";
import type { Settings } from "../config";
import type { Feedback } from "../http/schemas";
import { base64url } from "../session/session-id";

const ID_BYTES = 16;
const MINUTE_MS = 60_000;
const EXCERPT_CHARS = 300;

export type AnswerRecord = {
  kind: "answer";
  id: string;
  /** When it was answered, to the minute. */
  at: number;
  /** Null when RECORD_QUESTIONS=false: then only counts are recorded. */
  question: string | null;
  /** False when nothing relevant was found and the answer said so. */
  answered: boolean;
  sources: string[];
  latency_ms: number;
};

export type FeedbackRecord = Feedback & {
  kind: "feedback";
  id: string;
  /** The start of a disliked answer, to show next to its question; null otherwise. */
  answer_excerpt: string | null;
};

export type InsightRecord = AnswerRecord | FeedbackRecord;

type Recording = Pick<Settings, "RECORD_QUESTIONS">;

export function newInsightId(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(ID_BYTES)));
}

export function answerRecord(
  id: string,
  exchange: { question: string; answer: Answer; at: number; latencyMs: number },
  config: Recording,
): AnswerRecord {
  return {
    kind: "answer",
    id,
    at: exchange.at - (exchange.at % MINUTE_MS),
    question: config.RECORD_QUESTIONS ? exchange.question : null,
    answered: foundRelevant(exchange.answer),
    sources: exchange.answer.sources,
    latency_ms: exchange.latencyMs,
  };
}

export function feedbackRecord(id: string, feedback: Feedback, answer: string, config: Recording): FeedbackRecord {
  const words = config.RECORD_QUESTIONS;
  return {
    kind: "feedback",
    id,
    rating: feedback.rating,
    comment: words ? feedback.comment : null,
    answer_excerpt: words && feedback.rating === "down" ? excerpt(answer) : null,
  };
}

function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).trimEnd()}…` : text;
}
