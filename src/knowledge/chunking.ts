// Splits a document into overlapping chunks of about CHUNK_SIZE characters,
// cutting on paragraph boundaries first, then sentences, then words, so a
// passage shown to a user reads as whole sentences. Each chunk remembers the
// headings it sits under ("Jadwal › Gelombang 1"): a sentence under a heading
// often does not repeat what the heading says.
import { sentences } from "./text-analysis";

export const CHUNK_SIZE = 1000;
export const CHUNK_OVERLAP = 200;
export const HEADING_SEPARATOR = " › ";

export interface Chunk {
  content: string;
  /** The headings in force where the chunk begins, outermost first, joined by HEADING_SEPARATOR. */
  heading: string;
}

type Unit = { text: string; path: string[] };
type Heading = { level: number; title: string };

const HEADING_LINE = /^(#{1,6})\s+(.+)$/;
// A list or a table is kept with the paragraph that leads into it.
const LIST_OR_TABLE = /^\s*([-*+•]|\d{1,2}[.)]|[a-z][.)]|\|)\s/;

export function chunkText(text: string, size = CHUNK_SIZE, overlap = CHUNK_OVERLAP): Chunk[] {
  const units = splitUnits(text, size);
  const chunks: Chunk[] = [];
  let current: Unit[] = [];
  let length = 0;
  const flush = () => {
    const first = current[0] as Unit;
    chunks.push({ content: current.map((unit) => unit.text).join("\n"), heading: first.path.join(HEADING_SEPARATOR) });
  };
  for (const unit of units) {
    if (length + unit.text.length > size && current.length > 0) {
      flush();
      // Carry whole trailing units into the next chunk, up to `overlap` characters.
      const carried: Unit[] = [];
      let carriedLength = 0;
      for (let i = current.length - 1; i >= 0; i--) {
        const piece = current[i] as Unit;
        if (carriedLength + piece.text.length > overlap) break;
        carried.unshift(piece);
        carriedLength += piece.text.length + 1;
      }
      current = carried;
      length = carriedLength;
    }
    current.push(unit);
    length += unit.text.length + 1;
  }
  if (current.length > 0) flush();
  return chunks;
}

/** The heading a line opens, if it is a Markdown heading. */
export function headingOf(line: string): Heading | null {
  const match = HEADING_LINE.exec(line.trim());
  return match ? { level: (match[1] as string).length, title: (match[2] as string).trim() } : null;
}

/** The heading path after `line`, given the path (with levels) before it. */
export function nextPath(path: Heading[], line: string): Heading[] {
  const heading = headingOf(line);
  if (!heading) return path;
  return [...path.filter((outer) => outer.level < heading.level), heading];
}

function splitUnits(text: string, size: number): Unit[] {
  const units: Unit[] = [];
  let path: Heading[] = [];
  const push = (piece: string) => {
    const titles = path.map((heading) => heading.title);
    const previous = units.at(-1);
    // A list after its lead paragraph travels with it, if they fit together.
    if (previous && LIST_OR_TABLE.test(piece) && previous.text.length + piece.length < size / 2) {
      previous.text = `${previous.text}\n${piece}`;
    } else {
      units.push({ text: piece, path: titles });
    }
    for (const line of piece.split("\n")) path = nextPath(path, line);
  };
  for (const block of paragraphs(text)) {
    if (block.length <= size) {
      push(block);
      continue;
    }
    for (const sentence of sentences(block)) {
      if (sentence.length <= size) push(sentence);
      else for (const piece of splitWords(sentence, size)) push(piece);
    }
  }
  return units;
}

// Blank lines separate paragraphs; a heading is a paragraph of its own even
// without one, so the path changes exactly where the heading stands.
function paragraphs(text: string): string[] {
  const blocks: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    let lines: string[] = [];
    for (const line of paragraph.split("\n")) {
      if (headingOf(line)) {
        if (lines.length > 0) blocks.push(lines.join("\n"));
        blocks.push(line.trim());
        lines = [];
      } else if (line.trim()) {
        lines.push(line.trimEnd());
      }
    }
    if (lines.length > 0) blocks.push(lines.join("\n").trim());
  }
  return blocks.filter((block) => block.length > 0);
}

function splitWords(sentence: string, size: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (const word of sentence.split(/\s+/)) {
    if (piece && piece.length + word.length + 1 > size) {
      pieces.push(piece);
      piece = "";
    }
    piece = piece ? `${piece} ${word}` : word.slice(0, size);
  }
  if (piece) pieces.push(piece);
  return pieces;
}
