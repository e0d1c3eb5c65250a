#!/usr/bin/env node
// `npm run bench:knowledge-base`: what the one knowledge-base object can
// serve. Session objects scale out, one per conversation; every question's
// search goes to this single object. Fills it with ~10,000 chunks, then
// measures, on the bench's Worker (bench/wrangler.bench.toml, no inspector):
// - the object's own cost of one keyword search (FTS5, BM25, the 6 candidates
//   a hybrid search asks for), and of the current-chunk check a hybrid search
//   makes of its dense hits (12, at topK 6), each timed as many repetitions
//   inside the object in one RPC, less one repetition, so the RPC is not
//   counted;
// - keyword searches per second when each arrives by RPC from the Worker, as
//   a question's does, 32 at a time: the object's ceiling.
// Searches are of "topical" questions (two topic words, each in an eighth of
// the chunks) and of "common" ones (words every chunk has: all are ranked).
// Talks only to localhost; stops itself after 8 minutes.
import { withLocalServer } from "../scripts/local-server.ts";
import { percentile } from "./percentile.ts";

const REPEATS = 2000;
const THROUGHPUT_SEARCHES = 4000;
const CONCURRENCY = 32;
const CANDIDATES = 12;
const ROUNDS = 3;

type Kind = "topical" | "common";

async function post<T>(base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

await withLocalServer(
  { name: "bench:knowledge-base", deadlineMs: 8 * 60 * 1000, config: "bench/wrangler.bench.toml", devtools: false },
  async (base) => {
    const filling = performance.now();
    for (let batch = 0; batch < 20; batch++) {
      await post(base, "/__bench/documents", { prefix: `skala-${batch}`, count: 50, paragraphs: 10 });
    }
    console.log(`filled in ${((performance.now() - filling) / 1000).toFixed(0)} s`);
    const { total_documents: chunks } = (await (await fetch(`${base}/health`)).json()) as { total_documents: number };
    const perCall = async (work: "search" | "check", topK: number, queries: Kind = "topical") => {
      const costs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const one = await post<{ ms: number }>(base, "/__bench/kb-repeat", { work, runs: 1, topK, queries });
        const many = await post<{ ms: number }>(base, "/__bench/kb-repeat", {
          work,
          runs: REPEATS + 1,
          topK,
          queries,
        });
        costs.push((many.ms - one.ms) / REPEATS);
      }
      return percentile(costs, 50);
    };
    const throughput = async (queries: Kind) => {
      const rates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const { ms } = await post<{ ms: number }>(base, "/__bench/kb-throughput", {
          total: THROUGHPUT_SEARCHES,
          concurrency: CONCURRENCY,
          queries,
        });
        rates.push(THROUGHPUT_SEARCHES / (ms / 1000));
      }
      return rates;
    };
    const checkMs = await perCall("check", CANDIDATES);
    console.log(`knowledge base of ${chunks} chunks`);
    console.log(`current-chunk check of ${CANDIDATES} dense hits        ${(checkMs * 1000).toFixed(0)} µs`);
    for (const queries of ["topical", "common"] as const) {
      const searchMs = await perCall("search", CANDIDATES / 2, queries);
      const rates = await throughput(queries);
      const rate = percentile(rates, 50);
      console.log(`${queries} questions:`);
      console.log(`  keyword search inside the object         ${(searchMs * 1000).toFixed(0)} µs`);
      console.log(`  object time per hybrid search            ${((searchMs + checkMs) * 1000).toFixed(0)} µs`);
      console.log(
        `  keyword searches by RPC, ${CONCURRENCY} at a time    ${rate.toFixed(0)}/s = ${(rate * 60).toFixed(0)}/min (rounds: ${rates.map((r) => r.toFixed(0)).join(", ")})`,
      );
    }
  },
);
