// Turns a PDF's blocks of lines (see `pdf-layout.ts`) into Markdown:
// paragraphs joined across line breaks (and hyphenated words re-joined),
// headings (by font size, or a line set apart in a font of its own), list
// items and tables.
import type { Block, Body, Line } from "./pdf-layout.ts";
import { joinLines, LIST_MARKER, SENTENCE_END } from "./text-reflow.ts";

const HEADING_SIZE_RATIO = 1.12;
const HEADING_MAX_WORDS = 14;
const TITLE_WORDS = 8;
const TITLE_WIDTH = 0.6; // of its column
// "Waktu : 08.00 WITA": a labelled field stands on its own line, like a list item.
const FIELD = /^\p{Lu}[\p{L}\d .()/-]{0,40}?\s:\s+\S/u;

type Piece = { kind: "heading" | "item" | "paragraph" | "table"; text: string };

/** The blocks of a document, in reading order, as Markdown. */
export function render(blocks: Block[], body: Body): string {
  const levels = headingLevels(blocks, body);
  const pieces: Piece[] = [];
  for (const block of blocks) {
    if (block.kind === "table") pieces.push({ kind: "table", text: markdownTable(block.rows) });
    else pieces.push(...blockPieces(block.lines, body, levels));
  }
  // A paragraph cut by a column or page break goes on where it was cut.
  const joined: Piece[] = [];
  for (const piece of pieces) {
    const previous = joined.at(-1);
    const cut = previous?.kind === "paragraph" && !SENTENCE_END.test(previous.text);
    if (previous && cut && piece.kind === "paragraph" && /^[\p{Ll}\d]/u.test(piece.text)) {
      previous.text = joinLines([previous.text, piece.text]);
    } else {
      joined.push(piece);
    }
  }
  let markdown = "";
  for (const [i, piece] of joined.entries()) {
    const previous = joined[i - 1];
    if (previous) markdown += previous.kind === "item" && piece.kind === "item" ? "\n" : "\n\n";
    markdown += piece.text;
  }
  return markdown;
}

// One block's lines as headings, list items, table rows and paragraphs.
function blockPieces(lines: Line[], body: Body, levels: Map<number, number>): Piece[] {
  const pieces: Piece[] = [];
  const columnLeft = Math.min(...lines.map((line) => line.x0));
  const columnRight = Math.max(...lines.map((line) => line.x1));
  let group: Line[] = [];
  let kind: Piece["kind"] = "paragraph";
  let rows: string[][] = [];
  // Heading lines of one level in a row are one heading that wrapped.
  const heading = { level: 0, lines: [] as string[] };
  const flush = () => {
    if (heading.lines.length > 0) {
      pieces.push({ kind: "heading", text: `${"#".repeat(heading.level)} ${heading.lines.join(" ")}` });
    }
    if (rows.length > 0) pieces.push({ kind: "table", text: markdownTable(rows) });
    if (group.length > 0) pieces.push({ kind, text: joinLines(group.map((line) => line.text)) });
    [heading.lines, rows, group] = [[], [], []];
  };
  for (const [i, line] of lines.entries()) {
    if (line.cells.length > 1) {
      if (rows.length === 0) flush();
      rows.push(line.cells);
      continue;
    }
    const next = lines[i + 1];
    // A short line of a few words above a capitalised one, in the body's own
    // look, is a title all the same ("Pasal 4").
    const title =
      (group.length === 0 || SENTENCE_END.test(group.at(-1)?.text ?? "")) &&
      (next === undefined || /^[\p{Lu}\d]/u.test(next.text)) &&
      lines.length > 1 &&
      line.x1 - line.x0 < TITLE_WIDTH * (columnRight - columnLeft) &&
      line.text.split(/\s+/).length <= TITLE_WORDS &&
      isHeadingText(line.text) &&
      !LIST_MARKER.test(line.text);
    const level = headingLevel(line, body, levels) ?? (title ? Math.min(levels.size + 1, 6) : null);
    if (level !== null) {
      if (heading.level !== level || heading.lines.length === 0) flush();
      heading.level = level;
      heading.lines.push(line.text);
      continue;
    }
    const first = group[0];
    const last = group.at(-1);
    const item = LIST_MARKER.test(line.text) || FIELD.test(line.text);
    const continues =
      last !== undefined &&
      !item &&
      (kind === "item"
        ? line.x0 > (first as Line).x0 + 0.5 * body.size
        : !(
            SENTENCE_END.test(last.text) &&
            (last.x1 < columnRight - 1.5 * body.size || line.x0 > columnLeft + body.size)
          ));
    if (!continues) {
      flush();
      kind = item ? "item" : "paragraph";
    }
    group.push(line);
  }
  flush();
  return pieces;
}

// Heading levels by size: sizes above the body's, largest first, then the
// level below them for lines at body size that only their look sets apart.
function headingLevels(blocks: Block[], body: Body): Map<number, number> {
  const sizes = new Set<number>();
  for (const block of blocks) {
    if (block.kind !== "lines") continue;
    for (const line of block.lines) {
      if (line.size >= body.size * HEADING_SIZE_RATIO && isHeadingText(line.text)) sizes.add(sizeKey(line.size));
    }
  }
  const levels = new Map<number, number>();
  for (const [i, size] of [...sizes].sort((a, b) => b - a).entries()) levels.set(size, Math.min(i + 1, 5));
  return levels;
}

function headingLevel(line: Line, body: Body, levels: Map<number, number>): number | null {
  if (!isHeadingText(line.text)) return null;
  const bySize = levels.get(sizeKey(line.size));
  if (bySize !== undefined) return bySize;
  if (line.size < body.size * 0.95) return null;
  // A short line at body size set in another font, or in capitals, that does
  // not end a sentence: "Gelombang I", "PERSYARATAN UMUM".
  const otherFont = line.font !== body.font && line.spans.every((span) => span.font === line.font);
  const capitals = line.text === line.text.toUpperCase() && /\p{Lu}{3}/u.test(line.text);
  return otherFont || capitals ? Math.min(levels.size + 1, 6) : null;
}

const sizeKey = (size: number) => Math.round(size * 2) / 2;

function isHeadingText(text: string): boolean {
  return (
    text.split(/\s+/).length <= HEADING_MAX_WORDS &&
    !/[.,;:]$/.test(text) &&
    /\p{L}/u.test(text) &&
    !/^\p{Ll}/u.test(text) &&
    !/^[-*+•▪◦·–]/u.test(text)
  );
}

// "Waktu : 08.00 WITA" rows are facts, one a line, not a table with a header.
function keyValueLines(rows: string[][]): string | null {
  const pairs = rows.map((row) => row.filter((cell) => cell !== ":" && cell !== ""));
  const keyed = pairs.every((row) => row.length >= 2 && (/:$/.test(row[0] as string) || /^:/.test(row[1] as string)));
  if (!keyed) return null;
  return pairs
    .map(([key = "", ...rest]) => `${key.replace(/\s*:$/, "")}: ${rest.join(" ").replace(/^:\s*/, "")}`)
    .join("\n");
}

function markdownTable(rows: string[][]): string {
  const facts = keyValueLines(rows);
  if (facts !== null) return facts;
  const width = Math.max(...rows.map((row) => row.length));
  const line = (row: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => (row[i] ?? "").replace(/\|/g, "/")).join(" | ")} |`;
  const [header, ...rest] = rows;
  return [line(header ?? []), `|${" --- |".repeat(width)}`, ...rest.map(line)].join("\n");
}
