import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { NO_RELEVANT_DOCUMENTS } from "../src/answering/answer-pipeline";
import { KnowledgeBase } from "../src/knowledge/knowledge-base";
import { addDocument } from "./documents-for-answers";
import { ask } from "./helpers";

// A document of a fictional polytechnic, in none of the sample documents' words.
const LOCKERS = `# Loker Mahasiswa Politeknik Samudra

Biaya sewa loker Politeknik Samudra adalah Rp 45.000 per bulan, sudah termasuk kunci cadangan. Penyewa yang terlambat membayar sewa dikenakan denda Rp 5.000 per hari.

## Pendaftaran Penyewa

Pendaftaran penyewa loker dibuka pada 5 Juli 2028 melalui portal kemahasiswaan.

## Perpustakaan

Perpustakaan pusat Politeknik Samudra buka pukul 07.30 sampai 16.00.
`;
const fromLockers = { filename_filter: "loker-samudra.md" };
const FEE = "Biaya sewa loker Politeknik Samudra adalah Rp 45.000 per bulan, sudah termasuk kunci cadangan.";
const OPENING = "Pendaftaran penyewa loker dibuka pada 5 Juli 2028 melalui portal kemahasiswaan.";

describe("questions written as students write in a chat", () => {
  beforeAll(() => addDocument("loker-samudra.md", LOCKERS));

  it("answers a question with chat fillers as it answers the plain question", async () => {
    for (const question of [
      "Berapa biaya sewa loker per bulan?",
      "Berapa biaya sewa loker per bulan, bro?",
      "Min, mau nanya dong, biaya sewa loker per bulan berapa ya?",
      "Kak, biaya sewa loker per bulan berapa sih, gan?",
    ]) {
      const result = await ask(question, fromLockers);
      expect(result.answer.startsWith(FEE), question).toBe(true);
      expect(result.sources).toEqual(["loker-samudra.md"]);
    }
  });

  it("reads words with a letter missing, repeated, swapped or a key off as the words meant", async () => {
    for (const question of [
      "Kpan pendaftaran penyewa lokre dibuka?",
      "Kapan pendaftran penyewa lokerr dibuka?",
      "Kapan pendaftaran penyewwa lokr dibuka?",
      "Kapan pendaftaran penyewa lpker dibukq?",
    ]) {
      const result = await ask(question, fromLockers);
      expect(result.answer.startsWith(OPENING), question).toBe(true);
    }
  });

  it("reads informal words and chat abbreviations as the words the documents use", async () => {
    const fine = await ask("Berapa denda kalau telat?", fromLockers);
    expect(fine.answer).toBe("Penyewa yang terlambat membayar sewa dikenakan denda Rp 5.000 per hari.");
    const opening = await ask("Tgl brp pendaftaran penyewa loker dibuka?", fromLockers);
    expect(opening.answer.startsWith(OPENING)).toBe(true);
    // "sebulan" is "se-bulan", though a stemmer takes "-an" off it.
    const fee = await ask("Biaya sebulan berapa?", fromLockers);
    expect(fee.answer.startsWith(FEE)).toBe(true);
  });

  it("reads a typo as a word the documents use, not as one the stemmer would make of it", async () => {
    // "perpusatkan" (a letter swap away) would be stemmed to "pusat", which the document uses too.
    const result = await ask("Jam berapa perpustakan buka?", fromLockers);
    expect(result.answer).toBe("Perpustakaan pusat Politeknik Samudra buka pukul 07.30 sampai 16.00.");
  });

  it("still says it found nothing about what no document mentions, fillers and typos or not", async () => {
    for (const question of [
      "Kapan lomba dayung Politeknik Samudra diadakan kak?",
      "Kpan lomba dayung Politeknik Samudra diadakan?",
      "Berapa biaya laundry asrama per bulan, bro?",
      "Berapa biaya laundry asrama per bulan?",
    ]) {
      const result = await ask(question);
      expect(result.answer, question).toBe(NO_RELEVANT_DOCUMENTS);
      expect(result.sources).toEqual([]);
    }
  });

  it("reads typos against documents stored before their words were kept as written", async () => {
    const kb = env.KNOWLEDGE_BASE.getByName("main");
    await runInDurableObject(kb, async (_, state) => {
      state.storage.sql.exec("DROP TABLE chunk_word_vocab; DROP TABLE chunk_words");
      // Another object over the same storage, as after an upgrade, once it has started.
      const upgraded = new KnowledgeBase(state, env);
      await state.blockConcurrencyWhile(async () => {});
      const { reading } = await upgraded.search({
        text: "Kapan pendaftran penyewa loker dibuka?",
        topK: 3,
        filenameFilter: null,
      });
      expect(reading.text).toBe("Kapan pendaftaran penyewa loker dibuka?");
    });
    const result = await ask("Kapan pendaftaran penyewa loker dibka?", fromLockers);
    expect(result.answer.startsWith(OPENING)).toBe(true);
  });
});
