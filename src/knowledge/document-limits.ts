// What one uploaded document may cost to read: PDF pages, what its
// compressed streams expand to, the time spent extracting, and the
// characters and chunks it yields. Past any of them the upload is refused
// with a detail naming the limit, before anything in the index changes.
import { HTTPException } from "hono/http-exception";
import { Inflate } from "pako";

export const MAX_PDF_PAGES = 500;
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
export const MAX_EXTRACTION_SECONDS = 20;
export const MAX_DOCUMENT_CHARS = 2_000_000;
export const MAX_CHUNKS_PER_DOCUMENT = 2000;

const MIB = 1024 * 1024;
const INPUT_STEP = 16 * 1024;
// A stream compressed twice (/Filter [/FlateDecode /FlateDecode]) expands
// about a thousandfold per layer, so zlib data found inside is counted too.
const MAX_NESTING = 3;

/**
 * Refuses a decompression bomb before the PDF reader inflates it: every
 * zlib stream in the file is inflated here, counted and thrown away, and the
 * total may not pass MAX_INFLATED_BYTES.
 */
export function refuseInflationBomb(pdf: Uint8Array): void {
  // One character per byte, to find the `stream` keywords.
  const text = new TextDecoder("latin1").decode(pdf);
  const budget = { left: MAX_INFLATED_BYTES };
  for (let at = text.indexOf("stream"); at >= 0 && budget.left >= 0; at = text.indexOf("stream", at + 6)) {
    if (text.startsWith("end", at - 3)) continue;
    let start = at + 6;
    if (text[start] === "\r") start++;
    if (text[start] === "\n") start++;
    // The keyword is followed by an end of line; images and the like are not zlib data.
    if (start === at + 6 || !isZlibHeader(pdf.subarray(start, start + 2))) continue;
    const counter = new ExpansionCounter(budget, 1);
    for (let from = start; from < pdf.length && !counter.done; from += INPUT_STEP) {
      counter.push(pdf.subarray(from, from + INPUT_STEP));
    }
  }
  if (budget.left < 0) {
    throw new HTTPException(413, {
      message: `The PDF's compressed content expands past ${MAX_INFLATED_BYTES / MIB} MB, the limit that stops decompression bombs; export it again without large images, or upload its text`,
    });
  }
}

/** Inflates what is pushed and counts its size (and that of zlib data inside it), keeping none of it. */
class ExpansionCounter {
  #inflator = new Inflate();
  #inner: ExpansionCounter | null | undefined;

  constructor(
    private readonly budget: { left: number },
    depth: number,
  ) {
    this.#inflator.onData = (chunk) => {
      this.budget.left -= chunk.length;
      if (this.#inner === undefined) {
        this.#inner = depth < MAX_NESTING && isZlibHeader(chunk) ? new ExpansionCounter(budget, depth + 1) : null;
      }
      this.#inner?.push(chunk);
    };
  }

  get done(): boolean {
    return this.#inflator.ended || this.#inflator.err !== 0 || this.budget.left < 0;
  }

  push(chunk: Uint8Array): void {
    if (!this.done) this.#inflator.push(chunk, false);
  }
}

function isZlibHeader(bytes: Uint8Array): boolean {
  const [cmf = 0, flg = 0] = bytes;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

/** Refuses a PDF with more pages than MAX_PDF_PAGES. */
export function refuseLongPdf(pages: number): void {
  if (pages > MAX_PDF_PAGES) {
    throw new HTTPException(413, {
      message: `The PDF has ${pages} pages; at most ${MAX_PDF_PAGES} are read. Split it into smaller documents`,
    });
  }
}

/** Refuses text (of this many characters) longer than MAX_DOCUMENT_CHARS. */
export function refuseLongText(text: string | number): void {
  const chars = typeof text === "number" ? text : text.length;
  if (chars > MAX_DOCUMENT_CHARS) {
    throw new HTTPException(413, {
      message: `The document's text passes ${MAX_DOCUMENT_CHARS} characters, the most indexed per document. Split it into smaller documents`,
    });
  }
}

/** Refuses a document that would make more than MAX_CHUNKS_PER_DOCUMENT chunks. */
export function refuseManyChunks(chunks: number): void {
  if (chunks > MAX_CHUNKS_PER_DOCUMENT) {
    throw new HTTPException(413, {
      message: `The document makes more than ${MAX_CHUNKS_PER_DOCUMENT} passages; at most ${MAX_CHUNKS_PER_DOCUMENT} are indexed per document. Split it into smaller documents`,
    });
  }
}

/**
 * Reads a PDF's pages one at a time through `readPage`, refusing once the
 * reading has taken MAX_EXTRACTION_SECONDS or the text (`characters` counts a page's) has passed
 * MAX_DOCUMENT_CHARS. The limit is checked between pages: a page being read
 * cannot be interrupted, which is why bombs are refused before any reading.
 */
export async function readPagesWithin<Page>(
  pages: number,
  readPage: (page: number) => Promise<Page>,
  characters: (page: Page) => number,
  clock: () => number = Date.now,
): Promise<Page[]> {
  const deadline = clock() + MAX_EXTRACTION_SECONDS * 1000;
  const texts: Page[] = [];
  let chars = 0;
  for (let page = 1; page <= pages; page++) {
    // Workers move their clock only when the event loop turns.
    await scheduler.wait(0);
    if (clock() > deadline) {
      throw new HTTPException(422, {
        message: `Reading the PDF took longer than ${MAX_EXTRACTION_SECONDS} seconds, the extraction time limit (at page ${page} of ${pages}); split it or upload its text`,
      });
    }
    const text = await readPage(page);
    chars += characters(text);
    refuseLongText(chars);
    texts.push(text);
  }
  return texts;
}
