import { describe, expect, it } from "vitest";
import { extractAnswer, extractiveGenerator } from "../src/answering/extractive-generator";

const passage = (chunk_id: string, content: string, score: number) => ({
  chunk_id,
  filename: `${chunk_id}.md`,
  content,
  score,
});

describe("extractive answers", () => {
  const passages = [
    passage(
      "asrama",
      "## Asrama Mahasiswa\nAsrama berkapasitas 600 mahasiswa. Biaya asrama adalah Rp 750.000 per bulan. Kamar diisi dua orang saja.",
      4.2,
    ),
    passage("beasiswa", "Beasiswa KIP memberi bantuan biaya hidup setiap bulan kepada penerima.", 1.1),
  ];

  it("answers with the matching sentences verbatim, in document order, without headings", () => {
    const answer = extractAnswer({
      question: "Berapa biaya asrama per bulan?",
      query: "Berapa biaya asrama per bulan?",
      passages,
    });
    // "Kamar diisi dua orang saja." shares no word with the question.
    expect(answer).toBe("Asrama berkapasitas 600 mahasiswa. Biaya asrama adalah Rp 750.000 per bulan.");
  });

  it("leaves out passages far weaker than the best, even when they share words", () => {
    const answer = extractAnswer({ question: "Berapa biaya asrama per bulan?", query: "biaya asrama bulan", passages });
    expect(answer).not.toContain("Beasiswa");
  });

  it("streams the answer in pieces that add up to it exactly", async () => {
    const request = { question: "Berapa biaya asrama?", query: "Berapa biaya asrama?", passages, history: [], now: "" };
    const pieces: string[] = [];
    const generator = extractiveGenerator(async () => ({ biaya: 1, asrama: 1 }));
    for await (const piece of generator.generate(request)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join("")).toBe(extractAnswer(request, { biaya: 1, asrama: 1 }));
  });
});
