// Turns an uploaded file into indexable text. The type is decided by the
// content, not only the name: a PDF must start with %PDF-, text must be UTF-8.
import { HTTPException } from "hono/http-exception";
import { getDocumentProxy } from "unpdf";
import { pdfLayoutText } from "./pdf-layout";
import { reflowText } from "./text-reflow";

export async function documentText(filename: string, bytes: Uint8Array): Promise<string> {
  const extension = filename.slice(filename.lastIndexOf(".")).toLowerCase();
  if (extension === ".pdf") return normaliseText(await pdfText(bytes));
  if (extension === ".txt" || extension === ".md")
    return normaliseText(reflowText(utf8Text(bytes), extension === ".md"));
  throw new HTTPException(415, {
    message: `Unsupported file type "${extension || filename}": upload a PDF, .txt or .md file`,
  });
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  if (new TextDecoder().decode(bytes.subarray(0, 5)) !== "%PDF-") {
    throw new HTTPException(415, { message: "The file is named .pdf but is not a PDF (it does not start with %PDF-)" });
  }
  let text: string;
  try {
    // PDF.js takes over (detaches) the buffer it is given; the caller keeps its own.
    text = await pdfLayoutText(await getDocumentProxy(bytes.slice()));
  } catch {
    throw new HTTPException(422, {
      message: "The PDF could not be read; it may be damaged or encrypted. Export it again and retry",
    });
  }
  if (!/[\p{L}\p{N}]/u.test(text)) {
    throw new HTTPException(422, {
      message:
        "The PDF has no extractable text (it looks like a scanned image). Run OCR on it, or upload a text version",
    });
  }
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
