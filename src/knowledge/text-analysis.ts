// Word-level analysis shared by indexing, query building and the extractive
// generator: tokens, Indonesian stop words (the `stopword` package's list,
// plus question words and the chat words of chat-words.ts), numbers written
// as words, and a light Indonesian stemmer, so "pendaftaran", "mendaftar" and
// "daftar" meet in the keyword index, and so do "gelombang kedua", "gelombang
// ke-2" and "Gelombang II".

import { ind } from "stopword";
import { CHAT_WORDS } from "./chat-words";

// Function words a term weight must not be spent on: a question's "jika" or
// "sekaligus" that no document happens to contain would otherwise weigh as
// much as a topic no document mentions.
const STOP_WORDS = new Set([
  ...ind,
  ...`ada adalah agar akan aku anda apa apakah atau bagaimana bagi bahwa banyak beberapa begitu belum berapa bisa boleh
  dan dapat dari dengan di dia dong harus hal ia ialah ini itu jadi jelaskan juga kah kalau kami kamu kapan ke kenapa
  lagi lah lebih maka mana masih mau mengapa menjadi mereka mohon nya oleh pada para per perlu pun saja saya sebagai
  secara sedang sejak selama semua seperti serta siapa silakan sudah supaya tahu tentang tersebut tetapi tidak tolong
  untuk yaitu yang detail rinci lengkap coba bisakah sih ya the a an of is are what how when where which who
  to in on for and or please explain more`.split(/\s+/),
  ...CHAT_WORDS,
]);

const PARTICLES = /(lah|kah|tah|pun)$/;

// Ordinals and small cardinals written as words, so a question's "gelombang 2"
// finds a document's "gelombang kedua" and the other way round.
const NUMBER_WORDS = new Map(
  [
    ["pertama", "kesatu", "satu", "first", "one"],
    ["kedua", "dua", "second", "two"],
    ["ketiga", "tiga", "third", "three"],
    ["keempat", "empat", "fourth", "four"],
    ["kelima", "lima", "fifth", "five"],
    ["keenam", "enam"],
    ["ketujuh", "tujuh"],
    ["kedelapan", "delapan"],
    ["kesembilan", "sembilan"],
    ["kesepuluh", "sepuluh"],
  ].flatMap((words, i) => words.map((word) => [word, String(i + 1)] as const)),
);
const CARDINALS = new Set([
  "satu",
  "one",
  "dua",
  "two",
  "tiga",
  "three",
  "empat",
  "four",
  "lima",
  "five",
  "enam",
  "tujuh",
  "delapan",
  "sembilan",
  "sepuluh",
]);
// Roman numerals up to 39, as in "Gelombang II" or "BAB IV"; only the letters
// i, v and x, which spell no Indonesian word.
const ROMAN = /^(x{0,3})(ix|iv|v?i{0,3})$/;
const ROMAN_VALUES: Record<string, number> = { i: 1, v: 5, x: 10 };

