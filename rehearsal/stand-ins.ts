// The Worker that `npm run dev:production` runs beside the service: the
// Workers AI and Vectorize stand-ins, reached from the service's `AI` and
// `VECTORIZE` bindings as service bindings to these entrypoints, by RPC (a
// streamed reply travels as a byte stream). The index lives in this isolate's
// memory for as long as the rehearsal runs, like the rest of its state.
import { WorkerEntrypoint } from "cloudflare:workers";
import { VectorizeStandIn } from "./vectorize";
import { type RunOptions, WorkersAiStandIn } from "./workers-ai";

const model = new WorkersAiStandIn();
// As `npm run setup:vectorize` creates it; mutations take a few seconds, as documented.
const index = new VectorizeStandIn({ metadataIndexes: ["file_key"], mutationDelayMs: 2000 });

export class WorkersAi extends WorkerEntrypoint {
  run(name: string, inputs: unknown, options?: RunOptions): Promise<unknown> {
    return model.run(name, inputs, options);
  }
}

export class VectorizeIndex extends WorkerEntrypoint {
  describe() {
    return index.describe();
  }
  query(vector: number[], options?: VectorizeQueryOptions) {
    return index.query(vector, options);
  }
  upsert(vectors: VectorizeVector[]) {
    return index.upsert(vectors);
  }
  insert(vectors: VectorizeVector[]) {
    return index.insert(vectors);
  }
  deleteByIds(ids: string[]) {
    return index.deleteByIds(ids);
  }
  getByIds(ids: string[]) {
    return index.getByIds(ids);
  }
}

export default {
  fetch: () => new Response("Workers AI and Vectorize stand-ins; reach them through service bindings", { status: 404 }),
} satisfies ExportedHandler;
