// Builds small PDFs for tests: one page per content stream, with a correct
// cross-reference table, so PDF.js reads them as it would a real export.
const latin1 = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

export interface PdfPage {
  /** The page's content stream, as stored in the file. */
  content: Uint8Array | string;
  /** Set when `content` is zlib data. */
  flate?: boolean;
}

/** A page that shows `text` in Helvetica. */
export function textPage(text: string): PdfPage {
  return { content: `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, "\\$&")}) Tj ET` };
}

export function buildPdf(pages: PdfPage[]): Uint8Array {
  const objects: Array<Uint8Array[]> = [];
  const kids = pages.map((_, i) => `${4 + 2 * i} 0 R`).join(" ");
  objects.push([latin1("<< /Type /Catalog /Pages 2 0 R >>")]);
  objects.push([latin1(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`)]);
  objects.push([latin1("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")]);
  for (const [i, page] of pages.entries()) {
    objects.push([
      latin1(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`,
      ),
    ]);
    const data = typeof page.content === "string" ? latin1(page.content) : page.content;
    const filter = page.flate ? " /Filter /FlateDecode" : "";
    objects.push([latin1(`<< /Length ${data.byteLength}${filter} >>\nstream\n`), data, latin1("\nendstream")]);
  }
  const parts: Uint8Array[] = [latin1("%PDF-1.7\n")];
  let offset = parts[0]?.byteLength ?? 0;
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(offset);
    for (const part of [latin1(`${i + 1} 0 obj\n`), ...body, latin1("\nendobj\n")]) {
      parts.push(part);
      offset += part.byteLength;
    }
  }
  const xref = offsets.map((at) => `${String(at).padStart(10, "0")} 00000 n \n`).join("");
  parts.push(
    latin1(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
    ),
  );
  const pdf = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    pdf.set(part, at);
    at += part.byteLength;
  }
  return pdf;
}

/** zlib data that inflates to `bytes` zero bytes, made without holding them. */
export async function zlibOfZeros(bytes: number): Promise<Uint8Array> {
  const zeros = new Uint8Array(1024 * 1024);
  let left = bytes;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const size = Math.min(left, zeros.byteLength);
      controller.enqueue(zeros.subarray(0, size));
      left -= size;
    },
  });
  return new Uint8Array(await new Response(source.pipeThrough(new CompressionStream("deflate"))).arrayBuffer());
}
