// From a question to an answer: rewrite follow-ups into a standalone query,
// retrieve passages, and generate from them, handing each piece of text to
// the caller as soon as it exists, with links to outside hosts neutralised.
import type { AskResponse, Citation } from "../http/schemas";
import type { Passage, Retrieval, Retriever } from "../knowledge/retriever";
import type { HostAllowlist } from "./allowed-hosts";
import type { Exchange, Generator } from "./generator";
import { guardLinks, LinkGuard } from "./link-guard";
import type { Rewriter } from "./query-rewrite";

/**
 * The answer when no passage is relevant enough (see KEYWORD_RELEVANCE_THRESHOLD
 * and RELEVANCE_THRESHOLD): said without sources and without asking a model,
 * and what a model is told to say when its passages do not hold the answer.
 */
export const NO_RELEVANT_DOCUMENTS = "Maaf, saya tidak menemukan informasi tentang itu di dokumen yang tersedia.";
const SNIPPET_CHARS = 300;

export type Answer = Pick<AskResponse, "answer" | "sources" | "citations">;

/**
 * Whether the answer comes from relevant passages. When nothing relevant is
 * found, the pipeline says so and cites no source: that is how callers tell.
 */
export function foundRelevant(answer: Answer): boolean {
  return answer.sources.length > 0;
}

interface AnswerInput {
  question: string;
  topK: number;
  filenameFilter: string | null;
  /** This session's recent exchanges, oldest first. */
  history: Exchange[];
  now: string;
  retriever: Retriever;
  generator: Generator;
  rewrite: Rewriter;
  /** Hosts that images and links in the answer may point at. */
  allowedHosts: HostAllowlist;
  /** The most tokens the model may generate for this answer. */
  maxTokens: number;
  onToken: (token: string) => void;
  signal?: AbortSignal;
}

/** Which stage of answering failed, so callers can answer 503 or 502 without exposing the cause. */
export class AnswerFailed extends Error {
  override name = "AnswerFailed";
  constructor(
    readonly stage: "retrieval" | "generation",
    options: { cause: unknown },
  ) {
    super(`${stage} failed`, options);
  }
}

async function answerQuestion(input: AnswerInput): Promise<Answer> {
  let query: string;
  let retrieval: Retrieval;
  try {
    query = await input.rewrite(input.question, input.history);
    retrieval = await input.retriever.retrieve({ text: query, topK: input.topK, filenameFilter: input.filenameFilter });
  } catch (cause) {
    throw new AnswerFailed("retrieval", { cause });
  }
  const { passages, reading } = retrieval;
  if (passages.length === 0) {
    input.onToken(NO_RELEVANT_DOCUMENTS);
    return { answer: NO_RELEVANT_DOCUMENTS, sources: [], citations: [] };
  }
  let answer = "";
  let tokens = 0;
  const guard = new LinkGuard(input.allowedHosts);
  const emit = (text: string) => {
    if (text.length === 0 || tokens >= input.maxTokens) return;
    tokens += 1;
    answer += text;
    input.onToken(text);
  };
  try {
    for await (const token of input.generator.generate({
      question: input.question,
      query,
      passages,
      reading,
      history: input.history,
      now: input.now,
      maxTokens: input.maxTokens,
      signal: input.signal,
    })) {
      input.signal?.throwIfAborted();
      emit(guard.push(token));
      // The model was told the limit too; this holds it to it.
      if (tokens >= input.maxTokens) break;
    }
  } catch (cause) {
    // What the model did say is kept (as an incomplete answer) by the caller.
    emit(guard.flush());
    throw new AnswerFailed("generation", { cause });
  }
  emit(guard.flush());
  return {
    answer,
    sources: sourcesOf(passages),
    citations: passages.map((passage) => citationOf(passage, input.allowedHosts)),
  };
}

function sourcesOf(passages: readonly Passage[]): string[] {
  return [...new Set(passages.map((passage) => passage.filename))];
}

// Cut at a space, so an amount or a date in the snippet is never cut short.
// Clients show snippets as they show answers, so they are guarded alike, as cut.
function citationOf(passage: Passage, allowed: HostAllowlist): Citation {
  const cut = passage.content.lastIndexOf(" ", SNIPPET_CHARS);
  const snippet =
    passage.content.length > SNIPPET_CHARS
      ? `${passage.content.slice(0, cut > 0 ? cut : SNIPPET_CHARS).trimEnd()}…`
      : passage.content;
  return {
    filename: passage.filename,
    chunk_id: passage.chunk_id,
    score: passage.score,
    snippet: guardLinks(snippet, allowed),
  };
}

/**
 * `answerQuestion` with a deadline: past `ms` it fails with a TimeoutError at
 * once, and the pipeline stops at its next token; a model that has gone
 * silent is not waited for. The timer goes with the answer, so an idle
 * Durable Object keeps nothing that holds it in memory.
 */
export async function answerWithin(ms: number, input: Omit<AnswerInput, "signal">): Promise<Answer> {
  const deadline = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new DOMException("The answer took too long", "TimeoutError");
      deadline.abort(reason);
      reject(new AnswerFailed("generation", { cause: reason }));
    }, ms);
  });
  try {
    return await Promise.race([answerQuestion({ ...input, signal: deadline.signal }), expired]);
  } finally {
    clearTimeout(timer);
  }
}
