// The Vectorize stand-in of rehearsal/ (built from Cloudflare's documented
// limits and behaviour; see rehearsal/vectorize.ts), with what tests need on
// top: the calls counted, every id ever written remembered, and failures on
// demand. Mutations are visible at once unless a test asks for the delay.
import { VectorizeStandIn, type VectorizeStandInOptions } from "../rehearsal/vectorize";

export class FakeVectorize extends VectorizeStandIn {
  readonly upserts: number[] = [];
  readonly deletions: number[] = [];
  readonly written = new Set<string>();
  failUpserts = false;
  failDeletes = false;

  constructor(options: VectorizeStandInOptions = {}) {
    super({ metadataIndexes: ["file_key"], ...options });
  }

  override async upsert(vectors: VectorizeVector[]) {
    if (this.failUpserts) throw new Error("VECTOR_UPSERT_ERROR (code = 40008): service unavailable");
    const mutation = await super.upsert(vectors);
    this.upserts.push(vectors.length);
    for (const vector of vectors) this.written.add(vector.id);
    return mutation;
  }

  override async deleteByIds(ids: string[]) {
    if (this.failDeletes) throw new Error("VECTOR_DELETE_ERROR (code = 40008): service unavailable");
    const mutation = await super.deleteByIds(ids);
    this.deletions.push(ids.length);
    return mutation;
  }

  /** How many vectors a query can see now. */
  async count(): Promise<number> {
    return (await this.describe()).vectorsCount;
  }

  /** Empties the index, as recreating it would. */
  async clear(): Promise<void> {
    await super.deleteByIds([...this.written]);
  }
}

/** The stand-in as the service's VECTORIZE binding: it implements the index's methods, as a service binding to it does. */
export function asVectorizeBinding(fake: VectorizeStandIn): VectorizeIndex {
  return fake as unknown as VectorizeIndex;
}
