// When a PDF's text cannot be indexed, and what the user is told: the same in
// the Worker and in `npm run ingest`, which extracts a PDF's text locally.

export const UNREADABLE_PDF = "The PDF could not be read; it may be damaged or encrypted. Export it again and retry";
export const PDF_WITHOUT_TEXT =
  "The PDF has no extractable text (it looks like a scanned image). Run OCR on it, or upload a text version";

/** Whether extracted text holds any letter or digit: a scanned PDF yields none. */
export function hasText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
