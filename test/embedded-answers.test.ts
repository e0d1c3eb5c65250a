import { beforeAll, describe, expect, it } from "vitest";
import { NO_RELEVANT_DOCUMENTS } from "../src/answering/answer-pipeline";
import { ADMISSION, addDocument } from "./documents-for-answers";
import { FakeWorkersAi } from "./fake-workers-ai";
import { ask } from "./helpers";
import { withSession } from "./session-harness";

const fromAdmission = { filename_filter: "penerimaan-samudra.md" };

describe("embedded answers", () => {
  beforeAll(() => addDocument("penerimaan-samudra.md", ADMISSION));

  it("tells gelombang 1 from gelombang 2: numbers are search terms", async () => {
    const { answer } = await ask("Kapan pendaftaran jalur reguler gelombang 2 ditutup?", fromAdmission);
    expect(answer).toBe("Pendaftaran jalur reguler gelombang 2 ditutup pada 9 Mei 2028.");
  });

  it("counts a heading as said of the sentences under it", async () => {
    const { answer } = await ask("Kapan formulir jalur prestasi olahraga gelombang 2 dibuka?", fromAdmission);
    expect(answer).toBe("Formulir dibuka pada 6 April 2028 untuk atlet tingkat nasional.");
  });

  it("answers a list with its lead sentence and every item, as a Markdown list", async () => {
    const { answer } = await ask("Berkas apa saja yang wajib dibawa saat daftar ulang?", fromAdmission);
    expect(answer).toBe("Berkas yang wajib dibawa saat daftar ulang:\n- KTP\n- Ijazah asli\n- Pas foto");
  });

  it("lets a rare term outweigh common ones", async () => {
    const { answer } = await ask("Berapa biaya pendaftaran jalur IUP?", fromAdmission);
    expect(answer.startsWith("Peserta jalur IUP membayar Rp 1.250.000 untuk pendaftaran.")).toBe(true);
  });

  it("puts the sentence that answers the question first", async () => {
    const { answer } = await ask("Kapan pendaftaran PMB Politeknik Samudra dibuka?", fromAdmission);
    expect(answer.startsWith("Pendaftaran PMB Politeknik Samudra dibuka pada 2 Februari 2028.")).toBe(true);
  });

  it('answers "Apa itu …?" with the sentence that spells the term out', async () => {
    const { answer } = await ask("Apa itu PMB?", fromAdmission);
    expect(answer.startsWith("Penerimaan Mahasiswa Baru (PMB) Politeknik Samudra adalah seleksi")).toBe(true);
  });

  it("cuts a citation's snippet between words, never inside an amount", async () => {
    // The amount starts at character 295, so a cut at 300 would fall inside it.
    const lead = "Ketentuan umum ujian susulan berlaku bagi semua program studi. ".repeat(4);
    const filler = "x".repeat(295 - lead.length - " Biaya ujian susulan ".length);
    const content = `${lead}${filler} Biaya ujian susulan Rp 1.250.000 per mata kuliah.`;
    expect(content.indexOf("Rp 1.250.000")).toBe(295);
    await addDocument("ujian-susulan.md", content);
    const { citations } = await ask("Berapa biaya ujian susulan?", { filename_filter: "ujian-susulan.md" });
    const snippet: string = citations[0].snippet;
    expect(snippet.endsWith("…")).toBe(true);
    const shown = snippet.slice(0, -1);
    expect(content.startsWith(shown)).toBe(true);
    expect(content.charAt(shown.length)).toBe(" ");
    expect(shown).not.toMatch(/Rp [\d.]*$/);
  });

  it("says it found nothing, without sources, when no passage is relevant enough", async () => {
    const result = await ask("Kapan festival layang-layang Politeknik Samudra diadakan?");
    expect(result.answer).toBe(NO_RELEVANT_DOCUMENTS);
    expect(result.answer).toBe("Maaf, saya tidak menemukan informasi tentang itu di dokumen yang tersedia.");
    expect(result.sources).toEqual([]);
    expect(result.citations).toEqual([]);
  });

  it("says it found nothing about a third wave when the documents have two", async () => {
    const result = await ask("Kapan pendaftaran jalur reguler gelombang 3 ditutup?");
    expect(result.answer).toBe(NO_RELEVANT_DOCUMENTS);
    expect(result.sources).toEqual([]);
  });

  it("does not call a production model when nothing is relevant", async () => {
    const ai = new FakeWorkersAi();
    await withSession({ GENERATOR: "workers-ai", AI: ai }, async (session, input) => {
      const outcome = await session.ask({ ...input, question: "Kapan festival layang-layang Politeknik Samudra?" });
      expect(outcome).toMatchObject({ result: { answer: NO_RELEVANT_DOCUMENTS, sources: [], citations: [] } });
      expect(ai.calls).toEqual([]);
    });
  });
});
