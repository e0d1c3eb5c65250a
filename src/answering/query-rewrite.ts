// Embedded mode's deterministic follow-up handling: a question that leans on
// the conversation ("Jelaskan lebih detail", "Berapa kuotanya?", "Bagaimana
// dengan gelombang 2?") is searched together with what it refers to.
//
// The topic question (itself rewritten, if it was a follow-up) travels with
// the follow-up, and with it the terms that tell its topic from the
// neighbouring ones: numbers with the word they count ("gelombang 1"), codes
// ("UKT", "S2") and names ("Fakultas Teknik"). A follow-up that names another
// thing of the same kind ("Bagaimana dengan gelombang 2?", "Kalau S3?")
// replaces them. Carried words weigh half in the extractive generator, so
// what the follow-up itself asks decides which sentence answers it.

import { contentStems, numberOf, tokens } from "../knowledge/text-analysis";
import type { Exchange } from "./generator";

/** Turns a question into the query to search for, given this session's recent exchanges (oldest first). */
export type Rewriter = (question: string, history: Exchange[]) => Promise<string>;

const SHORT_QUESTION_TERMS = 2;
// A short question opening with one of these continues the last one
// ("Kalau S2?", "Bagaimana dengan gelombang 2?").
const CONNECTIVES =
  /^(?:(?:bagaimana|gimana)\s+(?:dengan|kalau|kalo|untuk)|kalau|kalo|lalu|terus|trus|dan|sedangkan|untuk|how about|what about|and)\b/i;
const MAX_CONNECTED_TERMS = 3;
// "itu"/"ini" alone are left out: "Apa itu PMB?" is a question of its own;
// after a word that means something ("biaya itu") they point back.
const REFERRING_WORDS = new Set(["tersebut", "tadi", "sebelumnya", "tsb", "it", "that", "those"]);
const DEMONSTRATIVES = new Set(["itu", "ini", "tersebut"]);
// Words that end in "-nya" without pointing back at anything.
const PLAIN_NYA = new Set(["hanya", "tanya", "bertanya", "punya", "lainnya", "nya", "sesungguhnya", "biasanya"]);

/** A term that tells one topic from another: a numbered word, a code or a name. */
interface Distinguishing {
  /** What a term of the same kind replaces it by: "gelombang" for "gelombang 1", "s" for "S1". */
  head: string;
  /** Indexes of its words in the question. */
  from: number;
  to: number;
}

export function isFollowUp(question: string): boolean {
  const words = tokens(question);
  const stems = contentStems(question).length;
  if (stems === 0) return true;
  if (CONNECTIVES.test(question.trim()) && stems <= MAX_CONNECTED_TERMS) return true;
  return words.some(
    (word, i) =>
      REFERRING_WORDS.has(word) ||
      (word.length > 5 && word.endsWith("nya") && !PLAIN_NYA.has(word)) ||
      (DEMONSTRATIVES.has(word) && i > 0 && contentStems(words[i - 1] as string).length > 0),
  );
}

/**
 * Whether a question may need the conversation to be understood: a follow-up
 * by the rules above, or one too short to stand alone ("Bagaimana dengan S2?").
 * Only those are worth a round trip to a model for rewriting.
 */
export function mayLeanOnHistory(question: string): boolean {
  return isFollowUp(question) || contentStems(question).length <= SHORT_QUESTION_TERMS;
}

/**
 * The retrieval query for `question` given this session's recent exchanges
 * (oldest first): the question itself, or for a follow-up, the question
 * before it (itself rewritten) without the terms the follow-up replaces,
 * then the follow-up.
 */
export function standaloneQuery(question: string, history: Exchange[]): string {
  const previous = history.at(-1);
  if (!previous || !isFollowUp(question)) return question;
  const topic = standaloneQuery(previous.question, history.slice(0, -1));
  const asked = distinguishingTerms(question);
  const carried = distinguishingTerms(topic);
  const replaced = carried.filter((term) => asked.some((other) => other.head === term.head));
  return `${withoutTerms(topic, replaced)} ${question}`;
}

// Words as written (case kept), in order.
function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function distinguishingTerms(text: string): Distinguishing[] {
  const list = words(text);
  const terms: Distinguishing[] = [];
  for (const [i, word] of list.entries()) {
    const before = list[i - 1];
    // "gelombang 1", "gelombang ke-2", "Gelombang II", "semester kedua"
    if (numberOf(word) !== null && before !== undefined) {
      const head = before.toLowerCase() === "ke" ? list[i - 2] : before;
      if (head && numberOf(head) === null && contentStems(head).length > 0) {
        const from = head === before ? i - 1 : i - 2;
        terms.push({ head: head.toLowerCase(), from, to: i });
      }
    }
    // "UKT", "KIP", "S2", "D3"
    if (/^(?=.*\d)(?=.*\p{L})[\p{L}\d]+$/u.test(word) || /^\p{Lu}{2,}$/u.test(word)) {
      terms.push({ head: word.replace(/\d+$/, "").toLowerCase(), from: i, to: i });
    }
  }
  // Names: runs of capitalised words ("Fakultas Teknik"); a lone one opening
  // the question is only capitalised because it opens it.
  for (let i = 0; i < list.length; i++) {
    let j = i;
    while (j < list.length && /^\p{Lu}\p{Ll}/u.test(list[j] as string)) j++;
    if (j > i && (i > 0 || j - i > 1)) {
      const from = i === 0 && j - i > 1 && contentStems(list[0] as string).length === 0 ? 1 : i;
      if (j > from) terms.push({ head: (list[from] as string).toLowerCase(), from, to: j - 1 });
    }
    i = j;
  }
  return terms;
}

function withoutTerms(text: string, terms: Distinguishing[]): string {
  const skip = new Set(
    terms.flatMap((term) => Array.from({ length: term.to - term.from + 1 }, (_, k) => term.from + k)),
  );
  return words(text)
    .filter((_, i) => !skip.has(i))
    .join(" ");
}
