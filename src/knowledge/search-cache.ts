// Recent retrieval results, shared by everything an isolate answers. Students
// ask the same few questions, and every search is a round trip to the one
// knowledge-base object (in production, also an embedding and a Vectorize
// query): a popular question is searched once per isolate and period, and
// identical questions arriving together share one search.
//
// The knowledge base forgets every result in its own isolate the moment its
// documents change, so where it shares the isolate (always, in embedded
// mode) an answer sees an upload at once. Elsewhere a result is reused for at
// most `SEARCH_CACHE_SECONDS`, as new vectors take a few seconds to become
// searchable anyway.
import { LruMap } from "./lru-map";
import type { Retrieval, RetrievalQuery, Retriever } from "./retriever";

const MAX_CACHED_SEARCHES = 128;

type Entry = { retrieval: Promise<Retrieval>; generation: number; expires: number };

// Per knowledge-base binding.
const caches = new WeakMap<object, LruMap<string, Entry>>();
// Counts the changes to the knowledge base seen in this isolate: a result is
// reused only within the generation it was searched in. A search still in
// flight when the documents change is not reused either; its callers asked
// before the change.
let generation = 0;

/** Called by the knowledge base whenever its chunks change. */
export function forgetSearches(): void {
  generation += 1;
}

/**
 * `retriever`, with its results reused for `ttlMs` (not at all for 0) by every
 * caller in this isolate that searches the same `knowledgeBase`.
 */
export function cachedRetriever(retriever: Retriever, ttlMs: number, knowledgeBase: object): Retriever {
  if (ttlMs <= 0) return retriever;
  const cache = caches.get(knowledgeBase) ?? cacheFor(knowledgeBase);
  return {
    name: retriever.name,
    retrieve(query: RetrievalQuery) {
      const key = JSON.stringify([retriever.name, query.text, query.topK, query.filenameFilter]);
      const now = Date.now();
      const cached = cache.get(key);
      if (cached && cached.generation === generation && now < cached.expires) return cached.retrieval;
      // Frozen: every session that reuses a result reads the same objects.
      const retrieval = retriever.retrieve(query).then(({ passages, reading }) =>
        Object.freeze({
          passages: Object.freeze(passages.map((passage) => Object.freeze(passage))),
          reading: Object.freeze(reading),
        }),
      );
      const entry = { retrieval, generation, expires: now + ttlMs };
      cache.set(key, entry);
      // A failed search is not remembered; the next question tries again.
      retrieval.catch(() => {
        if (cache.get(key) === entry) cache.delete(key);
      });
      return retrieval;
    },
  };
}

function cacheFor(knowledgeBase: object): LruMap<string, Entry> {
  const cache = new LruMap<string, Entry>(MAX_CACHED_SEARCHES);
  caches.set(knowledgeBase, cache);
  return cache;
}
