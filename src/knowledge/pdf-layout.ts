// Re-flows a PDF's positioned text into Markdown a reader would recognise,
// read in the page's order: columns one after the other, tables as tables.
// PDF.js gives each run of text with its position, size and font; the page's
// whitespace, not the order the producer happened to write the runs in,
// decides what is a column, a table or a paragraph. `pdf-markdown.ts` then
// tells headings, list items and paragraphs apart.
import type { getDocumentProxy } from "unpdf";
// With their extensions: `npm run ingest` runs these files in Node too.
import { render } from "./pdf-markdown.ts";

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;
type TextContent = Awaited<ReturnType<Awaited<ReturnType<PdfDocument["getPage"]>>["getTextContent"]>>;
type TextItem = Extract<TextContent["items"][number], { str: string }>;

/** A run of text on one baseline. */
export interface Span {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  font: string;
}

/** Spans sharing a baseline, left to right, as text; `cells` when far-apart runs make it a table row. */
export interface Line {
  spans: Span[];
  text: string;
  cells: string[];
  /** Words spread to the margin by justification: one run of text, whatever the gaps. */
  stretched: boolean;
  y: number;
  x0: number;
  x1: number;
  size: number;
  font: string;
}

export type Block = { kind: "lines"; lines: Line[] } | { kind: "table"; rows: string[][] };

// Gaps are measured in ems of the body text.
const GUTTER_EMS = 0.6; // the narrowest whitespace between two columns
const CELL_EMS = 2; // a wider gap inside one line separates table cells
const SPACE_EMS = 0.12; // a narrower one is no word space at all (kerning)
const FULL_LINE = 0.8; // most lines of a text column fill this much of it

/** The positioned runs of text on page `number` (from 1). */
export async function pageSpans(pdf: PdfDocument, number: number): Promise<Span[]> {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  page.cleanup();
  return content.items.flatMap((item) => ("str" in item ? spanOf(item) : []));
}

/** The document's text as Markdown, from its pages' runs of text (see `pageSpans`), page after page. */
export function layoutText(pages: Span[][]): string {
  const body = bodyStyle(pages.flat());
  const blocks = withoutRunningLines(pages, body.size).flatMap((spans) => readingOrder(spans, body.size));
  return render(blocks, body);
}

const PAGE_NUMBER =
  /^(?:[-–—]\s*)?(?:(?:halaman|hal\.?|page)\s*)?\d{1,4}(?:\s*(?:dari|of|\/)\s*\d{1,4})?(?:\s*[-–—])?$/iu;
const EDGE_LINES = 2;

/**
 * Pages without their running headers and footers: lines at the top or
 * bottom of a page that recur in the same place on most pages (numbers
 * aside), and page numbers. Left in, they would cut every paragraph that runs on to the next
 * page.
 */
function withoutRunningLines(pages: Span[][], em: number): Span[][] {
  if (pages.length < 2) return pages;
  const edges = pages.map((spans) => {
    const lines = toLines(spans, em);
    return [...lines.slice(0, EDGE_LINES), ...lines.slice(-EDGE_LINES)];
  });
  // Same words (numbers aside) at the same height of the page.
  const shape = (line: Line) =>
    `${Math.round(line.y / 4)} ${line.text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ").trim()}`;
  const seen = new Map<string, number>();
  for (const lines of edges) for (const key of new Set(lines.map(shape))) seen.set(key, (seen.get(key) ?? 0) + 1);
  const recurring = (line: Line) => (seen.get(shape(line)) ?? 0) >= Math.max(2, pages.length / 2);
  return pages.map((spans, i) => {
    const running = new Set(
      (edges[i] ?? []).filter((line) => recurring(line) || PAGE_NUMBER.test(line.text)).flatMap((line) => line.spans),
    );
    return spans.filter((span) => !running.has(span));
  });
}

function spanOf(item: TextItem): Span[] {
  const text = item.str.replace(/\s+/g, " ");
  if (!text.trim()) return [];
  const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = item.transform;
  const size = Math.hypot(c, d) || Math.hypot(a, b) || item.height;
  return [{ text, x0: x, x1: x + item.width, y, size, font: item.fontName }];
}

/** The look of most of the text. */
export type Body = { size: number; font: string };

