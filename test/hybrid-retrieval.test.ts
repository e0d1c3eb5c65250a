import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ingestDocument } from "../src/knowledge/document-ingest";
import { KnowledgeBase } from "../src/knowledge/knowledge-base";
import { sha256Hex } from "../src/sha256";
import { FakeVectorize } from "./fake-vectorize";
import { FakeWorkersAi } from "./fake-workers-ai";

// The production knowledge base: the real object and its SQLite storage, with
// the Workers AI and Vectorize stand-ins as its AI and VECTORIZE bindings.
async function withProductionKnowledgeBase(
  test: (
    kb: KnowledgeBase,
    fakes: { ai: FakeWorkersAi; index: FakeVectorize; storage: DurableObjectStorage },
  ) => Promise<void>,
  index = new FakeVectorize(),
) {
  const stub = env.KNOWLEDGE_BASE.getByName(`hybrid-${crypto.randomUUID()}`);
  const ai = new FakeWorkersAi();
  const productionEnv = { ...env, RETRIEVER: "hybrid", LOAD_SAMPLE_CORPUS: "false", AI: ai, VECTORIZE: index };
  await runInDurableObject(stub, async (_, state) => {
    // Start from empty storage: the stub's own instance loaded the sample corpus.
    await state.storage.deleteAll();
    const kb = new KnowledgeBase(state, productionEnv as unknown as Env);
    // Wait for the constructor's schema setup, as the runtime would before any call.
    await state.blockConcurrencyWhile(async () => {});
    await test(kb, { ai, index, storage: state.storage });
  });
}

async function add(kb: KnowledgeBase, filename: string, text: string) {
  const fileHash = await sha256Hex(new TextEncoder().encode(text));
  return ingestDocument(kb, { filename, text, size: text.length, fileHash });
}

const query = (text: string, filenameFilter: string | null = null) => ({ text, topK: 3, filenameFilter });

