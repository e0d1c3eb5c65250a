// A stand-in for a Vectorize index binding (`env.VECTORIZE`), which has no
// local simulator. It follows Cloudflare's documents, not this service's code:
// - https://developers.cloudflare.com/vectorize/platform/limits/: vector ids
//   at most 64 bytes, metadata at most 10 KiB per vector, at most 1000 vectors
//   per upsert from a Worker, `topK` at most 100, and at most 20 when values
//   or all metadata are returned; the index's dimensions are fixed;
// - …/vectorize/reference/metadata-filtering/: a filter matches only
//   properties with a metadata index, created before the vectors were
//   upserted; a string property is indexed by its first 64 bytes (cut on a
//   UTF-8 character boundary), so values sharing those bytes are equal to a
//   filter; `$eq`, `$ne`, `$in`, `$nin` and the range operators; a filter's
//   JSON must be under 2048 bytes;
// - …/vectorize/reference/client-api/: upserts and deletions return a
//   mutation id and take effect "a few seconds" later (`mutationDelayMs`);
//   `returnMetadata` is "none" (the default), "indexed" or "all"; `describe()`
//   reports the configured dimensions and distance metric.
// Errors carry the message style of the binding's (`VECTOR_QUERY_ERROR (code
// = 40025): …`); the codes themselves are not documented, so tests match on
// the words.

type Metadata = Record<string, VectorizeVectorMetadata>;
type Stored = { id: string; values: number[]; norm: number; metadata: Metadata; indexed: ReadonlySet<string> };
type Mutation = { visibleAt: number; apply: () => void };

export type VectorizeStandInOptions = {
  name?: string;
  dimensions?: number;
  metric?: VectorizeDistanceMetric;
  /** String, number or boolean properties with a metadata index (`wrangler vectorize create-metadata-index`). */
  metadataIndexes?: string[];
  /** How long an upsert or deletion takes to become visible to queries and reads. */
  mutationDelayMs?: number;
  now?: () => number;
};

const MAX_ID_BYTES = 64;
const MAX_METADATA_BYTES = 10 * 1024;
const MAX_VECTORS_PER_UPSERT = 1000;
const MAX_TOP_K = 100;
const MAX_TOP_K_WITH_DETAIL = 20;
const INDEXED_STRING_BYTES = 64;
const MAX_FILTER_BYTES = 2048;

const encoder = new TextEncoder();

export class VectorizeStandIn {
  readonly #vectors = new Map<string, Stored>();
  readonly #pending: Mutation[] = [];
  readonly #indexes: Set<string>;
  readonly #name: string;
  readonly #dimensions: number;
  readonly #metric: VectorizeDistanceMetric;
  readonly #delayMs: number;
  readonly #now: () => number;

  constructor(options: VectorizeStandInOptions = {}) {
    this.#name = options.name ?? "tanya-mail-chunks";
    this.#dimensions = options.dimensions ?? 1024;
    this.#metric = options.metric ?? "cosine";
    this.#indexes = new Set(options.metadataIndexes ?? []);
    this.#delayMs = options.mutationDelayMs ?? 0;
    this.#now = options.now ?? Date.now;
  }

  /** As `wrangler vectorize create-metadata-index`: only vectors upserted from now on are filterable by it. */
  createMetadataIndex(property: string): void {
    this.#indexes.add(property);
  }

  async describe(): Promise<VectorizeIndexDetails> {
    this.#settle();
    return {
      id: `stand-in-${this.#name}`,
      name: this.#name,
      config: { dimensions: this.#dimensions, metric: this.#metric },
      vectorsCount: this.#vectors.size,
    };
  }

  async upsert(vectors: VectorizeVector[]): Promise<VectorizeAsyncMutation> {
    if (vectors.length > MAX_VECTORS_PER_UPSERT) {
      throw new Error(`VECTOR_UPSERT_ERROR (code = 40007): too many vectors, the limit is ${MAX_VECTORS_PER_UPSERT}`);
    }
    const stored = vectors.map((vector) => this.#checked(vector));
    return this.#mutate(() => {
      for (const vector of stored) this.#vectors.set(vector.id, vector);
    });
  }

