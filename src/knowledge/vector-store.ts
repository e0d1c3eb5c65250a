// Dense retrieval in production: Workers AI embeddings (bge-m3, 1024
// dimensions) stored in Vectorize with the chunk's text and filename as
// metadata, so a query needs no second lookup. Every call respects the
// bindings' limits.
import { ConfigError, type Settings } from "../config";
import type { Passage } from "./retriever";

export const MAX_TEXTS_PER_EMBEDDING = 100;
const MAX_VECTORS_PER_UPSERT = 1000;
const MAX_IDS_PER_DELETE = 1000;
const MAX_TOP_K_WITH_METADATA = 20;

/** The part of the Workers AI binding this service uses, with the model id as configured. */
export type ModelRunner = { run(model: string, inputs: Record<string, unknown>): Promise<unknown> };

export type IndexedChunk = { chunk_id: string; filename: string; content: string };

export interface VectorStore {
  upsert(chunks: IndexedChunk[]): Promise<void>;
  query(text: string, topK: number, filenameFilter: string | null): Promise<Passage[]>;
  delete(ids: string[]): Promise<void>;
}

export function batches<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

export async function embed(ai: ModelRunner, model: string, texts: string[]): Promise<number[][]> {
  const vectors: number[][] = [];
  for (const batch of batches(texts, MAX_TEXTS_PER_EMBEDDING)) {
    const result = (await ai.run(model, { text: batch })) as { data?: number[][] };
    if (!Array.isArray(result.data) || result.data.length !== batch.length) {
      throw new Error(`Embedding model returned ${result.data?.length ?? "no"} vectors for ${batch.length} texts`);
    }
    vectors.push(...result.data);
  }
  return vectors;
}

export function vectorizeStore(ai: ModelRunner, index: VectorizeIndex, model: string): VectorStore {
  return {
    async upsert(chunks) {
      const vectors = await embed(
        ai,
        model,
        chunks.map((chunk) => chunk.content),
      );
      const records = chunks.map((chunk, i) => ({
        id: chunk.chunk_id,
        values: vectors[i] as number[],
        metadata: { filename: chunk.filename, content: chunk.content },
      }));
      for (const batch of batches(records, MAX_VECTORS_PER_UPSERT)) await index.upsert(batch);
    },
    async query(text, topK, filenameFilter) {
      const [vector] = await embed(ai, model, [text]);
      const result = await index.query(vector as number[], {
        topK: Math.min(topK, MAX_TOP_K_WITH_METADATA),
        returnMetadata: "all",
        ...(filenameFilter === null ? {} : { filter: { filename: { $eq: filenameFilter } } }),
      });
      return result.matches.map((match) => ({
        chunk_id: match.id,
        filename: String(match.metadata?.filename ?? ""),
        content: String(match.metadata?.content ?? ""),
        score: match.score,
      }));
    },
    async delete(ids) {
      for (const batch of batches(ids, MAX_IDS_PER_DELETE)) await index.deleteByIds(batch);
    },
  };
}

/** The vector store this deployment uses, or null in embedded mode. */
export function vectorStoreFor(env: Env, config: Settings): VectorStore | null {
  if (config.RETRIEVER !== "hybrid") return null;
  if (!env.AI || !env.VECTORIZE) {
    throw new ConfigError("RETRIEVER=hybrid needs the AI and VECTORIZE bindings (see [env.production])");
  }
  return vectorizeStore(env.AI as unknown as ModelRunner, env.VECTORIZE, config.EMBEDDING_MODEL);
}
