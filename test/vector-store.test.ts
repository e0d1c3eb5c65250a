import { describe, expect, it } from "vitest";
import { embed, type ModelRunner, vectorizeStore } from "../src/knowledge/vector-store";
import { FakeVectorize } from "./fake-vectorize";
import { FakeWorkersAi } from "./fake-workers-ai";

const MODEL = "@cf/baai/bge-m3";
const chunk = (i: number, filename = "a.md") => ({
  chunk_id: `c-${i}`,
  filename,
  content: `Potongan nomor ${i} tentang biaya.`,
});

function store() {
  const ai = new FakeWorkersAi();
  const index = new FakeVectorize();
  return { ai, index, vectors: vectorizeStore(ai as ModelRunner, index as unknown as VectorizeIndex, MODEL) };
}

describe("embeddings through Workers AI", () => {
  it("sends at most 100 texts per call and keeps their order", async () => {
    const ai = new FakeWorkersAi();
    const texts = Array.from({ length: 250 }, (_, i) => `teks ${i}`);
    const vectors = await embed(ai, MODEL, texts);
    expect(vectors).toHaveLength(250);
    expect(ai.calls.map((call) => call.inputs.text.length)).toEqual([100, 100, 50]);
    expect(vectors[249]).toEqual((await embed(ai, MODEL, ["teks 249"]))[0]);
  });

  it("fails loudly when the model returns the wrong number of vectors", async () => {
    const broken: ModelRunner = { run: async () => ({ shape: [1, 1024], data: [[0]] }) };
    await expect(embed(broken, MODEL, ["a", "b"])).rejects.toThrow(/1 vectors for 2 texts/);
  });
});

describe("the Vectorize store", () => {
  it("upserts in batches of at most 1000, with text and filename as metadata", async () => {
    const { index, vectors } = store();
    await vectors.upsert(Array.from({ length: 2500 }, (_, i) => chunk(i)));
    expect(index.upserts).toEqual([1000, 1000, 500]);
    expect(index.vectors.get("c-7")?.metadata).toEqual({
      filename: "a.md",
      content: "Potongan nomor 7 tentang biaya.",
    });
  });

  it("queries with metadata, topK capped at 20, and the filename filter as a metadata filter", async () => {
    const { index, vectors } = store();
    await vectors.upsert([...Array.from({ length: 30 }, (_, i) => chunk(i)), chunk(99, "b.md")]);
    const all = await vectors.query("biaya potongan", 50, null);
    expect(all).toHaveLength(20);
    expect(all[0]).toMatchObject({ filename: "a.md", content: expect.stringContaining("Potongan") });
    const filtered = await vectors.query("biaya potongan", 5, "b.md");
    expect(filtered.map((passage) => passage.chunk_id)).toEqual(["c-99"]);
    await expect(index.query(new Array(1024).fill(0.1), { topK: 21, returnMetadata: "all" })).rejects.toThrow(/topK/);
  });

  it("deletes by id in batches of at most 1000", async () => {
    const { index, vectors } = store();
    await vectors.upsert(Array.from({ length: 1500 }, (_, i) => chunk(i)));
    await vectors.delete(Array.from({ length: 1500 }, (_, i) => `c-${i}`));
    expect(index.deletions).toEqual([1000, 500]);
    expect(index.vectors.size).toBe(0);
  });
});