  async insert(vectors: VectorizeVector[]): Promise<VectorizeAsyncMutation> {
    const fresh = vectors.filter((vector) => !this.#vectors.has(vector.id));
    return this.upsert(fresh);
  }

  async deleteByIds(ids: string[]): Promise<VectorizeAsyncMutation> {
    for (const id of ids) checkId(id, "VECTOR_DELETE_ERROR");
    return this.#mutate(() => {
      for (const id of ids) this.#vectors.delete(id);
    });
  }

  async getByIds(ids: string[]): Promise<VectorizeVector[]> {
    this.#settle();
    return ids.flatMap((id) => {
      const stored = this.#vectors.get(id);
      return stored ? [{ id, values: [...stored.values], metadata: structuredClone(stored.metadata) }] : [];
    });
  }

  async query(vector: VectorFloatArray | number[], options: VectorizeQueryOptions = {}): Promise<VectorizeMatches> {
    this.#settle();
    const topK = options.topK ?? 5;
    const detail = options.returnValues === true || options.returnMetadata === "all" || options.returnMetadata === true;
    if (!Number.isInteger(topK) || topK < 1 || topK > (detail ? MAX_TOP_K_WITH_DETAIL : MAX_TOP_K)) {
      throw new Error(
        `VECTOR_QUERY_ERROR (code = 40025): topK must be between 1 and ${detail ? `${MAX_TOP_K_WITH_DETAIL} when returning values or all metadata` : MAX_TOP_K}`,
      );
    }
    if (vector.length !== this.#dimensions) {
      throw new Error(
        `VECTOR_QUERY_ERROR (code = 40012): query vector has ${vector.length} dimensions, the index ${this.#dimensions}`,
      );
    }
    const filter = options.filter;
    if (filter !== undefined) checkFilter(filter);
    const query = [...vector];
    const queryNorm = Math.hypot(...query);
    const matches = [...this.#vectors.values()]
      .filter((stored) => filter === undefined || matchesFilter(stored, filter))
      .map((stored) => ({ stored, score: score(this.#metric, query, queryNorm, stored) }))
      .sort((a, b) => (this.#metric === "euclidean" ? a.score - b.score : b.score - a.score))
      .slice(0, topK)
      .map(({ stored, score }): VectorizeMatch => {
        const match: VectorizeMatch = { id: stored.id, score };
        if (options.returnValues) match.values = [...stored.values];
        const metadata = returnedMetadata(stored, options.returnMetadata ?? "none");
        if (metadata) match.metadata = metadata;
        return match;
      });
    return { matches, count: matches.length };
  }

  #checked(vector: VectorizeVector): Stored {
    checkId(vector.id, "VECTOR_UPSERT_ERROR");
    const values = [...vector.values];
    if (values.length !== this.#dimensions || values.some((value) => !Number.isFinite(value))) {
      throw new Error(
        `VECTOR_UPSERT_ERROR (code = 40012): vector ${vector.id} has ${values.length} dimensions, the index ${this.#dimensions}`,
      );
    }
    const metadata = structuredClone(vector.metadata ?? {});
    const bytes = encoder.encode(JSON.stringify(metadata)).byteLength;
    if (bytes > MAX_METADATA_BYTES) {
      throw new Error(
        `VECTOR_UPSERT_ERROR (code = 40014): metadata of ${vector.id} is ${bytes} bytes, the limit is ${MAX_METADATA_BYTES}`,
      );
    }
    // A metadata index covers the vectors upserted after it was created.
    return { id: vector.id, values, norm: Math.hypot(...values), metadata, indexed: new Set(this.#indexes) };
  }

  #mutate(apply: () => void): VectorizeAsyncMutation {
    this.#pending.push({ visibleAt: this.#now() + this.#delayMs, apply });
    this.#settle();
    return { mutationId: crypto.randomUUID() };
  }

  // Mutations become visible in the order they were made, once their time has come.
  #settle(): void {
    const now = this.#now();
    while (this.#pending.length > 0 && (this.#pending[0]?.visibleAt ?? Number.POSITIVE_INFINITY) <= now) {
      this.#pending.shift()?.apply();
    }
  }
}

function checkId(id: unknown, error: string): void {
  if (typeof id !== "string" || id.length === 0 || encoder.encode(id).byteLength > MAX_ID_BYTES) {
    throw new Error(`${error} (code = 40005): vector id must be 1 to ${MAX_ID_BYTES} bytes`);
  }
}

function checkFilter(filter: VectorizeVectorMetadataFilter): void {
  const keys = Object.keys(filter);
  if (keys.length === 0 || encoder.encode(JSON.stringify(filter)).byteLength >= MAX_FILTER_BYTES) {
    throw new Error(
      `VECTOR_QUERY_ERROR (code = 40026): filter must be a non-empty object under ${MAX_FILTER_BYTES} bytes`,
    );
  }
  for (const key of keys) {
    if (key.length === 0 || key.length > 512 || key.startsWith("$") || /["|.]/.test(key)) {
      throw new Error(`VECTOR_QUERY_ERROR (code = 40026): invalid filter key ${JSON.stringify(key)}`);
    }
  }
}

type Scalar = string | number | boolean | null;

// What a metadata index holds of a value: strings only their first 64 bytes.
function indexedValue(value: unknown): Scalar | undefined {
  if (typeof value === "string") return truncateUtf8(value, INDEXED_STRING_BYTES);
  if (typeof value === "number" || typeof value === "boolean") return value;
  return undefined;
}

function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = encoder.encode(char).byteLength;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

function matchesFilter(stored: Stored, filter: VectorizeVectorMetadataFilter): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    // Unindexed, the property cannot be filtered on: the vector is not found.
    if (!stored.indexed.has(key)) return false;
    const value = indexedValue(stored.metadata[key]);
    if (condition === null || typeof condition !== "object") return value === indexedValue(condition);
    return Object.entries(condition).every(([op, operand]) => compare(op, value, operand));
  });
}

function compare(op: string, value: Scalar | undefined, operand: unknown): boolean {
  if (op === "$in" || op === "$nin") {
    const found = Array.isArray(operand) && operand.some((item) => indexedValue(item) === value);
    return op === "$in" ? found : !found;
  }
  const other = indexedValue(operand);
  switch (op) {
    case "$eq":
      return value === other;
    case "$ne":
      return value !== other;
  }
  if (value === undefined || value === null || other === undefined || other === null) return false;
  switch (op) {
    case "$lt":
      return value < other;
    case "$lte":
      return value <= other;
    case "$gt":
      return value > other;
    case "$gte":
      return value >= other;
  }
  throw new Error(`VECTOR_QUERY_ERROR (code = 40026): unsupported filter operator ${op}`);
}

function returnedMetadata(stored: Stored, level: VectorizeQueryOptions["returnMetadata"]): Metadata | null {
  if (level === "all" || level === true) return structuredClone(stored.metadata);
  if (level !== "indexed") return null;
  const metadata: Metadata = {};
  for (const key of stored.indexed) {
    const value = indexedValue(stored.metadata[key]);
    if (value !== undefined && value !== null) metadata[key] = value;
  }
  return metadata;
}

function score(metric: VectorizeDistanceMetric, query: number[], queryNorm: number, stored: Stored): number {
  let dot = 0;
  let distance = 0;
  for (let i = 0; i < query.length; i++) {
    const x = query[i] ?? 0;
    const y = stored.values[i] ?? 0;
    dot += x * y;
    distance += (x - y) ** 2;
  }
  if (metric === "dot-product") return dot;
  if (metric === "euclidean") return Math.sqrt(distance);
  return dot / ((queryNorm || 1) * (stored.norm || 1));
}