interface Term {
  /** The word as written, lower-cased. */
  word: string;
  /** The normalised stem that is indexed and matched. */
  term: string;
  /** A function word that carries no meaning of its own. */
  stop: boolean;
  /** A number that can label what comes before it ("gelombang 2", "gelombang kedua", "BAB IV"). */
  label?: boolean;
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** Lower-cased word tokens (letters and digits), in order. */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** Every word as an index term, in order: numbers normalised, words stemmed. */
export function analyse(text: string): Term[] {
  const result: Term[] = [];
  const lower = text.toLowerCase();
  for (const match of lower.matchAll(TOKEN)) {
    const token = match[0];
    const number = numberOf(token);
    // "ke-2" and "ke 2" are the ordinal 2.
    if (number !== null && result.at(-1)?.term === "ke") result.pop();
    if (number !== null) {
      // Digits, ordinals and roman numerals label what comes before them
      // ("gelombang 2"); cardinal words count what follows ("dua beasiswa"),
      // and years, amounts and decimals ("3,50") label nothing.
      const end = match.index + token.length;
      const around = `${lower.slice(Math.max(0, match.index - 2), match.index)}|${lower.slice(end, end + 2)}`;
      const inAmount = /\d[.,]\||\|[.,]\d/.test(around);
      const label = !CARDINALS.has(token) && number.length <= 2 && !inAmount;
      result.push({ word: token, term: number, stop: false, label });
    } else {
      result.push({ word: token, term: stem(token), stop: isStopWord(token) });
    }
  }
  return result;
}

/** Whether a lower-cased word is a function word ("bolehkah" is "boleh" asked: as much a function word). */
function isStopWord(word: string): boolean {
  return isListedStopWord(word) || STOP_WORDS.has(word.replace(PARTICLES, "")) || word.length < 2;
}

/** Whether a lower-cased word is a function word as it stands, without a particle. */
export function isListedStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/**
 * `text` with each word that `replace` has a replacement for (asked in lower
 * case) replaced, capitalised as it was; the rest as it was.
 */
export function replaceWords(text: string, replace: (word: string) => string | undefined): string {
  return text.replace(TOKEN, (word) => {
    const replacement = replace(word.toLowerCase());
    if (replacement === undefined) return word;
    return /^\p{Lu}/u.test(word) ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
  });
}

/**
 * The text's index terms, space-separated. The keyword index holds these
 * rather than the raw text, so Indonesian affixes ("pendaftaran",
 * "mendaftar") meet the query's stems ("daftar").
 */
export function indexTerms(text: string): string {
  return analyse(text)
    .map((term) => term.term)
    .join(" ");
}

/** Stems of the words that carry meaning, without duplicates: numbers and short codes included. */
export function contentStems(text: string): string[] {
  return [...new Set(analyse(text).flatMap((term) => (term.stop ? [] : [term.term])))];
}

/**
 * Word–number pairs of the text ("gelombang 1", "semester 5", "s 2" is not
 * one: codes such as "S2" are single tokens), which tell apart passages that
 * share both words: the first wave's deadline from the second's.
 */
export function numberedPhrases(text: string): string[] {
  const terms = analyse(text);
  const phrases = new Set<string>();
  for (let i = 1; i < terms.length; i++) {
    const [head, number] = [terms[i - 1] as Term, terms[i] as Term];
    if (!head.stop && number.label && !isNumber(head.term)) phrases.add(`${head.term} ${number.term}`);
  }
  return [...phrases];
}

export function isNumber(term: string): boolean {
  return /^\d+$/.test(term);
}

/** The number a token stands for ("2", "kedua", "II" are all "2"), or null. */
export function numberOf(token: string): string | null {
  token = token.toLowerCase();
  if (/^\d+$/.test(token)) return String(Number.parseInt(token, 10));
  const word = NUMBER_WORDS.get(token);
  if (word) return word;
  const roman = ROMAN.exec(token);
  if (!roman || token.length === 0) return null;
  let value = 0;
  for (let i = 0; i < token.length; i++) {
    const current = ROMAN_VALUES[token[i] as string] as number;
    const next = ROMAN_VALUES[token[i + 1] as string] ?? 0;
    value += current < next ? -current : current;
  }
  return String(value);
}

const POSSESSIVES = /(nya|ku|mu)$/;
const SUFFIXES = /(kan|an|i)$/;
const PREFIXES: Array<[RegExp, string]> = [
  [/^meng(?=[aiueokgh])/, ""],
  [/^meny(?=[aiueo])/, "s"],
  [/^mem(?=[aiueo])/, "p"],
  [/^mem(?=[bpf])/, ""],
  [/^men(?=[aiueo])/, "t"],
  [/^men(?=[cdjz])/, ""],
  [/^me(?=[lrwy])/, ""],
  [/^peng(?=[aiueokgh])/, ""],
  [/^peny(?=[aiueo])/, "s"],
  [/^pem(?=[aiueo])/, "p"],
  [/^pem(?=[bpf])/, ""],
  [/^pen(?=[aiueo])/, "t"],
  [/^pen(?=[cdjz])/, ""],
  [/^per/, ""],
  [/^pe(?=[lrwy])/, ""],
  [/^ber/, ""],
  [/^be(?=[k])/, ""],
  [/^ter/, ""],
  [/^di/, ""],
  [/^ke/, ""],
  [/^se/, ""],
];

// How chat spells prefixes and suffixes: "ngurus" for "mengurus", "nyicil"
// for "mencicil", "bayarin" for "bayarkan".
const INFORMAL_PREFIXES: Array<[RegExp, string[]]> = [
  [/^nge(?=[^aiueo])/, [""]],
  [/^ny(?=[aiueo])/, ["c", "s"]],
  [/^ng(?=[aiueo])/, ["", "k"]],
];
const INFORMAL_SUFFIX = /in$/;

/**
 * Other stems `word` may have than the one `stem` gives it: with only its
 * prefix or only its suffix taken off ("sebulan" is "se-bulan", which `stem`
 * cannot tell from a word ending in "-an"), or with chat's affixes taken off
 * ("ngurus", "nyicil", "bayarin").
 */
export function stemVariants(word: string): string[] {
  const variants = new Set<string>([word.replace(SUFFIXES, "")]);
  const formal = PREFIXES.find(([prefix]) => prefix.test(word));
  if (formal) variants.add(word.replace(formal[0], formal[1]));
  const bases = [word];
  for (const [prefix, replacements] of INFORMAL_PREFIXES) {
    if (prefix.test(word)) bases.push(...replacements.map((replacement) => word.replace(prefix, replacement)));
  }
  for (const base of bases) {
    variants.add(base);
    // Only a verb of five letters or more: "kantin" and "mesin" are no "kant-in", "mes-in".
    const verb = base.replace(INFORMAL_SUFFIX, "");
    if (verb !== base && verb.length >= 5) variants.add(stem(verb));
  }
  variants.delete(word);
  variants.delete(stem(word));
  return [...variants].filter((variant) => variant.length >= 4 && stem(variant) === variant);
}

/**
 * A deliberately small Indonesian stemmer: strips particles, possessives, one
 * derivational suffix and one prefix, keeping at least four letters, and
 * restores the initial a nasal prefix replaced ("menerima" → "terima").
 * Words it cannot safely reduce are returned unchanged, which only costs
 * recall. (The Snowball stemmer in @orama/stemmers scored the same on
 * `npm run eval` but reduces "menerima" to "erima" and "terima" to "ima".)
 */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  let result = word.replace(PARTICLES, "");
  if (result.length > 5) result = result.replace(POSSESSIVES, "");
  if (result.length > 5) {
    const stripped = result.replace(SUFFIXES, "");
    if (stripped.length >= 4) result = stripped;
  }
  for (const [prefix, replacement] of PREFIXES) {
    if (!prefix.test(result)) continue;
    const stripped = result.replace(prefix, replacement);
    if (stripped.length >= 4) result = stripped;
    break;
  }
  return result;
}

