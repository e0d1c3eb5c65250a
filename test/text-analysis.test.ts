import { describe, expect, it } from "vitest";
import { isFollowUp, standaloneQuery } from "../src/answering/query-rewrite";
import { contentStems, sentences, stem } from "../src/knowledge/text-analysis";

describe("Indonesian text analysis", () => {
  it("brings affixed forms of a word to one stem", () => {
    expect(new Set(["pendaftaran", "mendaftar", "daftar", "didaftarkan"].map(stem))).toEqual(new Set(["daftar"]));
    expect(stem("biayanya")).toBe("biaya");
    expect(stem("pembayaran")).toBe(stem("membayar"));
  });

  it("keeps only the words that carry meaning", () => {
    expect(contentStems("Apa itu PMB?")).toEqual(["pmb"]);
    expect(contentStems("Jelaskan lebih detail")).toEqual([]);
  });

  it("splits sentences without breaking amounts or dates", () => {
    expect(sentences("Biayanya Rp 1.500.000 per semester. Dibayar tanggal 2 Januari 2027.\n## Judul")).toEqual([
      "Biayanya Rp 1.500.000 per semester.",
      "Dibayar tanggal 2 Januari 2027.",
      "## Judul",
    ]);
  });
});

describe("follow-up rewriting", () => {
  it("recognises questions that lean on the conversation", () => {
    expect(isFollowUp("Jelaskan lebih detail")).toBe(true);
    expect(isFollowUp("Berapa biayanya per bulan?")).toBe(true);
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
      "Apa saja fasilitas asrama? Jelaskan lebih detail Berapa biayanya per bulan?",
    );
    expect(standaloneQuery("Apa itu beasiswa KIP?", history)).toBe("Apa itu beasiswa KIP?");
    expect(standaloneQuery("Jelaskan lebih detail", [])).toBe("Jelaskan lebih detail");
  });
});
