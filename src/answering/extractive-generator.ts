// Embedded mode's generator: answers with the retrieved passages' most
// relevant sentences, lists and table rows, verbatim. It needs no model and
// never writes a word that is not in the documents.
//
// Units are scored by the weight (BM25 IDF over the knowledge base) of the
// question's terms they contain, counting the headings they sit under as
// said of them: a rare code outweighs a common word, and "gelombang 1" in a
// heading tells the first wave's dates from the second's.

import { respell } from "../knowledge/spelling";
import { coverage, matchedTerms, queryTerms, requiredTerms, type TermWeights } from "../knowledge/term-weights";
import { tokens } from "../knowledge/text-analysis";
import type { GenerationRequest, Generator } from "./generator";
import { passageUnits, type Unit } from "./passage-units";

const BRIEF_UNITS = 3;
const DETAILED_UNITS = 6;
// Further units must come this close to the best one to be quoted after it.
const SUPPORTING_FRACTION = 0.7;
const DETAILED_FRACTION = 0.4;
// The question's kind of answer decides between units that match it equally.
const ANSWER_KIND_BONUS = 0.25;
const OWN_WORDS_BONUS = 0.1;
const DETAIL_WORDS = new Set(["detail", "rinci", "lengkap", "lengkapnya", "jelaskan", "selengkapnya"]);
// A follow-up's query carries terms of earlier questions (see query-rewrite.ts);
// they say which thing is meant, the follow-up's own words what is asked.
const CARRIED_WEIGHT = 0.5;
// A sentence that goes on about the best one ("Beasiswa ini …") belongs with it.
const CONTINUES = /^(?:\S+\s+){0,2}(?:ini|tersebut)\b/iu;

const MONTHS =
  "januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember|jan|feb|mar|apr|jun|jul|agu|agt|sep|okt|nov|des";
const DATE_OR_TIME = new RegExp(
  `\\b\\d{1,2}\\s+(${MONTHS})\\b|\\b(${MONTHS})\\s+\\d{4}\\b|\\bpukul\\s+\\d|\\b\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}\\b`,
  "iu",
);
const AMOUNT = /\d/;
const ASKS_WHAT_IS = /^\s*(?:apa(?:kah)?\s+(?:itu|yang\s+dimaksud(?:\s+dengan)?)|what\s+is)\s+(.+?)[\s?.!]*$/iu;
const COPULA = "(?:adalah|ialah|merupakan|yaitu|yakni|is)";
const ASKS_WHEN = new Set(["kapan", "tanggal", "when", "jadwal", "batas"]);
const ASKS_HOW_MUCH = new Set(["berapa", "how", "jumlah", "besaran"]);

export const extractiveGenerator: Generator = {
  name: "extractive",
  async *generate(request) {
    // The question is read as the query was: its words are the query's.
    const { reading } = request;
    const answer = reading
      ? extractAnswer(
          { ...request, question: respell(request.question, reading.spelling), query: reading.text },
          reading.weights,
        )
      : extractAnswer(request);
    const words = answer.split(" ");
    for (const [i, word] of words.entries()) {
      if (request.signal?.aborted) return;
      yield i < words.length - 1 ? `${word} ` : word;
    }
  },
};

interface Scored extends Unit {
  score: number;
  /** Whether it contains any term of the question as asked (not only carried ones). */
  answers: boolean;
  /** Whether it contains every numbered phrase the question names ("gelombang 2"). */
  specific: boolean;
}

/** The question's own terms and those a follow-up carries, each with its weight. */
interface Weighed {
  own: TermWeights;
  carried: TermWeights;
  all: TermWeights;
  required: string[];
}

/**
 * The answer to `request` from its passages: the best unit first, then the
 * units that come close to it, in document order. Without `weights`, every
 * term weighs the same.
 */
