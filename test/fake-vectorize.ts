// A stand-in for a Vectorize index (no local simulator), with the real
// limits and errors: 1024 dimensions, at most 1000 vectors per upsert, topK
// at most 20 when metadata is returned, metadata filters with $eq.
type Stored = { id: string; values: number[]; metadata: Record<string, unknown> };

export class FakeVectorize {
  readonly vectors = new Map<string, Stored>();
  readonly upserts: number[] = [];
  readonly deletions: number[] = [];
  failUpserts = false;
  failDeletes = false;

  async upsert(vectors: Stored[]) {
    if (this.failUpserts) throw new Error("VECTOR_UPSERT_ERROR (code = 40008): service unavailable");
    if (vectors.length > 1000)
      throw new Error("VECTOR_UPSERT_ERROR (code = 40007): too many vectors, the limit is 1000");
    for (const vector of vectors) {
      if (vector.values.length !== 1024) {
        throw new Error(
          `VECTOR_UPSERT_ERROR (code = 40012): invalid vector dimensions ${vector.values.length}, expected 1024`,
        );
      }
    }
    this.upserts.push(vectors.length);
    for (const vector of vectors) this.vectors.set(vector.id, vector);
    return { mutationId: crypto.randomUUID() };
  }

  async query(vector: number[], options: { topK?: number; returnMetadata?: string; filter?: Record<string, any> }) {
    const topK = options.topK ?? 5;
    if (options.returnMetadata === "all" && topK > 20) {
      throw new Error("VECTOR_QUERY_ERROR (code = 40025): topK must be <= 20 when returnMetadata is 'all'");
    }
    if (topK > 100) throw new Error("VECTOR_QUERY_ERROR (code = 40025): topK must be <= 100");
    const matches = [...this.vectors.values()]
      .filter((stored) =>
        Object.entries(options.filter ?? {}).every(([key, condition]) => stored.metadata[key] === condition.$eq),
      )
      .map((stored) => ({ id: stored.id, score: cosine(vector, stored.values), metadata: stored.metadata }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topK)
      .map((match) => (options.returnMetadata === "all" ? match : { id: match.id, score: match.score }));
    return { matches, count: matches.length };
  }

  async deleteByIds(ids: string[]) {
    if (this.failDeletes) throw new Error("VECTOR_DELETE_ERROR (code = 40008): service unavailable");
    if (ids.length > 1000) throw new Error("VECTOR_DELETE_ERROR (code = 40007): too many ids, the limit is 1000");
    this.deletions.push(ids.length);
    for (const id of ids) this.vectors.delete(id);
    return { mutationId: crypto.randomUUID() };
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot / ((Math.hypot(...a) || 1) * (Math.hypot(...b) || 1));
}
