// What a question that could not be answered tells its client: a status and
// a message safe to show, never a provider's own words.
import { busyRetryAfter } from "../workers-ai";
import { AnswerFailed } from "./answer-pipeline";

export type AskFailure = { status: 404 | 429 | 502 | 503 | 504; detail: string; retryAfter?: number };

export const ANSWER_FAILED = "The answer could not be generated. Please try again.";
export const ANSWER_TIMED_OUT = "The answer took too long. Please try again.";
export const KNOWLEDGE_BASE_UNAVAILABLE = "The knowledge base is unavailable right now. Please try again shortly.";
export const MODEL_BUSY = "The answering model is busy right now. Please try again in a moment.";

export function failureOf(error: unknown): AskFailure {
  // Busy at any stage (the embedding of a question, or the chat model): waiting helps.
  const retryAfter = busyRetryAfter(error instanceof AnswerFailed ? error.cause : error);
  if (retryAfter !== null) return { status: 503, detail: MODEL_BUSY, retryAfter };
  if (error instanceof AnswerFailed) {
    if (error.cause instanceof DOMException && error.cause.name === "TimeoutError") {
      return { status: 504, detail: ANSWER_TIMED_OUT };
    }
    if (error.stage === "retrieval") return { status: 503, detail: KNOWLEDGE_BASE_UNAVAILABLE };
  }
  return { status: 502, detail: ANSWER_FAILED };
}

/** One JSON log line for a failed answer; the client only ever sees `failureOf`. */
export function logFailure(error: unknown): void {
  const cause = error instanceof AnswerFailed ? error.cause : error;
  const name = cause instanceof Error ? cause.name : "Error";
  const message = cause instanceof Error ? cause.message : String(cause);
  console.error(JSON.stringify({ level: "error", where: "session", error: name, message }));
}
