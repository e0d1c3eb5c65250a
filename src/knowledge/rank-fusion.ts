// Reciprocal rank fusion: merges ranked lists (dense and keyword results) by
// rank alone, so scores on different scales never have to be compared.
import type { Passage } from "./retriever";

const RRF_K = 60;

export function reciprocalRankFusion(lists: ReadonlyArray<readonly Passage[]>, k = RRF_K): Passage[] {
  const fused = new Map<string, Passage>();
  for (const list of lists) {
    for (const [rank, passage] of list.entries()) {
      const contribution = 1 / (k + rank + 1);
      const seen = fused.get(passage.chunk_id);
      fused.set(passage.chunk_id, { ...(seen ?? passage), score: (seen?.score ?? 0) + contribution });
    }
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score)
    .map((passage) => ({ ...passage, score: Math.round(passage.score * 1e6) / 1e6 }));
}
