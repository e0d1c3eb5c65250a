import { describe, expect, it } from "vitest";
import { SAMPLE_CORPUS } from "../src/knowledge/sample-corpus";
import { sentences } from "../src/knowledge/text-analysis";
import { ask, getJson, postJson } from "./helpers";

describe("POST /ask as JSON", () => {
  it("answers from the sample documents with sources, citations and a new session", async () => {
    const result = await ask("Kapan pendaftaran PMB gelombang 1 dibuka?");
    expect(Object.keys(result).sort()).toEqual([
      "answer",
      "citations",
      "question",
      "session_id",
      "sources",
      "timestamp",
    ]);
    expect(result.question).toBe("Kapan pendaftaran PMB gelombang 1 dibuka?");
    expect(result.sources[0]).toBe("pmb-jadwal.md");
    expect(new Set(result.sources).size).toBe(result.sources.length);
    expect(result.answer).toContain("2 Januari 2027");
    expect(result.session_id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(result.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    expect(result.citations.length).toBeGreaterThan(0);
    for (const citation of result.citations) {
      expect(Object.keys(citation).sort()).toEqual(["chunk_id", "filename", "score", "snippet"]);
      expect(result.sources).toContain(citation.filename);
      expect(citation.score).toBeGreaterThan(0);
    }
  });

  it("answers only with sentences taken from the documents", async () => {
    const corpus = SAMPLE_CORPUS.filter((doc) => doc.filename.endsWith(".md"))
      .map((doc) => new TextDecoder().decode(doc.bytes).replace(/\s+/g, " "))
      .join(" ");
    const result = await ask("Berapa biaya pendaftaran PMB?");
    expect(result.answer).toMatch(/Rp 350\.000/);
    for (const sentence of sentences(result.answer)) expect(corpus).toContain(sentence);
  });

  it("says so plainly when nothing relevant is found, with no sources", async () => {
    const result = await ask("Xylofon kuantum zebra?");
    expect(result.answer).toBe("Maaf, saya tidak menemukan informasi tentang itu di dokumen yang tersedia.");
    expect(result.sources).toEqual([]);
    expect(result.citations).toEqual([]);
  });

  it("keeps to the filename_filter", async () => {
    const result = await ask("Berapa biaya?", { filename_filter: "fasilitas-kampus.md" });
    expect(result.sources).toEqual(["fasilitas-kampus.md"]);
    const none = await ask("Berapa biaya?", { filename_filter: "tidak-ada.pdf" });
    expect(none.sources).toEqual([]);
  });

  it("returns at most top_k citations", async () => {
    const result = await ask("biaya beasiswa asrama pendaftaran", { top_k: 2 });
    expect(result.citations).toHaveLength(2);
  });

  it("continues the session it is given", async () => {
    const first = await ask("Apa itu PMB?");
    const second = await ask("Jelaskan lebih detail", { session_id: first.session_id });
    expect(second.session_id).toBe(first.session_id);
    const { body } = await getJson(`/conversation/history/${first.session_id}`);
    expect(body.total_exchanges).toBe(2);
  });

  it("refuses a session id the server never issued", async () => {
    const res = await postJson("/ask", { question: "Apa itu PMB?", session_id: "A".repeat(32) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Session not found" });
  });
});
