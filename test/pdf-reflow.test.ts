import { describe, expect, it } from "vitest";
import { documentText } from "../src/knowledge/document-text";
import { addDocument } from "./documents-for-answers";
import layoutPdf from "./fixtures/layout/jalur-mandiri.pdf?arraybuffer";
import { ask } from "./helpers";

// jalur-mandiri.pdf is made by LibreOffice from jalur-mandiri.html (npm run
// make:pdfs): a date wraps across lines, a word is hyphenated at a line end,
// and the last section is set in two columns.
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