export function extractAnswer(
  request: Pick<GenerationRequest, "question" | "query" | "passages">,
  weights: TermWeights = evenWeights(request.query),
): string {
  const weighed = split(weights, request.question);
  const wants = answerKind(request.question);
  const seen = new Set<string>();
  const candidates: Scored[] = [];
  for (const [index, passage] of request.passages.entries()) {
    for (const unit of passageUnits(passage, index)) {
      // Overlapping chunks repeat sentences.
      const key = unit.text.replace(/\s+/g, " ").toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(scored(unit, weighed, wants));
    }
  }
  // A sentence about the first wave does not answer a question about the second.
  const specific = candidates.some((candidate) => candidate.specific && candidate.score > 0);
  const ranked = candidates
    .filter((candidate) => candidate.score > 0 && (candidate.specific || !specific))
    .sort((a, b) => b.score - a.score || a.passage - b.passage || a.position - b.position);
  const top = ranked[0];
  if (!top)
    return candidates
      .slice(0, BRIEF_UNITS)
      .map((unit) => unit.text)
      .join(" ");
  const detailed = wantsDetail(request.question);
  const fraction = detailed ? DETAILED_FRACTION : SUPPORTING_FRACTION;
  const supporting = ranked
    .slice(1)
    .filter((candidate) => candidate.answers && candidate.score >= top.score * fraction)
    .slice(0, (detailed ? DETAILED_UNITS : BRIEF_UNITS) - 1)
    // Read in document order, so the rest flows like the source.
    .sort((a, b) => a.passage - b.passage || a.position - b.position);
  const next = candidates.find(
    (unit) => unit.passage === top.passage && unit.position === top.position + 1 && unit.kind === "sentence",
  );
  const follows = next && top.kind === "sentence" && CONTINUES.test(next.text) && !supporting.includes(next);
  return join(follows ? [top, next, ...supporting] : [top, ...supporting]);
}

function split(weights: TermWeights, question: string): Weighed {
  const asked = new Set(queryTerms(question));
  const own: TermWeights = {};
  const carried: TermWeights = {};
  for (const [term, weight] of Object.entries(weights)) {
    if (asked.size === 0 || asked.has(term)) own[term] = weight;
    else carried[term] = weight;
  }
  const required = requiredTerms(weights);
  return { own, carried, all: weights, required };
}

// How much of the question a unit covers: what is asked in full, what a
// follow-up carries at CARRIED_WEIGHT, each as a share of its own weight.
function scored(unit: Unit, weighed: Weighed, wants: AnswerKind | null): Scored {
  const own = matchedTerms(unit.text, weighed.all);
  const all = new Set([...own, ...matchedTerms(unit.context, weighed.all)]);
  const answers = [...all].some((term) => term in weighed.own);
  const specific = weighed.required.every((term) => all.has(term));
  if ((own.size === 0 && unit.kind !== "list") || all.size === 0) return { ...unit, score: 0, answers, specific };
  let score =
    coverage(all, weighed.own) +
    CARRIED_WEIGHT * coverage(all, weighed.carried) +
    OWN_WORDS_BONUS * coverage(own, weighed.all);
  if (wants?.(unit.text)) score += ANSWER_KIND_BONUS * coverage(all, weighed.own);
  return { ...unit, score, answers, specific };
}

type AnswerKind = (text: string) => boolean;

// "Apa itu …?" is answered by a definition, "Kapan …?" by a date, "Berapa …?" by a number.
function answerKind(question: string): AnswerKind | null {
  const subject = ASKS_WHAT_IS.exec(question)?.[1];
  if (subject) return definitionOf(subject);
  const words = tokens(question);
  if (words.some((word) => ASKS_WHEN.has(word))) return (text) => DATE_OR_TIME.test(text);
  if (words.some((word) => ASKS_HOW_MUCH.has(word))) return (text) => AMOUNT.test(text);
  return null;
}

// "Uang Kuliah Tunggal (UKT) …" spells the term out; "Plagiarisme adalah …" defines it.
function definitionOf(subject: string): AnswerKind {
  const term = subject.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const spelledOut = new RegExp(`\\(${term}\\)`, "iu");
  const defined = new RegExp(`(?:^|\\()${term}\\)?\\s+${COPULA}\\b`, "iu");
  return (text) => spelledOut.test(text) || defined.test(text);
}

// Sentences run on as prose; a list or a table stands on its own lines.
function join(units: Unit[]): string {
  let answer = "";
  for (const [i, unit] of units.entries()) {
    const block = unit.kind !== "sentence" || units[i - 1]?.kind !== "sentence";
    answer += i === 0 ? unit.text : `${block ? "\n\n" : " "}${unit.text}`;
  }
  return answer;
}

function evenWeights(query: string): TermWeights {
  return Object.fromEntries(queryTerms(query).map((term) => [term, 1]));
}

function wantsDetail(question: string): boolean {
  return tokens(question).some((token) => DETAIL_WORDS.has(token));
}
