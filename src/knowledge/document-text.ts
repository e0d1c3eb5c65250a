// Turns an uploaded file into indexable text. The type is decided by the
// content, not only the name: a PDF must start with %PDF-, text must be UTF-8.
import { HTTPException } from "hono/http-exception";
import { getDocumentProxy } from "unpdf";
import { readPagesWithin, refuseInflationBomb, refuseLongPdf, refuseLongText } from "./document-limits";
import { layoutText, pageSpans } from "./pdf-layout";
import { hasText, PDF_WITHOUT_TEXT, UNREADABLE_PDF } from "./pdf-readability";
import { reflowText } from "./text-reflow";

/** The text of an uploaded file. */
export async function documentText(filename: string, bytes: Uint8Array): Promise<string> {
  const text = normaliseText(await rawText(filename, bytes));
  refuseLongText(text);
  return text;
}

async function rawText(filename: string, bytes: Uint8Array): Promise<string> {
  const extension = filename.slice(filename.lastIndexOf(".")).toLowerCase();
  if (extension === ".pdf") return pdfText(bytes);
  if (extension === ".txt" || extension === ".md") return reflowText(utf8Text(bytes), extension === ".md");
  throw new HTTPException(415, {
    message: `Unsupported file type "${extension || filename}": upload a PDF, .txt or .md file`,
  });
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  if (new TextDecoder().decode(bytes.subarray(0, 5)) !== "%PDF-") {
    throw new HTTPException(415, { message: "The file is named .pdf but is not a PDF (it does not start with %PDF-)" });
  }
  refuseInflationBomb(bytes);
  let text: string;
  try {
    // PDF.js takes over (detaches) the buffer it is given; the caller keeps its own.
    const pdf = await getDocumentProxy(bytes.slice());
    refuseLongPdf(pdf.numPages);
    const pages = await readPagesWithin(
      pdf.numPages,
      (page) => pageSpans(pdf, page),
      (spans) => spans.reduce((chars, span) => chars + span.text.length, 0),
    ).finally(() => pdf.loadingTask.destroy());
    text = layoutText(pages);
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    throw new HTTPException(422, { message: UNREADABLE_PDF });
  }
  if (!hasText(text)) throw new HTTPException(422, { message: PDF_WITHOUT_TEXT });
  return text;
}

/** UTF-8 text, as indexed: the text `npm run ingest` extracted from a PDF, held to the same caps. */
export function plainText(bytes: Uint8Array): string {
  const text = normaliseText(utf8Text(bytes));
  refuseLongText(text);
  return text;
}

function utf8Text(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    if (!text.includes("\u0000")) return text;
  } catch {
    // reported below
  }
  throw new HTTPException(415, { message: "The file is not UTF-8 text: save it as UTF-8 .txt or .md and retry" });
}

// Control characters and invisible format characters (zero-width, bidi
// overrides, BOM) carry no meaning for a reader but can hide or reorder text
// to smuggle instructions past one; they never reach the index.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

export function normaliseText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(INVISIBLE, (character) => (character === "\n" || character === "\t" ? character : ""))
    .trim();
}
