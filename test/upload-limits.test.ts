import { describe, expect, it } from "vitest";
import {
  MAX_CHUNKS_PER_DOCUMENT,
  MAX_DOCUMENT_CHARS,
  MAX_EXTRACTION_SECONDS,
  MAX_INFLATED_BYTES,
  MAX_PDF_PAGES,
  readPagesWithin,
} from "../src/knowledge/document-limits";
import { ask, callLocal, getJson, getLocalJson, type Json, upload } from "./helpers";
import { buildPdf, textPage, zlibOfZeros } from "./pdf-builder";

async function health(): Promise<Json> {
  return (await getJson("/health")).body;
}

async function stored(filename: string): Promise<Json | undefined> {
  const files = (await getLocalJson("/files")).body as unknown as Json[];
  return files.find((file) => file.filename === filename);
}

describe("limits on what one upload may cost", () => {
  it("refuses a decompression-bomb PDF within seconds, keeping the previous version", async () => {
    const good = buildPdf([textPage("Edaran wisuda: toga diambil di gedung rektorat mulai 1 Desember.")]);
    expect((await upload("edaran-toga.pdf", good, "application/pdf")).status).toBe(200);
    const before = await stored("edaran-toga.pdf");
    const counts = await health();

    // A quarter of a megabyte that would inflate to a quarter of a gigabyte.
    const bomb = buildPdf([{ content: await zlibOfZeros(256 * 1024 * 1024), flate: true }]);
    expect(bomb.byteLength).toBeLessThan(512 * 1024);
    const started = Date.now();
    const res = await upload("edaran-toga.pdf", bomb, "application/pdf");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(413);
    expect((await res.json<Json>()).detail).toContain(`${MAX_INFLATED_BYTES / 1024 / 1024} MB`);

    expect(await stored("edaran-toga.pdf")).toEqual(before);
    expect(await health()).toEqual(counts);
    const answer = await ask("Di mana toga wisuda diambil?", { filename_filter: "edaran-toga.pdf" });
    expect(answer.answer).toContain("gedung rektorat");
    expect((await callLocal("/files/edaran-toga.pdf", { method: "DELETE" })).status).toBe(200);
  });

  it("counts zlib data compressed twice", async () => {
    const inner = await zlibOfZeros(MAX_INFLATED_BYTES + 1024 * 1024);
    const twice = new Uint8Array(
      await new Response(new Blob([inner]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer(),
    );
    const res = await upload("dua-lapis.pdf", buildPdf([{ content: twice, flate: true }]), "application/pdf");
    expect(res.status).toBe(413);
  });

  it(`refuses a PDF of more than ${MAX_PDF_PAGES} pages`, async () => {
    const pages = Array.from({ length: MAX_PDF_PAGES + 1 }, (_, i) => textPage(`Halaman ${i + 1}`));
    const res = await upload("terlalu-tebal.pdf", buildPdf(pages), "application/pdf");
    expect(res.status).toBe(413);
    expect((await res.json<Json>()).detail).toContain(`at most ${MAX_PDF_PAGES}`);
    expect(await stored("terlalu-tebal.pdf")).toBeUndefined();
  });

  it("refuses text past the character limit, and a document past the passage limit", async () => {
    const long = await upload("panjang.txt", "a".repeat(MAX_DOCUMENT_CHARS + 1), "text/plain");
    expect(long.status).toBe(413);
    expect((await long.json<Json>()).detail).toContain(`passes ${MAX_DOCUMENT_CHARS} characters`);

    const sentence = "Mahasiswa wajib membayar biaya kuliah sebelum tanggal sepuluh setiap semester berjalan. ";
    const paragraphs = `${sentence.repeat(8)}\n\n`.repeat(
      Math.floor((MAX_DOCUMENT_CHARS * 0.95) / (sentence.length * 8)),
    );
    const many = await upload("banyak-bagian.txt", paragraphs, "text/plain");
    expect(many.status).toBe(413);
    expect((await many.json<Json>()).detail).toContain(`at most ${MAX_CHUNKS_PER_DOCUMENT}`);
    expect(await stored("panjang.txt")).toBeUndefined();
    expect(await stored("banyak-bagian.txt")).toBeUndefined();
  });

  it("refuses an upload without Content-Length (411) rather than buffering it", async () => {
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("--x\r\n"));
        controller.close();
      },
    });
    const res = await callLocal("/upload", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: chunked,
    });
    const body = await res.json<Json>();
    expect(res.status, JSON.stringify(body)).toBe(411);
    expect(body.detail).toMatch(/Content-Length/);
  });

  it("stores file names in one Unicode form, without invisible or direction-changing characters", async () => {
    const text = "Kantin timur buka pukul tujuh pagi sampai tujuh malam setiap hari kerja.";
    const hidden = await upload("kantin\u200b-\u202etimur\u2066.md", text, "text/markdown");
    expect((await hidden.json<Json>()).data.filename).toBe("kantin-timur.md");
    const decomposed = await upload("cafe\u0301.txt", text, "text/plain");
    expect((await decomposed.json<Json>()).data.filename).toBe("caf\u00e9.txt");
    const long = await upload(`${"é".repeat(130)}.txt`, text, "text/plain");
    expect(long.status).toBe(422);
    // The cleaned name decides how the file is read: a hidden character after the extension changes nothing.
    const trailing = await upload("kantin-barat.txt\u200b", text, "text/plain");
    expect(trailing.status).toBe(200);
    expect((await trailing.json<Json>()).data.filename).toBe("kantin-barat.txt");
    for (const name of ["kantin-timur.md", "caf%C3%A9.txt", "kantin-barat.txt"]) {
      expect((await callLocal(`/files/${name}`, { method: "DELETE" })).status).toBe(200);
    }
  });
});

describe("the extraction time limit", () => {
  it("stops reading pages once MAX_EXTRACTION_SECONDS have passed, saying which limit it hit", async () => {
    let now = 0;
    const read: number[] = [];
    // Each page takes three seconds on this clock.
    const reading = readPagesWithin(
      100,
      async (page) => {
        read.push(page);
        now += 3000;
        return `Halaman ${page}`;
      },
      (text) => text.length,
      () => now,
    );
    await expect(reading).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining(`${MAX_EXTRACTION_SECONDS} seconds`),
    });
    expect(read.length).toBe(Math.ceil((MAX_EXTRACTION_SECONDS * 1000) / 3000));
  });
});
