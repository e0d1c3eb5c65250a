import { expect, it } from "vitest";
import { reciprocalRankFusion } from "../src/knowledge/rank-fusion";

const passage = (chunk_id: string, score: number) => ({
  chunk_id,
  filename: `${chunk_id}.md`,
  content: chunk_id,
  score,
});

it("ranks by reciprocal rank across lists, favouring chunks both lists agree on", () => {
  const dense = [passage("a", 0.91), passage("b", 0.88), passage("c", 0.5)];
  const keyword = [passage("c", 12.1), passage("a", 9.3), passage("d", 2)];
  const fused = reciprocalRankFusion([dense, keyword]);
  expect(fused.map((p) => p.chunk_id)).toEqual(["a", "c", "b", "d"]);
  expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 62, 6);
  expect(fused[1]?.score).toBeCloseTo(1 / 63 + 1 / 61, 6);
  expect(fused[3]?.score).toBeCloseTo(1 / 63, 6);
});
