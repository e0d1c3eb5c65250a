// The retrieval side of the answer pipeline. Embedded mode searches the
// knowledge base's keyword index; production fuses it with vector search.
import { knowledgeBase } from "./knowledge-base";
import type { Reading } from "./question-reading";

export interface Passage {
  chunk_id: string;
  filename: string;
  content: string;
  /** The headings the passage sits under, outermost first ("Jadwal › Gelombang 1"); empty when unknown. */
  heading?: string;
  /** Higher is more relevant; comparable only within one retriever. */
  score: number;
}

export interface RetrievalQuery {
  text: string;
  topK: number;
  filenameFilter: string | null;
}

/**
 * What a search found, and how the knowledge base read the query to find it
 * (its words as meant, its terms' weights), which the extractive generator
 * weighs sentences by: it comes with the passages, so answering asks the
 * knowledge base once.
 */
export interface Retrieval {
  passages: readonly Passage[];
  reading: Reading;
}

export interface Retriever {
  readonly name: string;
  retrieve(query: RetrievalQuery): Promise<Retrieval>;
}

/** Keyword (FTS5/BM25) search in the shared knowledge-base object. */
export function keywordRetriever(env: Env): Retriever {
  return {
    name: "keyword",
    retrieve: (query) => knowledgeBase(env).search(query),
  };
}

/** Production: Vectorize and keyword results fused inside the knowledge-base object. */
export function hybridRetriever(env: Env): Retriever {
  return {
    name: "hybrid",
    retrieve: (query) => knowledgeBase(env).hybridSearch(query),
  };
}
