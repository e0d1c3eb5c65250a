import { describe, expect, it } from "vitest";
import { embed, fileKey, vectorizeStore } from "../src/knowledge/vector-store";
import { asVectorizeBinding, FakeVectorize } from "./fake-vectorize";
import { asAiBinding, EMBEDDING_MODEL, FakeWorkersAi } from "./fake-workers-ai";

const chunk = (i: number, filename = "a.md") => ({
  chunk_id: `c-${i}`,
  filename,
  content: `Potongan nomor ${i} tentang biaya.`,
  heading: "",
});

function store(index = new FakeVectorize()) {
  const ai = new FakeWorkersAi();
  const embedder = { ai: asAiBinding(ai), model: EMBEDDING_MODEL } as const;
  return { ai, index, vectors: vectorizeStore(embedder, asVectorizeBinding(index)) };
}

describe("embeddings through Workers AI", () => {
  it("sends at most 100 texts per call and keeps their order", async () => {
    const { ai } = store();
    const embedder = { ai: asAiBinding(ai), model: EMBEDDING_MODEL } as const;
    const texts = Array.from({ length: 250 }, (_, i) => `teks ${i}`);
    const vectors = await embed(embedder, texts);
    expect(vectors).toHaveLength(250);
    expect(ai.calls.map((call) => call.inputs.text.length)).toEqual([100, 100, 50]);
    expect(vectors[249]).toEqual((await embed(embedder, ["teks 249"]))[0]);
  });

  it("fails loudly when the model returns the wrong number of vectors", async () => {
    const broken = asAiBinding({ run: async () => ({ shape: [1, 1024], data: [[0]] }) });
    await expect(embed({ ai: broken, model: EMBEDDING_MODEL }, ["a", "b"])).rejects.toThrow(/1 vectors for 2 texts/);
  });
});

describe("the Vectorize store", () => {
  it("embeds and upserts a batch of at most 100 chunks at a time, with the file name and its key as metadata", async () => {
    const { ai, index, vectors } = store();
    await vectors.upsert(Array.from({ length: 250 }, (_, i) => chunk(i)));
    expect(index.upserts).toEqual([100, 100, 50]);
    expect(ai.calls).toHaveLength(3);
    const [stored] = await index.getByIds(["c-7"]);
    expect(stored?.metadata).toEqual({ file_key: await fileKey("a.md"), filename: "a.md" });
  });

  it("embeds a chunk with the headings it sits under, which say what it is about", async () => {
    const { ai, vectors } = store();
    await vectors.upsert([{ ...chunk(1), heading: "Jadwal › Gelombang 1" }, chunk(2)]);
    expect(ai.calls[0]?.inputs.text).toEqual([
      "Jadwal › Gelombang 1\nPotongan nomor 1 tentang biaya.",
      "Potongan nomor 2 tentang biaya.",
    ]);
  });

  it("queries for ids and scores, filtering on the file's key", async () => {
    const { vectors } = store();
    await vectors.upsert([...Array.from({ length: 30 }, (_, i) => chunk(i)), chunk(99, "b.md")]);
    const all = await vectors.query("biaya potongan", 50, null);
    expect(all).toHaveLength(31);
    expect(all[0]).toEqual({ chunk_id: expect.stringMatching(/^c-/), score: expect.any(Number) });
    const filtered = await vectors.query("biaya potongan", 5, "b.md");
    expect(filtered.map((hit) => hit.chunk_id)).toEqual(["c-99"]);
  });

  it("tells apart files whose names share their first 64 bytes, which a filter on the name itself cannot", async () => {
    const { index, vectors } = store();
    const prefix = "Pedoman Penyelenggaraan Pendidikan Universitas Nusantara Maju Tahun";
    await vectors.upsert([chunk(1, `${prefix} 2025.pdf`), chunk(2, `${prefix} 2026.pdf`)]);
    expect((await vectors.query("potongan", 5, `${prefix} 2026.pdf`)).map((hit) => hit.chunk_id)).toEqual(["c-2"]);
    index.createMetadataIndex("filename");
    await vectors.upsert([chunk(1, `${prefix} 2025.pdf`), chunk(2, `${prefix} 2026.pdf`)]);
    const byName = await index.query(new Array(1024).fill(0.1), { filter: { filename: `${prefix} 2026.pdf` } });
    expect(byName.matches.map((match) => match.id).sort()).toEqual(["c-1", "c-2"]);
  });

  it("deletes by id in batches of at most 1000", async () => {
    const { index, vectors } = store();
    await vectors.upsert(Array.from({ length: 1500 }, (_, i) => chunk(i)));
    await vectors.delete(Array.from({ length: 1500 }, (_, i) => `c-${i}`));
    expect(index.deletions).toEqual([1000, 500]);
    expect(await index.count()).toBe(0);
  });

  it("accepts only an index of 1024 dimensions and the cosine metric", async () => {
    expect(await store().vectors.checkIndex()).toBe("1024 dimensions, cosine");
    await expect(store(new FakeVectorize({ dimensions: 768 })).vectors.checkIndex()).rejects.toThrow(/768 dimensions/);
    await expect(store(new FakeVectorize({ metric: "euclidean" })).vectors.checkIndex()).rejects.toThrow(/euclidean/);
  });
});
