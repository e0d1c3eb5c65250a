// The generation side of the answer pipeline: given retrieved passages and
// the conversation so far, produce the answer as a stream of text pieces.

import type { Reading } from "../knowledge/question-reading";
import type { Passage } from "../knowledge/retriever";

export interface Exchange {
  question: string;
  answer: string;
}

export interface GenerationRequest {
  question: string;
  /** The question rewritten to stand on its own, as used for retrieval. */
  query: string;
  passages: readonly Passage[];
  /** How the knowledge base read the query to find the passages; without it, the query as written, every term alike. */
  reading?: Reading;
  /** Recent exchanges of this session, oldest first. */
  history: Exchange[];
  /** The current date and time in the configured time zone, for the model's context. */
  now: string;
  /** The most tokens to generate, within the configured MODEL_MAX_TOKENS. */
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface Generator {
  readonly name: string;
  /** Yields pieces of the answer as soon as each is produced. */
  generate(request: GenerationRequest): AsyncIterable<string>;
}

/** A chat model as configured: MODEL_NAME, MODEL_TEMPERATURE, MODEL_MAX_TOKENS. */
export type ModelOptions = { model: string; temperature: number; maxTokens: number };

/** The request's own token limit, never above the configured one. */
export function tokenLimit(request: GenerationRequest, configured: number): number {
  return Math.min(configured, request.maxTokens ?? configured);
}