const sentenceSegmenter = new Intl.Segmenter("id", { granularity: "sentence" });

// A sentence break after an abbreviation is none: "Jl." and "No." before a
// name or number, "tgl." before a date. Short title-case words ("Jl", "Dr")
// and short lower-case ones before a number or a lower-case word are taken
// for abbreviations; capitals ("UNM.") end sentences.
const TITLE_ABBREVIATION = /(?:^|\s)\p{Lu}\p{Ll}{0,2}\.$/u;
const SHORT_ABBREVIATION = /(?:^|\s)\p{Ll}{1,4}\.$/u;

/**
 * Sentences of a passage, each with its own punctuation. Lines are split
 * first, because headings and list items carry no full stop.
 */
export function sentences(text: string): string[] {
  const result: string[] = [];
  for (const line of text.split(/\n+/)) {
    const segments = [...sentenceSegmenter.segment(line)].map(({ segment }) => segment.trim()).filter(Boolean);
    let pending = "";
    for (const [i, segment] of segments.entries()) {
      pending = pending ? `${pending} ${segment}` : segment;
      const next = segments[i + 1];
      const abbreviated =
        next !== undefined &&
        (TITLE_ABBREVIATION.test(pending) || (SHORT_ABBREVIATION.test(pending) && /^[\p{Ll}\d]/u.test(next)));
      if (!abbreviated) {
        result.push(pending);
        pending = "";
      }
    }
  }
  return result;
}
