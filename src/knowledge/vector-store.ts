// Dense retrieval in production: Workers AI embeddings (bge-m3, 1024
// dimensions) stored in Vectorize. A vector's metadata is its chunk's file
// name and `file_key`, a fixed-length hash of the name: Vectorize indexes only
// the first 64 bytes of a string property, so a filter on long names that
// share them would match them all. `filename_filter` filters on `file_key`
// (whose metadata index `npm run setup:vectorize` creates), and the knowledge
// base checks every hit against its own chunks anyway. The text stays in the
// knowledge base, so a query returns ids and scores only. Every call
// respects the bindings' documented limits.
import { ConfigError, type Settings } from "../config";
import { sha256Hex } from "../sha256";
import { callWorkersAi, type EmbeddingModel, embeddingsOf, runOptions } from "../workers-ai";
import type { ChunkRow } from "./chunk-rows";

const EMBEDDING_DIMENSIONS = 1024;
const INDEX_METRIC = "cosine";
export const MAX_TEXTS_PER_EMBEDDING = 100;
export const MAX_IDS_PER_DELETE = 1000;
// Without values or metadata a query may return up to 100 matches.
const MAX_TOP_K = 100;

export type DenseHit = { chunk_id: string; score: number };

export interface VectorStore {
  /** Embeds and writes the chunks' vectors, at most MAX_TEXTS_PER_EMBEDDING in memory at a time. */
  upsert(chunks: ChunkRow[]): Promise<void>;
  query(text: string, topK: number, filenameFilter: string | null): Promise<DenseHit[]>;
  delete(ids: string[]): Promise<void>;
  /** Whether the index is the one this service needs: for `GET /health?deep=1`. */
  checkIndex(): Promise<string>;
  /** Embeds one short text: for `GET /health?deep=1`. */
  checkEmbedding(): Promise<string>;
}

export type Embedder = { ai: Ai; model: EmbeddingModel; gatewayId?: string };

function batches<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** The `file_key` metadata of a file: 32 hex characters, well inside what a metadata index keeps. */
export async function fileKey(filename: string): Promise<string> {
  return (await sha256Hex(new TextEncoder().encode(filename))).slice(0, 32);
}

export async function embed(embedder: Embedder, texts: string[]): Promise<number[][]> {
  const vectors: number[][] = [];
  for (const batch of batches(texts, MAX_TEXTS_PER_EMBEDDING)) {
    const reply = await callWorkersAi(() =>
      embedder.ai.run(embedder.model, { text: batch }, runOptions(embedder.gatewayId)),
    );
    const data = embeddingsOf(reply);
    if (!data || data.length !== batch.length) {
      throw new Error(`Embedding model returned ${data?.length ?? "no"} vectors for ${batch.length} texts`);
    }
    vectors.push(...data);
  }
  return vectors;
}

export function vectorizeStore(embedder: Embedder, index: VectorizeIndex): VectorStore {
  return {
    async upsert(chunks) {
      for (const batch of batches(chunks, MAX_TEXTS_PER_EMBEDDING)) {
        const vectors = await embed(
          embedder,
          // The headings are embedded with the text: they say what it is about.
          batch.map((chunk) => (chunk.heading ? `${chunk.heading}\n${chunk.content}` : chunk.content)),
        );
        const records = await Promise.all(
          batch.map(async (chunk, i) => ({
            id: chunk.chunk_id,
            values: vectors[i] ?? [],
            metadata: { file_key: await fileKey(chunk.filename), filename: chunk.filename },
          })),
        );
        await index.upsert(records);
      }
    },
    async query(text, topK, filenameFilter) {
      const [vector] = await embed(embedder, [text]);
      const result = await index.query(vector ?? [], {
        topK: Math.min(topK, MAX_TOP_K),
        ...(filenameFilter === null ? {} : { filter: { file_key: { $eq: await fileKey(filenameFilter) } } }),
      });
      return result.matches.map((match) => ({ chunk_id: match.id, score: match.score }));
    },
    async delete(ids) {
      for (const batch of batches(ids, MAX_IDS_PER_DELETE)) await index.deleteByIds(batch);
    },
    async checkIndex() {
      const { dimensions, metric } = indexShape(await index.describe());
      if (dimensions !== EMBEDDING_DIMENSIONS || (metric !== null && metric !== INDEX_METRIC)) {
        throw new Error(
          `the index has ${dimensions} dimensions and the ${metric} metric; ${EMBEDDING_DIMENSIONS} and ${INDEX_METRIC} are needed (npm run setup:vectorize)`,
        );
      }
      return `${dimensions} dimensions, ${metric ?? "metric not reported"}`;
    },
    async checkEmbedding() {
      const [vector] = await embed(embedder, ["Tanya Ma'il"]);
      if (vector?.length !== EMBEDDING_DIMENSIONS) {
        throw new Error(
          `${embedder.model} returned ${vector?.length ?? 0} dimensions, the index has ${EMBEDDING_DIMENSIONS}`,
        );
      }
      return `${embedder.model}, ${vector.length} dimensions`;
    },
  };
}

// The binding's type describes the index as the beta did ({config}); an index
// created since reports {dimensions} at the top and may leave the metric out.
function indexShape(details: VectorizeIndexDetails | VectorizeIndexInfo): {
  dimensions: number | null;
  metric: VectorizeDistanceMetric | null;
} {
  if (!("config" in details)) return { dimensions: details.dimensions, metric: null };
  if (!("dimensions" in details.config)) return { dimensions: null, metric: null };
  return { dimensions: details.config.dimensions, metric: details.config.metric };
}

/** The vector store this deployment uses, or null in embedded mode. */
export function vectorStoreFor(env: Env, config: Settings): VectorStore | null {
  if (config.RETRIEVER !== "hybrid") return null;
  if (!env.AI || !env.VECTORIZE) {
    throw new ConfigError("RETRIEVER=hybrid needs the AI and VECTORIZE bindings (see [env.production])");
  }
  return vectorizeStore({ ai: env.AI, model: config.EMBEDDING_MODEL, gatewayId: config.AI_GATEWAY_ID }, env.VECTORIZE);
}