describe("hybrid retrieval over Vectorize and the keyword index", () => {
  it("writes a vector per chunk and finds passages by meaning and by keyword", async () => {
    await withProductionKnowledgeBase(async (kb, { index }) => {
      await add(kb, "asrama.md", "Biaya asrama mahasiswa adalah Rp 750.000 per bulan.");
      await add(kb, "wisuda.md", "Wisuda periode Juli dilaksanakan di auditorium utama.");
      expect(await index.count()).toBe(2);
      const results = (await kb.hybridSearch(query("biaya asrama per bulan"))).passages;
      expect(results[0]?.filename).toBe("asrama.md");
      const filtered = (await kb.hybridSearch(query("biaya asrama per bulan", "wisuda.md"))).passages;
      expect(filtered.every((passage) => passage.filename === "wisuda.md")).toBe(true);
    });
  });

  it("returns only the named file for a filter on a long name that other files share the start of", async () => {
    await withProductionKnowledgeBase(async (kb) => {
      const prefix = "Pedoman Akademik Universitas Nusantara Maju untuk Program Sarjana Tahun";
      await add(kb, `${prefix} 2025.md`, "Biaya semester program sarjana adalah Rp 5.000.000.");
      await add(kb, `${prefix} 2026.md`, "Biaya semester program sarjana adalah Rp 5.500.000.");
      const results = (await kb.hybridSearch(query("biaya semester program sarjana", `${prefix} 2026.md`))).passages;
      expect(results.map((passage) => passage.content)).toEqual([
        "Biaya semester program sarjana adalah Rp 5.500.000.",
      ]);
    });
  });

  it("finds an upload by keyword at once, and by meaning once Vectorize has applied it", async () => {
    let now = 1_000_000;
    const index = new FakeVectorize({ mutationDelayMs: 3000, now: () => now });
    await withProductionKnowledgeBase(async (kb) => {
      await add(kb, "klinik.md", "Klinik kampus melayani pemeriksaan kesehatan gratis bagi mahasiswa.");
      expect(await index.count()).toBe(0);
      expect((await kb.hybridSearch(query("klinik kampus gratis"))).passages[0]?.filename).toBe("klinik.md");
      expect((await kb.hybridSearch(query("layanan kesehatan mahasiswa"))).passages).toHaveLength(1);
      now += 3000;
      expect(await index.count()).toBe(1);
    }, index);
  });

  it("never returns a replaced version, and deletes its vectors once Vectorize accepts the deletion", async () => {
    await withProductionKnowledgeBase(async (kb, { index, storage }) => {
      await add(kb, "jadwal.md", "Ujian akhir semester dimulai 1 Desember.");
      index.failDeletes = true;
      await add(kb, "jadwal.md", "Ujian akhir semester dimulai 8 Desember.");
      expect(await index.count()).toBe(2);
      const results = (await kb.hybridSearch(query("kapan ujian akhir semester dimulai"))).passages;
      expect(results.map((passage) => passage.content)).toEqual(["Ujian akhir semester dimulai 8 Desember."]);
      expect(await storage.getAlarm()).not.toBeNull();
      index.failDeletes = false;
      await kb.alarm();
      expect(await index.count()).toBe(1);
      expect(await storage.getAlarm()).toBeNull();
    });
  });

  it("leaves the previous version intact, and no vectors of the new one, when writing them fails", async () => {
    await withProductionKnowledgeBase(async (kb, { index }) => {
      await add(kb, "jadwal.md", "Ujian akhir semester dimulai 1 Desember.");
      const paragraph = (i: number) => `Ujian nomor ${i} dimulai 8 Desember. ${"ketentuan ujian ".repeat(35)}`;
      const text = Array.from({ length: 300 }, (_, i) => paragraph(i)).join("\n\n");
      let writes = 0;
      const upsert = index.upsert.bind(index);
      index.upsert = async (vectors) => {
        if (++writes === 2) throw new Error("VECTOR_UPSERT_ERROR (code = 40008): service unavailable");
        return upsert(vectors);
      };
      await expect(add(kb, "jadwal.md", text)).rejects.toThrow(/VECTOR_UPSERT/);
      expect((await kb.files()).map((file) => file.chunks)).toEqual([1]);
      expect((await kb.search(query("ujian akhir semester"))).passages[0]?.content).toBe(
        "Ujian akhir semester dimulai 1 Desember.",
      );
      expect(await index.count()).toBe(1);
    });
  });

  it("hands a large document over in batches of at most 100 chunks", async () => {
    await withProductionKnowledgeBase(async (kb, { index }) => {
      const text = Array.from({ length: 250 }, (_, i) => `Bagian ${i}: ${"ketentuan beasiswa ".repeat(60)}`).join(
        "\n\n",
      );
      const result = await add(kb, "pedoman.md", text);
      expect(result.chunks).toBeGreaterThan(200);
      expect(Math.max(...index.upserts)).toBeLessThanOrEqual(100);
      expect(await index.count()).toBe(result.chunks);
    });
  });

  it("rebuilds the index in bounded steps, reporting progress, and finishes by alarm", async () => {
    await withProductionKnowledgeBase(async (kb, { index, storage }) => {
      for (let file = 0; file < 7; file++) {
        const text = Array.from({ length: 100 }, (_, i) => `Pasal ${file}-${i}: ${"aturan akademik ".repeat(40)}`);
        await add(kb, `peraturan-${file}.md`, text.join("\n\n"));
      }
      const chunks = (await kb.stats()).total_documents;
      expect(chunks).toBe(700);
      await index.clear();
      expect(await kb.rebuildVectors()).toMatchObject({ finished: false, rebuilt_chunks: 500, total_chunks: 700 });
      expect(await index.count()).toBe(500);
      expect(await storage.getAlarm()).not.toBeNull();
      await kb.alarm();
      expect(await index.count()).toBe(700);
      expect(await storage.getAlarm()).toBeNull();
    });
  });

  it("removes a deleted file's vectors", async () => {
    await withProductionKnowledgeBase(async (kb, { index }) => {
      await add(kb, "a.md", "Perpustakaan buka pukul delapan pagi.");
      await add(kb, "b.md", "Klinik kampus melayani pemeriksaan gratis.");
      expect(await kb.remove("a.md")).toEqual({ deleted_chunks: 1 });
      expect(await index.count()).toBe(1);
    });
  });

  it("drops dense hits under the relevance threshold, leaving nothing for an unrelated question", async () => {
    await withProductionKnowledgeBase(async (kb) => {
      await add(kb, "asrama.md", "Biaya asrama mahasiswa adalah Rp 750.000 per bulan.");
      expect((await kb.hybridSearch(query("zebra kuantum"))).passages).toEqual([]);
    });
  });
});
