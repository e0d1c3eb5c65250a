import { describe, expect, it } from "vitest";
import { documentText } from "../src/knowledge/document-text";
import { addDocument } from "./documents-for-answers";
import layoutPdf from "./fixtures/layout/jalur-mandiri.pdf?arraybuffer";
import pagedPdf from "./fixtures/layout/keberatan.pdf?arraybuffer";
import { ask } from "./helpers";

// Both PDFs are made by LibreOffice from the sources beside them (npm run
// make:pdfs). In jalur-mandiri.pdf a date wraps across lines, a word is
// hyphenated at a line end, two labelled fields are justified to the margin
// and the last section is set in two columns; keberatan.pdf has a running
// header and page numbers, and a paragraph that runs on to the next page.
describe("reading a PDF's layout", () => {
  it("joins lines that do not end a sentence, so a wrapped date stays whole", async () => {
    const text = await documentText("jalur-mandiri.pdf", new Uint8Array(layoutPdf));
    expect(text).toContain("ditutup tanggal 20 Juni 2027 pukul 16.00 WITA.");
    expect(text).not.toMatch(/tanggal 20\n/);
  });

  it("re-joins a word hyphenated across lines", async () => {
    const text = await documentText("jalur-mandiri.pdf", new Uint8Array(layoutPdf));
    expect(text).toContain("tidak diperkenankan mengikuti ujian");
  });

  it("keeps headings, list items and table rows on lines of their own", async () => {
    const text = await documentText("jalur-mandiri.pdf", new Uint8Array(layoutPdf));
    expect(text).toMatch(/^# Panduan Seleksi Jalur Mandiri Politeknik Samudra 2027$/m);
    expect(text).toMatch(/^## Jadwal\n\n### Gelombang 1\n\nFormulir pendaftaran/m);
    expect(text).toContain("Berkas yang wajib dibawa saat daftar ulang:\n\n- KTP\n- Ijazah asli\n- Pas foto");
    expect(text).toContain("| Program | Biaya Formulir | Uang Pangkal |\n| --- | --- | --- |");
    expect(text).toContain("| Diploma Tiga (D3) | Rp 250.000 | Rp 2.500.000 |");
  });

  it("keeps labelled fields on lines of their own, however far justification spread them", async () => {
    const text = await documentText("jalur-mandiri.pdf", new Uint8Array(layoutPdf));
    expect(text).toContain(
      "Tempat ujian : Kampus Politeknik Samudra, Bitung\nWaktu ujian : Sabtu, 4 Juli 2027 pukul 08.00 WITA",
    );
  });

  it("drops running headers and page numbers, and joins a paragraph across the page break", async () => {
    const text = await documentText("keberatan.pdf", new Uint8Array(pagedPdf));
    expect(text).not.toContain("Pedoman Keberatan Hasil Seleksi Politeknik Samudra");
    expect(text).not.toMatch(/Halaman \d/);
    expect(text).toContain(
      "## Pasal 3 Pemeriksaan\n\nPanitia memeriksa lembar jawaban peserta bersama dua orang pengawas independen dan mencatat setiap perbedaan nilai pada berita acara pemeriksaan ulang.",
    );
    expect(text.match(/^## Pasal \d/gm)).toHaveLength(8);
  });

  it("reads two columns one after the other, not across", async () => {
    const text = await documentText("jalur-mandiri.pdf", new Uint8Array(layoutPdf));
    const left =
      "Peserta wajib membawa kartu ujian ke ruang ujian. Kartu ujian dicetak dari laman seleksi paling lambat satu hari sebelum ujian.";
    const right = "Pengumuman kelulusan dapat dilihat di laman seleksi. Keputusan panitia tidak dapat diganggu gugat.";
    expect(text).toContain(left);
    expect(text).toContain(right);
    expect(text.indexOf(left)).toBeLessThan(text.indexOf(right));
  });

  it("answers from the re-flowed PDF with the date whole and the heading as context", async () => {
    await addDocument("jalur-mandiri.pdf", layoutPdf.slice(0));
    const result = await ask("Kapan formulir jalur mandiri gelombang 1 ditutup?", {
      filename_filter: "jalur-mandiri.pdf",
    });
    expect(result.answer).toMatch(
      /^Formulir pendaftaran dapat diisi .* ditutup tanggal 20 Juni 2027 pukul 16\.00 WITA\./,
    );
    expect(result.answer).not.toContain("15 Agustus");
  });
});

describe("re-flowing text files", () => {
  it("joins hard-wrapped lines of a .txt file but keeps a title and list items apart", async () => {
    const wrapped =
      "JADWAL UJIAN\nUjian masuk dilaksanakan pada\n12 Mei 2028 di kampus\nBitung.\n\nBerkas:\n- KTP\n- Kartu ujian";
    const text = await documentText("ujian.txt", new TextEncoder().encode(wrapped));
    expect(text).toBe(
      "JADWAL UJIAN\nUjian masuk dilaksanakan pada 12 Mei 2028 di kampus Bitung.\n\nBerkas:\n- KTP\n- Kartu ujian",
    );
  });

  it("joins the lines of a Markdown paragraph", async () => {
    const text = await documentText("ujian.md", new TextEncoder().encode("## Ujian\nUjian masuk pada\n12 Mei 2028.\n"));
    expect(text).toBe("## Ujian\nUjian masuk pada 12 Mei 2028.");
  });
});