// The size and font most of the text is set in.
function bodyStyle(spans: Span[]): Body {
  const sizes = new Map<number, number>();
  const fonts = new Map<string, number>();
  for (const span of spans) {
    const size = Math.round(span.size * 2) / 2;
    sizes.set(size, (sizes.get(size) ?? 0) + span.text.length);
    fonts.set(span.font, (fonts.get(span.font) ?? 0) + span.text.length);
  }
  const most = <K>(counts: Map<K, number>, fallback: K) => [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
  return { size: most(sizes, 10), font: most(fonts, "") };
}

/**
 * Blocks of a page in reading order, by cutting it recursively along its
 * whitespace (the classic X–Y cut): first between paragraphs, then between
 * columns, so each column is read to its end before the next begins.
 */
function readingOrder(spans: Span[], em: number): Block[] {
  if (spans.length === 0) return [];
  const lines = toLines(spans, em);
  const tables = tableRuns(lines, em);
  if (tables.length > 0) {
    const blocks: Block[] = [];
    let start = 0;
    for (const { from, to, rows } of tables) {
      blocks.push(
        ...readingOrder(
          lines.slice(start, from).flatMap((line) => line.spans),
          em,
        ),
      );
      blocks.push({ kind: "table", rows });
      start = to;
    }
    blocks.push(
      ...readingOrder(
        lines.slice(start).flatMap((line) => line.spans),
        em,
      ),
    );
    return blocks;
  }
  const bands = splitRows(lines, em);
  if (bands.length > 1)
    return bands.flatMap((band) =>
      readingOrder(
        band.flatMap((line) => line.spans),
        em,
      ),
    );
  const columns = splitColumns(lines, em);
  if (columns.length > 1 && !isMarkerColumn(columns[0] as Line[])) {
    if (columns.every((column) => isTextColumn(column, lines))) {
      return columns.flatMap((column) =>
        readingOrder(
          column.flatMap((line) => line.spans),
          em,
        ),
      );
    }
    return [{ kind: "table", rows: tableRows(lines, columns) }];
  }
  return [{ kind: "lines", lines }];
}

// Consecutive lines of far-apart runs, whose runs line up in columns that
// are not columns of running text, are a table, however far apart its rows.
function tableRuns(lines: Line[], em: number): Array<{ from: number; to: number; rows: string[][] }> {
  const runs: Array<{ from: number; to: number; rows: string[][] }> = [];
  let from = 0;
  while (from < lines.length) {
    let to = from;
    while (to < lines.length && (lines[to] as Line).cells.length > 1) to++;
    if (to - from >= 2) {
      const run = lines.slice(from, to);
      // A header cell is often wider than its column and would bridge gaps.
      const columns = splitColumns(run.length > 2 ? run.slice(1) : run, em);
      if (columns.length > 1 && !columns.every((column) => isTextColumn(column, run))) {
        runs.push({ from, to, rows: tableRows(run, columns) });
      }
    }
    from = Math.max(to, from + 1);
  }
  return runs;
}

// Bullets or numbers standing apart from their items are a list, not a table.
function isMarkerColumn(column: Line[]): boolean {
  return column.every((line) => /^(?:[-*+•▪◦·–]|\d{1,2}[.)]|[a-z][.)]|\(\w{1,3}\))$/u.test(line.text));
}

function toLines(spans: Span[], em: number): Line[] {
  const sorted = [...spans].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const lines: Span[][] = [];
  for (const span of sorted) {
    const line = lines.at(-1);
    if (line && Math.abs((line[0] as Span).y - span.y) <= Math.min((line[0] as Span).size, span.size) * 0.4) {
      line.push(span);
    } else {
      lines.push([span]);
    }
  }
  return lines.map((group) =>
    lineOf(
      group.sort((a, b) => a.x0 - b.x0),
      em,
    ),
  );
}

function lineOf(spans: Span[], em: number): Line {
  const longest = [...spans].sort((a, b) => b.text.length - a.text.length)[0] as Span;
  let cells: string[] = [];
  const gaps: number[] = [];
  let cell = "";
  for (const [i, span] of spans.entries()) {
    const previous = spans[i - 1];
    const gap = previous ? span.x0 - previous.x1 : 0;
    if (previous && gap > CELL_EMS * em) {
      cells.push(cell.trim());
      gaps.push(gap);
      cell = "";
    } else if (previous && gap > SPACE_EMS * span.size && !cell.endsWith(" ") && !span.text.startsWith(" ")) {
      cell += " ";
    }
    cell += span.text;
  }
  cells.push(cell.trim());
  const stretched = isStretched(cells, gaps);
  if (stretched) cells = [cells.join(" ")];
  return {
    spans,
    text: cells.join(" "),
    cells,
    stretched,
    y: (spans[0] as Span).y,
    x0: Math.min(...spans.map((span) => span.x0)),
    x1: Math.max(...spans.map((span) => span.x1)),
    size: Math.max(...spans.map((span) => span.size)),
    font: longest.font,
  };
}

