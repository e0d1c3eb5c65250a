import { describe, expect, it } from "vitest";
import { extractAnswer, extractiveGenerator } from "../src/answering/extractive-generator";

const passage = (chunk_id: string, content: string, score: number, heading = "") => ({
  chunk_id,
  filename: `${chunk_id}.md`,
  heading,
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
  const weights = { biaya: 1, asrama: 2, bulan: 1 };

  it("answers with the best-matching sentence verbatim, without headings or weaker sentences", () => {
    const question = "Berapa biaya asrama per bulan?";
    expect(extractAnswer({ question, query: question, passages }, weights)).toBe(
      "Biaya asrama adalah Rp 750.000 per bulan.",
    );
  });

  it("leaves out sentences that share only common words with the question", () => {
    const answer = extractAnswer({ question: "Berapa biaya asrama per bulan?", query: "biaya asrama bulan", passages });
    expect(answer).not.toContain("Beasiswa");
  });

  it("never repeats a sentence that overlapping chunks share", () => {
    const sentence = "Asrama buka sepanjang tahun untuk mahasiswa baru.";
    const overlapping = [passage("a", `Awal. ${sentence}`, 2), passage("b", `${sentence} Akhir.`, 2)];
    const question = "Kapan asrama buka?";
    expect(extractAnswer({ question, query: question, passages: overlapping })).toBe(sentence);
  });

  it("keeps a table row with its header", () => {
    const table = "| Program | Biaya |\n| --- | --- |\n| D3 | Rp 250.000 |\n| D4 | Rp 300.000 |";
    const question = "Berapa biaya program D4?";
    expect(extractAnswer({ question, query: question, passages: [passage("t", table, 1)] })).toBe(
      "| Program | Biaya |\n| --- | --- |\n| D4 | Rp 300.000 |",
    );
  });

  it("streams the answer in pieces that add up to it exactly", async () => {
    const question = "Berapa biaya asrama?";
    const reading = { text: question, spelling: new Map(), weights };
    const request = { question, query: question, passages, reading, history: [], now: "" };
    const pieces: string[] = [];
    for await (const piece of extractiveGenerator.generate(request)) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join("")).toBe(extractAnswer(request, weights));
  });
});
