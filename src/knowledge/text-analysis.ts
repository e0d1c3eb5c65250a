// Word-level analysis shared by indexing, query building and the extractive
// generator: tokens, Indonesian stop words and a light Indonesian stemmer, so
// "pendaftaran", "mendaftar" and "daftar" meet in the keyword index.

const STOP_WORDS = new Set(
  `ada adalah agar akan aku anda apa apakah atau bagaimana bagi bahwa banyak beberapa begitu belum berapa bisa boleh
  dan dapat dari dengan di dia dong harus hal ia ialah ini itu jadi jelaskan juga kah kalau kami kamu kapan ke kenapa
  lagi lah lebih maka mana masih mau mengapa menjadi mereka mohon nya oleh pada para per perlu pun saja saya sebagai
  secara sedang sejak selama semua seperti serta siapa silakan sudah supaya tahu tentang tersebut tetapi tidak tolong
  untuk yaitu yang detail rinci lengkap coba bisakah tolong sih ya the a an of is are what how when where which who
  to in on for and or please explain more`.split(/\s+/),
);

/** Lower-cased word tokens (letters and digits), in order. */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Stems of the words that carry meaning, without duplicates. */
export function contentStems(text: string): string[] {
  const stems = new Set<string>();
  for (const token of tokens(text)) {
    if (STOP_WORDS.has(token) || token.length < 2) continue;
    stems.add(stem(token));
  }
  return [...stems];
}

const PARTICLES = /(lah|kah|tah|pun)$/;
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

/**
 * A deliberately small Indonesian stemmer: strips particles, possessives, one
 * derivational suffix and one prefix, keeping at least four letters. Words it
 * cannot safely reduce are returned unchanged, which only costs recall.
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

/**
 * Sentences of a passage, each with its own punctuation. Lines are split
 * first, because headings and list items carry no full stop.
 */
export function sentences(text: string): string[] {
  const result: string[] = [];
  for (const line of text.split(/\n+/)) {
    for (const { segment } of sentenceSegmenter.segment(line)) {
      const sentence = segment.trim();
      if (sentence) result.push(sentence);
    }
  }
  return result;
}