// A justified line ending in a manual line break is stretched to the margin:
// single words spread evenly apart, which is no table row.
function isStretched(cells: string[], gaps: number[]): boolean {
  if (gaps.length < 2) return false;
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const even = gaps.every((gap) => Math.abs(gap - mean) <= mean * 0.25);
  return even && cells.filter((text) => text.includes(" ")).length <= 1;
}

// Whitespace between lines taller than the usual leading separates paragraphs.
function splitRows(lines: Line[], em: number): Line[][] {
  if (lines.length < 2) return [lines];
  const gaps = lines
    .slice(1)
    .map((line, i) => (lines[i] as Line).y - (lines[i] as Line).size * 0.2 - (line.y + line.size * 0.8));
  const usual = median(gaps);
  const threshold = Math.max(usual * 1.5, usual + 0.35 * em);
  const bands: Line[][] = [[lines[0] as Line]];
  for (const [i, line] of lines.slice(1).entries()) {
    if ((gaps[i] as number) > threshold) bands.push([]);
    bands.at(-1)?.push(line);
  }
  return bands;
}

// Vertical strips of whitespace running through every line split columns.
function splitColumns(lines: Line[], em: number): Line[][] {
  if (lines.length < 2) return [lines];
  // A stretched line is one box from margin to margin: its gaps are no gutter.
  const boxes = lines
    .flatMap((line) => (line.stretched ? [{ x0: line.x0, x1: line.x1 }] : line.spans))
    .sort((a, b) => a.x0 - b.x0);
  const starts: number[] = [];
  let right = Number.NEGATIVE_INFINITY;
  for (const box of boxes) {
    if (box.x0 - right > GUTTER_EMS * em) starts.push(box.x0);
    right = Math.max(right, box.x1);
  }
  if (starts.length < 2) return [lines];
  const groups: Span[][] = starts.map(() => []);
  for (const span of lines.flatMap((line) => line.spans)) {
    let index = 0;
    while (index + 1 < starts.length && span.x0 >= (starts[index + 1] as number)) index++;
    groups[index]?.push(span);
  }
  return groups.map((group) => toLines(group, em));
}

// A column of text is wide and its lines fill it; a table's columns are not.
function isTextColumn(column: Line[], all: Line[]): boolean {
  const x0 = Math.min(...column.map((line) => line.x0));
  const x1 = Math.max(...column.map((line) => line.x1));
  const regionWidth = Math.max(...all.map((line) => line.x1)) - Math.min(...all.map((line) => line.x0));
  if (column.length < 3 || x1 - x0 < regionWidth * 0.25) return false;
  const full = column.filter((line) => line.x1 - line.x0 >= (x1 - x0) * FULL_LINE).length;
  return full >= column.length * 0.5;
}

// Rows by baseline, cells by column; a row with nothing in its first cell
// continues the row above (a cell whose text wrapped).
function tableRows(lines: Line[], columns: Line[][]): string[][] {
  const bounds = columns.map((column) => Math.min(...column.map((line) => line.x0)));
  const rows: string[][] = [];
  for (const line of lines) {
    const cells = columns.map(() => "");
    for (const span of line.spans) {
      // By its middle: a centred header cell may start left of its column.
      const at = (span.x0 + span.x1) / 2;
      let index = 0;
      while (index + 1 < bounds.length && at >= (bounds[index + 1] as number) - 1) index++;
      cells[index] = `${cells[index]} ${span.text}`.trim();
    }
    const above = rows.at(-1);
    if (above && cells[0] === "") {
      for (const [i, cell] of cells.entries()) if (cell) above[i] = `${above[i]} ${cell}`.trim();
    } else {
      rows.push(cells);
    }
  }
  return rows;
}

// The lower median: of two gaps, the usual one is the smaller.
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}
