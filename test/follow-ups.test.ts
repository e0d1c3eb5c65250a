import { beforeAll, describe, expect, it } from "vitest";
import { standaloneQuery } from "../src/answering/query-rewrite";
import { addDocument, PARTNERSHIP } from "./documents-for-answers";
import { ask } from "./helpers";

const history = (...questions: string[]) => questions.map((question) => ({ question, answer: "…" }));

/** Asks `topic`, then `followUp` in the same session; the follow-up's answer. */
async function followUp(topic: string, question: string): Promise<string> {
  const first = await ask(topic);
  return (await ask(question, { session_id: first.session_id })).answer;
}

describe("follow-up questions", () => {
  beforeAll(() => addDocument("jalur-kemitraan.md", PARTNERSHIP));

  it('keeps the wave for "Kalau …nya kapan?"', async () => {
    const answer = await followUp(
      "Kapan pendaftaran jalur kemitraan gelombang 1 ditutup?",
      "Kalau pengumumannya kapan?",
    );
    expect(answer.startsWith("Pengumuman hasil seleksi gelombang 1 disampaikan pada 2 April 2028.")).toBe(true);
    expect(answer).not.toContain("9 Juli");
  });

  it('replaces the wave for "Bagaimana dengan gelombang 2?"', async () => {
    const answer = await followUp(
      "Kapan pendaftaran jalur kemitraan gelombang 1 ditutup?",
      "Bagaimana dengan gelombang 2?",
    );
    expect(answer.startsWith("Pendaftaran jalur kemitraan gelombang 2 ditutup pada 18 Juni 2028.")).toBe(true);
    expect(answer).not.toContain("12 Maret");
  });

  it('understands "Apakah biaya itu bisa dicicil?" as about the fee just asked', async () => {
    const answer = await followUp("Berapa biaya kuliah D4 Teknik Perkapalan?", "Apakah biaya itu bisa dicicil?");
    expect(answer).toContain("Biaya kuliah dapat dicicil dua kali setiap semester");
  });

  it('answers "Berapa kuotanya?" for the programme just asked about', async () => {
    const answer = await followUp("Berapa biaya kuliah D3 Teknik Mesin Kapal?", "Berapa kuotanya?");
    expect(answer).toContain("Kuota program D3 Teknik Mesin Kapal adalah 60 mahasiswa.");
    expect(answer).not.toContain("35 mahasiswa");
  });

  it("carries the topic's distinguishing terms, replacing those of the same kind", () => {
    const topic = history("Kapan pendaftaran jalur kemitraan gelombang 1 ditutup?");
    expect(standaloneQuery("Kalau pengumumannya kapan?", topic)).toBe(
      "Kapan pendaftaran jalur kemitraan gelombang 1 ditutup Kalau pengumumannya kapan?",
    );
    expect(standaloneQuery("Bagaimana dengan gelombang 2?", topic)).toBe(
      "Kapan pendaftaran jalur kemitraan ditutup Bagaimana dengan gelombang 2?",
    );
    expect(standaloneQuery("Kalau S3?", history("Berapa biaya pendaftaran program S2?"))).toBe(
      "Berapa biaya pendaftaran program Kalau S3?",
    );
    expect(standaloneQuery("Bagaimana dengan Fakultas Hukum?", history("Berapa UKT Fakultas Teknik?"))).toBe(
      "Berapa UKT Bagaimana dengan Fakultas Hukum?",
    );
  });

  it("rewrites a follow-up of a follow-up from the rewritten question before it", () => {
    const earlier = history("Kapan pendaftaran jalur kemitraan gelombang 1 ditutup?", "Kalau pengumumannya kapan?");
    expect(standaloneQuery("Bagaimana dengan gelombang 2?", earlier)).toBe(
      "Kapan pendaftaran jalur kemitraan ditutup Kalau pengumumannya kapan Bagaimana dengan gelombang 2?",
    );
  });

  it("leaves a question that stands on its own as it is", () => {
    const earlier = history("Apa itu PMB?");
    expect(standaloneQuery("Bagaimana cara mendaftar?", earlier)).toBe("Bagaimana cara mendaftar?");
    expect(standaloneQuery("Apa itu beasiswa KIP?", earlier)).toBe("Apa itu beasiswa KIP?");
  });
});
