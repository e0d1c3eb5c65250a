import { describe, expect, it } from "vitest";
import { isFollowUp, standaloneQuery } from "../src/answering/query-rewrite";
import { contentStems, numberedPhrases, sentences, stem } from "../src/knowledge/text-analysis";

describe("Indonesian text analysis", () => {
  it("brings affixed forms of a word to one stem", () => {
    expect(new Set(["pendaftaran", "mendaftar", "daftar", "didaftarkan"].map(stem))).toEqual(new Set(["daftar"]));
    expect(stem("biayanya")).toBe("biaya");
    expect(stem("pembayaran")).toBe(stem("membayar"));
  });

  it("keeps only the words that carry meaning", () => {
    expect(contentStems("Apa itu PMB?")).toEqual(["pmb"]);
    expect(contentStems("Jelaskan lebih detail")).toEqual([]);
    expect(contentStems("Bolehkah menerima beasiswa jika sedang cuti?")).toEqual(["terima", "beasiswa", "cuti"]);
  });

  it("leaves chat fillers, forms of address and informal function words out of a question's terms", () => {
    expect(contentStems("Min, mau nanya dong, UKT gimana sih kak? Makasih ya gan")).toEqual(["ukt"]);
    expect(contentStems("Kalo blm bayar gak bisa KRS ya bro?")).toEqual(["bayar", "krs"]);
  });

  it("keeps numbers and short codes as terms, and reads ordinals and roman numerals as numbers", () => {
    expect(contentStems("Kapan gelombang 1 ditutup?")).toEqual(["gelombang", "1", "tutup"]);
    expect(contentStems("UKT S1 dan D3")).toEqual(["ukt", "s1", "d3"]);
    for (const wave of ["gelombang 2", "gelombang ke-2", "gelombang kedua", "Gelombang II"]) {
      expect(numberedPhrases(wave)).toEqual(["gelombang 2"]);
    }
    // A cardinal counts what follows it and labels nothing; a year labels nothing either.
    expect(numberedPhrases("menerima dua beasiswa pada tahun 2027")).toEqual([]);
    // Nor does a decimal or an amount.
    expect(numberedPhrases("IPK 3,5 dan biaya Rp 1.500.000")).toEqual([]);
  });

  it("splits sentences without breaking amounts or dates", () => {
    expect(sentences("Biayanya Rp 1.500.000 per semester. Dibayar tanggal 2 Januari 2027.\n## Judul")).toEqual([
      "Biayanya Rp 1.500.000 per semester.",
      "Dibayar tanggal 2 Januari 2027.",
      "## Judul",
    ]);
  });

  it("does not end a sentence at an abbreviation, so an address or a date stays whole", () => {
    expect(
      sentences("Sekretariat di Jl. Perintis No. 10 Makassar. Dibayar tgl. 5 Mei 2027. Biaya di UNM. Selesai."),
    ).toEqual([
      "Sekretariat di Jl. Perintis No. 10 Makassar.",
      "Dibayar tgl. 5 Mei 2027.",
      "Biaya di UNM.",
      "Selesai.",
    ]);
  });
});

describe("follow-up rewriting", () => {
  it("recognises questions that lean on the conversation", () => {
    expect(isFollowUp("Jelaskan lebih detail")).toBe(true);
    expect(isFollowUp("Berapa biayanya per bulan?")).toBe(true);
    expect(isFollowUp("Kalau pengumumannya kapan?")).toBe(true);
    expect(isFollowUp("Bagaimana dengan gelombang 2?")).toBe(true);
    expect(isFollowUp("Apakah biaya itu bisa dicicil?")).toBe(true);
    expect(isFollowUp("Berapa kuotanya?")).toBe(true);
    expect(isFollowUp("Apa itu PMB?")).toBe(false);
    expect(isFollowUp("Bagaimana cara mendaftar?")).toBe(false);
  });

  it("searches a follow-up together with the question that started the topic", () => {
    const history = [
      { question: "Berapa UKT Fakultas Teknik?", answer: "..." },
      { question: "Apa saja fasilitas asrama?", answer: "..." },
      { question: "Jelaskan lebih detail", answer: "..." },
    ];
    expect(standaloneQuery("Berapa biayanya per bulan?", history)).toBe(
      "Apa saja fasilitas asrama Jelaskan lebih detail Berapa biayanya per bulan?",
    );
    expect(standaloneQuery("Apa itu beasiswa KIP?", history)).toBe("Apa itu beasiswa KIP?");
    expect(standaloneQuery("Jelaskan lebih detail", [])).toBe("Jelaskan lebih detail");
  });
});
