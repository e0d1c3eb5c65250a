// Re-flows text whose lines were broken for the page, not for the sense:
// lines that do not end a sentence are joined, words hyphenated across lines
// are made whole again, and headings, list items and table rows keep lines
// of their own. Used for PDFs (see pdf-layout.ts) and for hard-wrapped text.

/** A list item's marker: a bullet, "1." / "1)", "a." / "a)", or "(1)". */
export const LIST_MARKER = /^\s*(?:[-*+•▪◦·–]|\d{1,2}[.)]|[a-z][.)]|\(\w{1,3}\))\s+/u;
const BULLET = /^\s*[*+•▪◦·–]\s+/u;
const MARKDOWN_BLOCK = /^\s*(?:#{1,6}\s|\||>|```)/;
/** A line or text that ends a sentence (or a label: "Syarat:"). */
export const SENTENCE_END = /[.!?:;]["”’)]?$/u;

/** Lines of one paragraph (or one list item) as a single line. */
export function joinLines(lines: string[]): string {
  let text = "";
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (!text) {
      text = line;
      continue;
    }
    const hyphenated = /\p{L}[-\u00ad]$/u.exec(text) && /^\p{Ll}/u.test(line);
    if (!hyphenated) {
      text = `${text} ${line}`;
      continue;
    }
    const fragment = /(\p{L}+)[-\u00ad]$/u.exec(text)?.[1] ?? "";
    // "masing-" + "masing" is a reduplicated word, not a hyphenated one.
    const reduplicated = fragment.length > 1 && line.toLowerCase().startsWith(fragment.toLowerCase());
    text = reduplicated ? `${text.replace(/\u00ad$/, "-")}${line}` : `${text.slice(0, -1)}${line}`;
  }
  return text.replace(BULLET, "- ");
}

/**
 * Hard-wrapped plain text or Markdown, re-flowed. In Markdown a paragraph's
 * lines always belong together; in plain text a line is joined to the one
 * before unless that one ends a sentence, or is a short line (a title)
 * followed by a capitalised one.
 */
export function reflowText(text: string, markdown: boolean): string {
  return text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => reflowParagraph(paragraph.split("\n"), markdown))
    .join("\n\n");
}

function reflowParagraph(lines: string[], markdown: boolean): string {
  const longest = Math.max(...lines.map((line) => line.trim().length));
  const out: string[][] = [];
  for (const line of lines) {
    const current = out.at(-1);
    const previous = current?.at(-1)?.trim() ?? "";
    const standalone = MARKDOWN_BLOCK.test(line) || LIST_MARKER.test(line);
    const continues =
      current !== undefined &&
      !standalone &&
      !MARKDOWN_BLOCK.test(current[0] ?? "") &&
      line.trim().length > 0 &&
      (markdown ? !/ {2}$/.test(current.at(-1) ?? "") : continuesPlain(previous, line.trim(), longest));
    if (continues) current.push(line);
    else out.push([line]);
  }
  return out.map((group) => (group.length === 1 ? (group[0] as string).trimEnd() : joinLines(group))).join("\n");
}

function continuesPlain(previous: string, line: string, longest: number): boolean {
  if (/^\p{Ll}|^\d/u.test(line)) return !SENTENCE_END.test(previous) || /[-\u00ad,]$/.test(previous);
  if (SENTENCE_END.test(previous)) return false;
  // A short line without a full stop before a capitalised one is a title.
  return previous.length >= longest * 0.6;
}
