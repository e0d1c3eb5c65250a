import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { KnowledgeBase } from "../src/knowledge/knowledge-base";
import { sha256Hex } from "../src/sha256";
import { FakeVectorize } from "./fake-vectorize";
import { FakeWorkersAi } from "./fake-workers-ai";

// The production knowledge base: the real object and its SQLite storage, with
// fakes standing in for the AI and Vectorize bindings.
async function withProductionKnowledgeBase(
  test: (kb: KnowledgeBase, fakes: { ai: FakeWorkersAi; index: FakeVectorize }) => Promise<void>,
) {
  const stub = env.KNOWLEDGE_BASE.getByName(`hybrid-${crypto.randomUUID()}`);
  const fakes = { ai: new FakeWorkersAi(), index: new FakeVectorize() };
  const productionEnv = {
    ...env,
    RETRIEVER: "hybrid",
    LOAD_SAMPLE_CORPUS: "false",
    AI: fakes.ai,
    VECTORIZE: fakes.index,
  };
  await runInDurableObject(stub, async (_, state) => {
    // Start from empty storage: the stub's own instance loaded the sample corpus.
    await state.storage.deleteAll();
    const kb = new KnowledgeBase(state, productionEnv as unknown as Env);
    // Wait for the constructor's schema setup, as the runtime would before any call.
    await state.blockConcurrencyWhile(async () => {});
    await test(kb, fakes);
  });
}

async function document(filename: string, text: string) {
  return { filename, text, size: text.length, fileHash: await sha256Hex(new TextEncoder().encode(text)) };
}

const query = (text: string, filenameFilter: string | null = null) => ({ text, topK: 3, filenameFilter });

describe("hybrid retrieval over Vectorize and the keyword index", () => {
  it("writes a vector per chunk and finds passages by meaning and by keyword", async () => {
    await withProductionKnowledgeBase(async (kb, { index }) => {
      await kb.ingest(await document("asrama.md", "Biaya asrama mahasiswa adalah Rp 750.000 per bulan."));
      await kb.ingest(await document("wisuda.md", "Wisuda periode Juli dilaksanakan di auditorium utama."));
      expect(index.vectors.size).toBe(2);
      const results = await kb.hybridSearch(query("biaya asrama per bulan"));
      expect(results[0]?.filename).toBe("asrama.md");
      const filtered = await kb.hybridSearch(query("biaya asrama per bulan", "wisuda.md"));
      expect(filtered.every((passage) => passage.filename === "wisuda.md")).toBe(true);
    });
  });

  it("never returns a replaced version, even while its vectors linger", async () => {
    await withProductionKnowledgeBase(async (kb, { index }) => {
      await kb.ingest(await document("jadwal.md", "Ujian akhir semester dimulai 1 Desember."));
      index.failDeletes = true;
      await kb.ingest(await document("jadwal.md", "Ujian akhir semester dimulai 8 Desember."));
      expect(index.vectors.size).toBe(2);
      const results = await kb.hybridSearch(query("kapan ujian akhir semester dimulai"));
      expect(results.map((passage) => passage.content)).toEqual(["Ujian akhir semester dimulai 8 Desember."]);
    });
  });

  it("leaves the previous version intact when writing the new vectors fails", async () => {
    await withProductionKnowledgeBase(async (kb, { index }) => {
      await kb.ingest(await document("jadwal.md", "Ujian akhir semester dimulai 1 Desember."));
      index.failUpserts = true;
      await expect(kb.ingest(await document("jadwal.md", "Ujian dimulai 8 Desember."))).rejects.toThrow(
        /VECTOR_UPSERT/,
      );
      expect((await kb.files()).map((file) => file.chunks)).toEqual([1]);
      const results = await kb.search(query("ujian akhir semester"));
      expect(results[0]?.content).toBe("Ujian akhir semester dimulai 1 Desember.");
    });
  });

  it("removes a deleted file's vectors, and rebuilds the index from the stored chunks", async () => {
    await withProductionKnowledgeBase(async (kb, { index }) => {
      await kb.ingest(await document("a.md", "Perpustakaan buka pukul delapan pagi."));
      await kb.ingest(await document("b.md", "Klinik kampus melayani pemeriksaan gratis."));
      expect(await kb.remove("a.md")).toEqual({ deleted_chunks: 1 });
      expect([...index.vectors.keys()]).toHaveLength(1);
      index.vectors.clear();
      expect(await kb.rebuildVectors()).toEqual({ total_documents: 1, total_files: 1 });
      expect(index.vectors.size).toBe(1);
    });
  });

  it("drops dense hits under the relevance threshold, leaving nothing for an unrelated question", async () => {
    await withProductionKnowledgeBase(async (kb) => {
      await kb.ingest(await document("asrama.md", "Biaya asrama mahasiswa adalah Rp 750.000 per bulan."));
      expect(await kb.hybridSearch(query("zebra kuantum"))).toEqual([]);
    });
  });
});
