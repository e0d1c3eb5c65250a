// How the insights tell that two questions are the same: the same words in
// the same order, whatever their case, spacing or punctuation.
// "Kapan PMB dibuka?" and "kapan  pmb dibuka" are one question.
export function questionKey(question: string): string {
  return (
    question
      .normalize("NFKC")
      .toLowerCase()
      // Punctuation separates words ("PMB/UKT"), so it becomes a space rather than nothing.
      .replace(/\p{P}+/gu, " ")
      .replace(/\s+/gu, " ")
      .trim()
  );
}
