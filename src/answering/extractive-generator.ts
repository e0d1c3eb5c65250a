// Embedded mode's generator: answers with the retrieved passages' most
// relevant sentences, verbatim. It needs no model and never writes a word
// that is not in the documents.

import { contentStems, sentences, stem, tokens } from "../knowledge/text-analysis";
import type { GenerationRequest, Generator } from "./generator";

const BRIEF_SENTENCES = 3;
const DETAILED_SENTENCES = 6;
const RELEVANT_FRACTION = 0.5;
const DETAIL_WORDS = new Set(["detail", "rinci", "lengkap", "lengkapnya", "jelaskan", "selengkapnya"]);

export const extractiveGenerator: Generator = {
  name: "extractive",
  async *generate(request) {
    const answer = extractAnswer(request);
    const words = answer.split(" ");
    for (const [i, word] of words.entries()) {
      if (request.signal?.aborted) return;
      yield i < words.length - 1 ? `${word} ` : word;
    }
  },
};

interface Candidate {
  text: string;
  passage: number;
  position: number;
  score: number;
}

export function extractAnswer(request: Pick<GenerationRequest, "question" | "query" | "passages">): string {
  const wanted = new Set(contentStems(request.query));
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  // Passages far weaker than the best one tend to match a word or two by
  // chance ("biaya" in a scholarship text when asking about the dormitory).
  const best = Math.max(...request.passages.map((passage) => passage.score));
  for (const [passage, { content, score: relevance }] of request.passages.entries()) {
    if (relevance < best * RELEVANT_FRACTION) continue;
    for (const [position, text] of sentences(content).entries()) {
      // Overlapping chunks repeat sentences; headings and fragments say little.
      if (seen.has(text) || text.startsWith("#") || text.split(" ").length < 4) continue;
      seen.add(text);
      const stems = new Set(tokens(text).map(stem));
      let score = 0;
      for (const term of wanted) if (stems.has(term)) score += 1;
      candidates.push({ text, passage, position, score });
    }
  }
  const limit = wantsDetail(request.question) ? DETAILED_SENTENCES : BRIEF_SENTENCES;
  const chosen = candidates
    .filter((candidate) => candidate.score > 0)
    .sort((a, b) => b.score - a.score || a.passage - b.passage || a.position - b.position)
    .slice(0, limit);
  const picked = chosen.length > 0 ? chosen : candidates.slice(0, limit);
  // Read in document order, so the answer flows like the source.
  picked.sort((a, b) => a.passage - b.passage || a.position - b.position);
  return picked.map((candidate) => candidate.text).join(" ");
}

function wantsDetail(question: string): boolean {
  return tokens(question).some((token) => DETAIL_WORDS.has(token));
}
