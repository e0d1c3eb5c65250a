// Embedded mode's deterministic follow-up handling: a question that leans on
// the conversation ("Jelaskan lebih detail", "Berapa biayanya?") is searched
// together with the earlier questions it refers to.

import { contentStems, tokens } from "../knowledge/text-analysis";
import type { Exchange } from "./generator";

/** Turns a question into the query to search for, given this session's recent exchanges (oldest first). */
export type Rewriter = (question: string, history: Exchange[]) => Promise<string>;

const SHORT_QUESTION_TERMS = 2;
// "itu"/"ini" are left out: "Apa itu PMB?" is a question of its own.
const REFERRING_WORDS = new Set(["tersebut", "tadi", "sebelumnya", "tsb", "it", "that", "those"]);
// Words that end in "-nya" without pointing back at anything.
const PLAIN_NYA = new Set(["hanya", "tanya", "bertanya", "punya", "lainnya", "nya", "sesungguhnya", "biasanya"]);

export function isFollowUp(question: string): boolean {
  const words = tokens(question);
  if (contentStems(question).length === 0) return true;
  return words.some(
    (word) => REFERRING_WORDS.has(word) || (word.length > 5 && word.endsWith("nya") && !PLAIN_NYA.has(word)),
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
 * (oldest first): the question itself, or for a follow-up, the earlier
 * questions back to the one that started the topic, then the question.
 */
export function standaloneQuery(question: string, history: Exchange[]): string {
  if (history.length === 0 || !isFollowUp(question)) return question;
  const context: string[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const earlier = (history[i] as Exchange).question;
    context.unshift(earlier);
    if (!isFollowUp(earlier)) break;
  }
  return [...context, question].join(" ");
}
