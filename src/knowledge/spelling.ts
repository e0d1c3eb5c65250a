// How a question's words that the knowledge base does not hold are read:
// as the formal word for a chat word ("telat", "tgl"), as the word with its
// affixes taken off another way ("sebulan", "nyicil"), or as a typo. A typo is
// a word one edit away (a letter missing, extra or wrong, or two letters
// swapped: Damerau–Levenshtein distance 1) from a function word or from a
// word the documents use: "kpan" is read as "kapan", "pendaftarn" as
// "pendaftaran". A word with no such reading stays unknown and keeps the
// weight of a topic no document mentions (see term-weights.ts), which is what
// makes a question about something absent unanswerable.
//
// A typo's neighbours are words as written, not stems: the stemmer would make
// a word of "perpusatkan" ("pusat") or "kedoktoran" ("doktor"), which no
// document uses. They are generated from the question's word (about 30 per
// letter) and looked up, rather than the vocabulary searched for words near
// it: the cost is bounded by the question, whatever the size of the
// knowledge base.
import { INFORMAL_FORMS } from "./chat-words";
import { MAX_QUERY_TERMS } from "./term-weights";
import { analyse, isListedStopWord, isNumber, replaceWords, stemVariants } from "./text-analysis";

/** How many chunks hold each of the terms asked for (0 for none), as stems or as words written. */
export interface Vocabulary {
  stems(stems: readonly string[]): ReadonlyMap<string, number>;
  words(words: readonly string[]): ReadonlyMap<string, number>;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz";
// A wrong or an extra letter is taken for a slip of the finger only when its
// key touches the intended one (or repeats a letter beside it) on a QWERTY
// keyboard, a phone's as much as a laptop's: "kolam" is no slip for "kolom".
// A missing letter and two letters swapped may be any.
const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
// Words shorter than this are not corrected: most are one edit from a word.
// A word of MIN_LETTERS may only lack a letter, repeat one or have two
// swapped ("kpan", "biya", "kakk"): a wrong letter would read "tari" as "tadi".
const MIN_LETTERS = 4;
const ANY_SLIP_FROM = 5;
// Beyond these, a question is not a typo or two: it stays as written, and the
// cost of reading it stays bounded.
const MAX_LETTERS = 24;
const MAX_CORRECTED_WORDS = 4;

/**
 * How `text` is read given the knowledge base's vocabulary: each word it does
 * not hold, by the word it is taken for. Tried in turn: the formal word for
 * an informal one ("telat"), the word with its affixes read another way
 * ("sebulan", "nyicil"), then a typo's neighbours, of which a function word
 * is the likelier reading, and among the documents' words the most common.
 */
export function corrections(text: string, vocabulary: Vocabulary): Map<string, string> {
  const words = analyse(text)
    .filter(({ word, stop, term }) => !stop && !isNumber(term) && /^[a-z]+$/.test(word))
    .slice(0, MAX_QUERY_TERMS);
  const known = vocabulary.stems(words.map(({ term }) => term));
  const unknown = [...new Set(words.filter(({ term }) => !known.get(term)).map(({ word }) => word))];
  const result = new Map<string, string>();
  for (const word of unknown) {
    const formal = INFORMAL_FORMS.get(word);
    if (formal) result.set(word, formal);
  }
  const affixed = unknown.filter((word) => !result.has(word)).map((word) => [word, stemVariants(word)] as const);
  const stems = vocabulary.stems(affixed.flatMap(([, variants]) => variants));
  for (const [word, variants] of affixed) {
    const variant = variants.find((term) => isListedStopWord(term) || stems.get(term));
    if (variant) result.set(word, variant);
  }
  const candidates = new Map<string, string[]>();
  const mistyped = unknown.filter(
    (word) => !result.has(word) && word.length >= MIN_LETTERS && word.length <= MAX_LETTERS,
  );
  for (const word of mistyped.slice(0, MAX_CORRECTED_WORDS)) {
    // Letters held down in a chat ("kaaak", "bangettt") are read once.
    const held = word.replace(/([a-z])\1{2,}/g, "$1");
    const neighbours = held === word ? neighboursOf(word) : [held, ...neighboursOf(held)];
    // As listed: "bukah" is no function word, though "bu" + "kah" is one.
    const functionWord = neighbours.find(isListedStopWord);
    if (functionWord) result.set(word, functionWord);
    else candidates.set(word, neighbours);
  }
  const frequencies = vocabulary.words([...candidates.values()].flat());
  for (const [word, neighbours] of candidates) {
    let best: { word: string; df: number } | null = null;
    for (const neighbour of neighbours) {
      const df = frequencies.get(neighbour) ?? 0;
      if (df > (best?.df ?? 0)) best = { word: neighbour, df };
    }
    if (best) result.set(word, best.word);
  }
  return result;
}

/** `text` with the words of `spelling` replaced by what they are read as. */
export function respell(text: string, spelling: ReadonlyMap<string, string>): string {
  return spelling.size === 0 ? text : replaceWords(text, (word) => spelling.get(word));
}

/**
 * The words `word` (lower-case letters) may be a slip for, one edit away, in
 * a fixed order: with a letter it lacks, two letters swapped back, a repeated
 * letter once, or a wrong or extra letter a key away (see KEYBOARD_ROWS).
 */
export function neighboursOf(word: string): string[] {
  const slips = word.length >= ANY_SLIP_FROM;
  const result = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    const typed = tail[0];
    for (const letter of ALPHABET) result.add(head + letter + tail);
    if (tail.length > 1) result.add(head + tail[1] + tail[0] + tail.slice(2));
    if (typed === undefined) continue;
    const beside = [word[i - 1], word[i + 1]];
    if (beside.some((letter) => letter === typed || (slips && letter !== undefined && near(letter, typed)))) {
      result.add(head + tail.slice(1));
    }
    if (slips) for (const letter of NEAR_KEYS.get(typed) ?? []) result.add(head + letter + tail.slice(1));
  }
  result.delete(word);
  return [...result];
}

// Keys touch their row neighbours, and on a staggered keyboard the two keys
// above and the two below: row r, column c touches row r + 1, columns c - 1
// and c.
const NEAR_KEYS = new Map<string, Set<string>>();
for (const [r, row] of KEYBOARD_ROWS.entries()) {
  for (const [c, key] of [...row].entries()) {
    const touching = [row[c - 1], row[c + 1], KEYBOARD_ROWS[r - 1]?.[c], KEYBOARD_ROWS[r - 1]?.[c + 1]];
    touching.push(KEYBOARD_ROWS[r + 1]?.[c - 1], KEYBOARD_ROWS[r + 1]?.[c]);
    NEAR_KEYS.set(key, new Set(touching.filter((other): other is string => other !== undefined)));
  }
}

function near(a: string, b: string): boolean {
  return NEAR_KEYS.get(a)?.has(b) ?? false;
}
