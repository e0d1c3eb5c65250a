import { describe, expect, it } from "vitest";
import { VectorizeStandIn } from "../rehearsal/vectorize";
import { AI_ERRORS, WorkersAiStandIn } from "../rehearsal/workers-ai";

// The stand-ins keep Cloudflare's documented shapes, limits and errors (see
// their headers): what the service is tested and rehearsed against.
const ai = new WorkersAiStandIn();
const ask = (model: string, content: string, extra: Record<string, unknown> = {}) =>
  ai.run(model, { messages: [{ role: "user", content }], ...extra });

async function sseData(stream: unknown): Promise<string[]> {
  const text = await new Response(stream as ReadableStream).text();
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((frame) => frame.replace(/^data: /, ""));
}

describe("the Workers AI stand-in", () => {
  it("embeds 1 to 100 texts with bge-m3 into 1024 dimensions, as {shape, data}", async () => {
    const reply = (await ai.run("@cf/baai/bge-m3", { text: ["satu", "dua"] })) as Record<string, any>;
    expect(reply.shape).toEqual([2, 1024]);
    expect(reply.data).toHaveLength(2);
    expect(reply.data[0]).toHaveLength(1024);
    await expect(ai.run("@cf/baai/bge-m3", { text: new Array(101).fill("x") })).rejects.toThrow(/^5006:.*100/);
    await expect(ai.run("@cf/baai/bge-m3", { text: [""] })).rejects.toThrow(/^5006:/);
  });

  it("replies as a chat completion, or as {response}, as each model's schema says", async () => {
    const seaLion = (await ask("@cf/aisingapore/gemma-sea-lion-v4-27b-it", "Halo")) as Record<string, any>;
    expect(seaLion.object).toBe("chat.completion");
    expect(seaLion.choices[0].message).toEqual({ role: "assistant", content: "OK" });
    expect(seaLion).not.toHaveProperty("response");
    expect(await ask("@cf/meta/llama-3.3-70b-instruct-fp8-fast", "Halo")).toMatchObject({ response: "OK" });
    await expect(ask("@cf/not/a-model", "Halo")).rejects.toThrow(/^5007: No such model/);
  });

  it("streams in each chunk shape, then a usage chunk, then [DONE]", async () => {
    const model = "@cf/aisingapore/gemma-sea-lion-v4-27b-it";
    const shapes = {
      response: (chunk: any) => chunk.response,
      choices: (chunk: any) => chunk.choices?.[0]?.delta?.content,
      mixed: (chunk: any) => (chunk.response === "" ? chunk.choices?.[0]?.delta?.content : undefined),
    };
    for (const [shape, textOf] of Object.entries(shapes)) {
      const data = await sseData(await ask(model, `Halo #stream=${shape}`, { stream: true }));
      expect(data.at(-1)).toBe("[DONE]");
      const chunks = data.slice(0, -1).map((event) => JSON.parse(event));
      expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 1 });
      expect(chunks.map(textOf).filter(Boolean).join("")).toBe("OK");
    }
  });

  it("fails as Workers AI does when out of capacity, rate limited, or out of its daily allocation", async () => {
    const model = "@cf/aisingapore/gemma-sea-lion-v4-27b-it";
    await expect(ask(model, "Halo #capacity")).rejects.toThrow(AI_ERRORS.capacity);
    await expect(ask(model, "Halo #rate-limited")).rejects.toThrow(/^3021:/);
    await expect(ask(model, "Halo #daily-limit")).rejects.toThrow(/^3036:/);
  });
});

describe("the Vectorize stand-in", () => {
  const values = (x: number) => new Array(1024).fill(x);

  it("rejects ids over 64 bytes, metadata over 10 KiB, wrong dimensions and batches over 1000", async () => {
    const index = new VectorizeStandIn();
    await expect(index.upsert([{ id: "é".repeat(33), values: values(1) }])).rejects.toThrow(/64 bytes/);
    await expect(
      index.upsert([{ id: "a", values: values(1), metadata: { text: "x".repeat(10_300) } }]),
    ).rejects.toThrow(/10240/);
    await expect(index.upsert([{ id: "a", values: [1, 2] }])).rejects.toThrow(/dimensions/);
    const many = Array.from({ length: 1001 }, (_, i) => ({ id: `v${i}`, values: values(1) }));
    await expect(index.upsert(many)).rejects.toThrow(/1000/);
  });

  it("returns at most 20 matches with metadata or values and at most 100 without", async () => {
    const index = new VectorizeStandIn();
    await index.upsert(Array.from({ length: 120 }, (_, i) => ({ id: `v${i}`, values: values(i + 1) })));
    await expect(index.query(values(1), { topK: 21, returnMetadata: "all" })).rejects.toThrow(/topK/);
    await expect(index.query(values(1), { topK: 21, returnValues: true })).rejects.toThrow(/topK/);
    expect((await index.query(values(1), { topK: 100 })).matches).toHaveLength(100);
    await expect(index.query(values(1), { topK: 101 })).rejects.toThrow(/topK/);
  });

  it("filters a string property on its first 64 bytes, and only once it has a metadata index", async () => {
    const index = new VectorizeStandIn();
    const long = "x".repeat(64);
    await index.upsert([{ id: "early", values: values(1), metadata: { name: `${long}-a` } }]);
    index.createMetadataIndex("name");
    await index.upsert([
      { id: "a", values: values(1), metadata: { name: `${long}-a` } },
      { id: "b", values: values(1), metadata: { name: `${long}-b` } },
    ]);
    const found = await index.query(values(1), { filter: { name: { $eq: `${long}-a` } } });
    expect(found.matches.map((match) => match.id).sort()).toEqual(["a", "b"]);
  });

  it("applies upserts and deletions a few seconds after they are made, in order", async () => {
    let now = 0;
    const index = new VectorizeStandIn({ mutationDelayMs: 3000, now: () => now });
    await index.upsert([{ id: "a", values: values(1) }]);
    await index.deleteByIds(["a"]);
    expect((await index.query(values(1))).matches).toHaveLength(0);
    now = 3000;
    expect((await index.describe()).vectorsCount).toBe(0);
    await index.upsert([{ id: "b", values: values(1) }]);
    now = 5999;
    expect(await index.getByIds(["b"])).toEqual([]);
    now = 6000;
    expect((await index.getByIds(["b"]))[0]?.id).toBe("b");
    expect(await index.describe()).toMatchObject({ config: { dimensions: 1024, metric: "cosine" }, vectorsCount: 1 });
  });
});
