// How the knowledge base reads a question: its words read as meant against
// the knowledge base's vocabulary (see spelling.ts), and how much each term
// tells the chunks apart (BM25 IDF, see term-weights.ts).
import { corrections, respell, type Vocabulary } from "./spelling";
import { queryTerms, type TermWeights, termWeight } from "./term-weights";

/** A question as the knowledge base reads it. */
export interface Reading {
  /** The question with its chat words and typos read as the words meant (see spelling.ts). */
  text: string;
  /** What each such word is read as ("kpan" → "kapan", "telat" → "terlambat"). */
  spelling: Map<string, string>;
  weights: TermWeights;
}

export function readQuestion(sql: SqlStorage, text: string): Reading {
  const vocabulary = {
    stems: frequencies(sql, "chunk_vocab"),
    words: frequencies(sql, "chunk_word_vocab"),
  };
  const spelling = corrections(text, vocabulary);
  const respelled = respell(text, spelling);
  const terms = queryTerms(respelled);
  const weights: TermWeights = {};
  if (terms.length > 0) {
    const n = sql.exec<{ chunks: number }>("SELECT COALESCE(SUM(chunks), 0) AS chunks FROM documents").one().chunks;
    const stems = vocabulary.stems(terms.filter((term) => !term.includes(" ")));
    for (const term of terms) {
      const df = term.includes(" ")
        ? sql
            .exec<{ df: number }>("SELECT COUNT(*) AS df FROM chunk_terms WHERE chunk_terms MATCH ?", `"${term}"`)
            .one().df
        : (stems.get(term) ?? 0);
      weights[term] = termWeight(term, df, Math.max(n, df));
    }
  }
  return { text: respelled, spelling, weights };
}

/** How many chunks hold each term of `vocab`, remembering what it has looked up. */
function frequencies(sql: SqlStorage, vocab: "chunk_vocab" | "chunk_word_vocab"): Vocabulary["stems"] {
  const known = new Map<string, number>();
  return (terms) => {
    const missing = [...new Set(terms)].filter((term) => !known.has(term));
    if (missing.length === 0) return known;
    for (const term of missing) known.set(term, 0);
    // One parameter however many terms: a typo has hundreds of neighbours.
    const rows = sql.exec<{ term: string; doc: number }>(
      `SELECT term, doc FROM ${vocab} WHERE term IN (SELECT value FROM json_each(?))`,
      JSON.stringify(missing),
    );
    for (const row of rows) known.set(row.term, row.doc);
    return known;
  };
}
