// How much each term of a question tells passages apart, from the knowledge
// base's own statistics (BM25's inverse document frequency), and how much of
// a question a passage covers by that measure. A word in most chunks
// ("biaya") weighs little; a rare code or a numbered phrase ("gelombang 1")
// weighs much; a word no document contains weighs most, so a question about
// something the documents never mention covers little of itself anywhere.
import { analyse, contentStems, isNumber, numberedPhrases } from "./text-analysis";

/** Weight by query term (a stem, a number, or a "word number" phrase). */
export type TermWeights = Record<string, number>;

// A number on its own ("2027", a stray "123") says little about the topic;
// what it labels is weighed as a phrase ("gelombang 2").
const BARE_NUMBER_WEIGHT = 1;

/** BM25's inverse document frequency of a term found in `df` of `n` chunks; a bare number weighs at most 1. */
export function termWeight(term: string, df: number, n: number): number {
  const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  return isNumber(term) ? Math.min(idf, BARE_NUMBER_WEIGHT) : idf;
}

// A question's first terms are all that is weighed: a pasted page is no longer
// to search than a question.
export const MAX_QUERY_TERMS = 32;

/** The terms of a query worth weighing: its first content stems and numbered phrases. */
export function queryTerms(text: string): string[] {
  return [...contentStems(text).slice(0, MAX_QUERY_TERMS), ...numberedPhrases(text).slice(0, MAX_QUERY_TERMS / 4)];
}

/**
 * Terms a passage must contain to be about the question at all: its weighed
 * numbered phrases ("gelombang 3"), the only terms with a space. A passage
 * about the second wave does not answer a question about the third.
 */
export function requiredTerms(weights: TermWeights): string[] {
  return Object.keys(weights).filter((term) => term.includes(" "));
}

/** The query terms (of `weights`) that occur in `text`, phrases as adjacent terms. */
export function matchedTerms(text: string, weights: TermWeights): Set<string> {
  return matchedIn(
    analyse(text).map((term) => term.term),
    weights,
  );
}

/** The query terms (of `weights`) in a text's `sequence` of terms, as indexTerms gives them. */
export function matchedIn(sequence: readonly string[], weights: TermWeights): Set<string> {
  const present = new Set(sequence);
  for (let i = 1; i < sequence.length; i++) present.add(`${sequence[i - 1]} ${sequence[i]}`);
  return new Set(Object.keys(weights).filter((term) => present.has(term)));
}

/** The share (0–1) of the query's total weight that `matched` terms carry. */
export function coverage(matched: Iterable<string>, weights: TermWeights): number {
  const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  if (total === 0) return 0;
  let found = 0;
  for (const term of matched) found += weights[term] ?? 0;
  return found / total;
}
