#!/usr/bin/env node
// `npm run bench`: starts the Worker locally in embedded mode (bench/wrangler.bench.toml),
// without the devtools inspector that `wrangler dev` attaches (scripts/serve-worker.ts),
// loads it with autocannon and prints every figure next to the floor measured in the
// same run, as a ratio. Talks only to localhost; exits non-zero if a target is missed.
import { readFile } from "node:fs/promises";
import autocannon from "autocannon";
import { withLocalServer } from "../scripts/local-server.ts";
import { percentile } from "./percentile.ts";

let BASE = "";
const DEADLINE_MS = 9 * 60 * 1000;
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARM_UP_SECONDS = 2;
const LOAD_ROUNDS = 3;
const LIVE_SAMPLES = 300;
// The local runtime evicts a Durable Object 10 s after its last request, and
// evicting thousands of them takes CPU: each live-session state is sampled
// once the objects its setup touched are gone, as idle sessions are.
const SETTLE_MS = 12_000;

type Row = { figure: string; value: string; floor: string; ratio: string; target: string; ok: boolean | null };
const rows: Row[] = [];

function record(figure: string, value: number, unit: string, floor: number | null, target: string, ok: boolean | null) {
  rows.push({
    figure,
    value: `${value.toFixed(unit === "req/s" ? 0 : 2)} ${unit}`,
    floor: floor === null ? "" : `${floor.toFixed(unit === "req/s" ? 0 : 2)} ${unit}`,
    ratio: floor === null || floor === 0 ? "" : `${(value / floor).toFixed(2)}×`,
    target,
    ok,
  });
  console.log(`  ${ok === false ? "✗" : "·"} ${figure}: ${value.toFixed(2)} ${unit}`);
}

async function post(path: string, body: unknown, base = BASE): Promise<Response> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res;
}

async function ask(question: string, sessionId?: string, base = BASE): Promise<string> {
  const res = await post("/ask", { question, session_id: sessionId ?? null }, base);
  return ((await res.json()) as { session_id: string }).session_id;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Times `n` sequential calls of each function, interleaved so drift hits both alike. */
async function paired(n: number, ...calls: Array<() => Promise<unknown>>): Promise<number[][]> {
  const times = calls.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [j, call] of calls.entries()) {
      const started = performance.now();
      const measured = await call();
      // A call that times only part of its work (firstByte) returns that time.
      times[j]?.push(typeof measured === "number" ? measured : performance.now() - started);
    }
  }
  return times;
}

type LoadResult = { p50: number; p99: number; rps: number; errors: number };

/** Each figure's median over the runs; errors are summed. */
function medianRun(runs: LoadResult[]): LoadResult {
  const median = (pick: (run: LoadResult) => number) => percentile(runs.map(pick), 50);
  return {
    p50: median((run) => run.p50),
    p99: median((run) => run.p99),
    rps: median((run) => run.rps),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

async function load(
  path: string,
  method: "GET" | "POST",
  bodies?: () => string,
  connections = 10,
): Promise<LoadResult> {
  // autocannon's own percentiles come from a histogram of whole milliseconds,
  // a step of 8% at the floor's 12 ms; each response's time is kept instead.
  const run = (duration: number) =>
    new Promise<{ result: autocannon.Result; latencies: number[] }>((resolve, reject) => {
      const latencies: number[] = [];
      const instance = autocannon(
        {
          url: `${BASE}${path}`,
          connections,
          duration,
          requests: [
            {
              method,
              headers: { "content-type": "application/json" },
              setupRequest: (request) => (bodies ? { ...request, body: bodies() } : request),
            },
          ],
        },
        (error, result) => (error ? reject(error) : resolve({ result, latencies })),
      );
      instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
  // Unmeasured first: a floor of a few lines is compiled after a handful of
  // requests, the service's longer code path only after many more, and a
  // deployed isolate serves its requests warm.
  await run(WARM_UP_SECONDS);
  const { result, latencies } = await run(LOAD_SECONDS);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

async function firstByte(path: string, body: unknown): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const reader = res.body?.getReader();
  await reader?.read();
  const elapsed = performance.now() - started;
  // Read the rest untimed, so the next sample, like the floor's, meets an idle
  // service rather than the previous answer still being generated.
  while (reader && !(await reader.read()).done);
  return elapsed;
}

/** Arrival minus emission time of each token of one paced streamed answer. */
async function tokenDelays(path: string, body: unknown): Promise<number[]> {
  const res = await post(path, body);
  const delays: number[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const arrived = Date.now();
    for (const match of decoder.decode(chunk, { stream: true }).matchAll(/"(?:token|content)":"t(\d+) "/g)) {
      delays.push(arrived - Number(match[1]));
    }
  }
  if (delays.length === 0) throw new Error(`${path} streamed no tokens`);
  return delays;
}

/** p50 of the times a bench route measured inside the Worker. */
async function serverSideP50(path: string, body: unknown): Promise<number> {
  const { times } = (await (await post(path, body)).json()) as { times: number[] };
  return percentile(times, 50);
}

const floorRpc = () => serverSideP50("/__bench/floor-rpc", { runs: 200 });
const search = () => serverSideP50("/__bench/search", { query: "biaya asrama beasiswa", runs: 200 });

async function rowsReadToAnswer(sessionId: string, question: string): Promise<number> {
  return ((await (await post("/__bench/rows-read", { session_id: sessionId, question })).json()) as { rows: number })
    .rows;
}

async function main() {
  const started = Date.now();
  const server = (name: string) => ({
    name,
    deadlineMs: DEADLINE_MS - (Date.now() - started),
    config: "bench/wrangler.bench.toml",
    devtools: false,
  });
  await withLocalServer(server("bench"), (url) => {
    BASE = url;
    return run();
  });
  await withLocalServer(server("bench (10 sessions)"), (a) =>
    withLocalServer(server("bench (10,000 sessions)"), (b) => liveSessions(a, b)),
  );
  printTable();
  const failed = rows.filter((row) => row.ok === false);
  if (failed.length > 0) {
    console.error(`\n${failed.length} target(s) missed: ${failed.map((row) => row.figure).join("; ")}`);
    process.exit(1);
  }
}

async function run() {
  console.log("floor and /ask under load");
  const honoFloor = await load("/__floor/hono", "GET");
  const sessions = await Promise.all(Array.from({ length: 10 }, () => ask("Apa itu PMB?")));
  let key = 0;
  let turn = 0;
  // Students ask the same few questions, so the load asks one, over and over;
  // each question of the second load is new (its number is a search term too),
  // so nothing about its search can be reused.
  const asking = (question: string) => JSON.stringify({ question, session_id: sessions[turn++ % sessions.length] });
  // Alternated, so the drift of a shared machine hits all alike, and each
  // figure is the median of its rounds.
  const floorRuns: LoadResult[] = [];
  const askRuns: LoadResult[] = [];
  const newRuns: LoadResult[] = [];
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    floorRuns.push(await load("/__floor/do", "POST", () => JSON.stringify({ key: `k${key++ % 10}`, text: "baris" })));
    askRuns.push(await load("/ask", "POST", () => asking("Berapa biaya asrama per bulan?")));
    newRuns.push(await load("/ask", "POST", () => asking(`Berapa biaya asrama per bulan? ${turn}`)));
  }
  const doFloor = medianRun(floorRuns);
  const askLoad = medianRun(askRuns);
  const newLoad = medianRun(newRuns);
  record("floor: bare Hono route p50", honoFloor.p50, "ms", null, "", null);
  record("floor: DO insert+read p50", doFloor.p50, "ms", null, "", null);
  record("floor: DO insert+read", doFloor.rps, "req/s", null, "", null);
  record("/ask JSON p50", askLoad.p50, "ms", doFloor.p50, "≤ 2× floor", askLoad.p50 <= 2 * doFloor.p50);
  record("/ask JSON p99", askLoad.p99, "ms", doFloor.p99, "", null);
  record("/ask JSON throughput", askLoad.rps, "req/s", doFloor.rps, "≥ 0.5× floor", askLoad.rps >= 0.5 * doFloor.rps);
  record("/ask errors", askLoad.errors, "", null, "0", askLoad.errors === 0);
  record("/ask JSON p50, a new question each time", newLoad.p50, "ms", doFloor.p50, "", null);
  record("/ask JSON throughput, a new question each time", newLoad.rps, "req/s", doFloor.rps, "", null);
  record("/ask errors, a new question each time", newLoad.errors, "", null, "0", newLoad.errors === 0);

  const [sse, floorTrip] = await paired(
    100,
    () => firstByte("/ask", { question: "Apa itu PMB?", stream: true, session_id: sessions[0] }),
    () => firstByte("/__floor/do", { key: "first-byte", text: "baris" }),
  );
  const sseP50 = percentile(sse ?? [], 50);
  const tripP50 = percentile(floorTrip ?? [], 50);
  record("first SSE byte p50", sseP50, "ms", tripP50, "≤ 1.2× floor", sseP50 <= 1.2 * tripP50);

  const delays: number[] = [];
  const floorDelays: number[] = [];
  for (let i = 0; i < 10; i++) {
    const question = { question: "Berapa biaya asrama? ⏱", stream: true, session_id: sessions[1] };
    delays.push(...(await tokenDelays("/ask", question)));
    floorDelays.push(...(await tokenDelays("/__floor/stream", {})));
  }
  // Both clocks (the runtime's and this script's) count whole milliseconds.
  const delayP50 = percentile(delays, 50);
  const floorDelayP50 = percentile(floorDelays, 50);
  record("token arrival after emission p50 (20 ms pacing)", delayP50, "ms", floorDelayP50, "≤ 1 ms", delayP50 <= 1);
  record("token arrival after emission p99", percentile(delays, 99), "ms", percentile(floorDelays, 99), "", null);
  // Averaged over hundreds of tokens, whole-millisecond readings resolve a fraction of one.
  const added = mean(delays) - mean(floorDelays);
  record("delay the service adds per token, mean", added, "ms", null, "≤ 1 ms", added <= 1);

  console.log("history length");
  const long = await ask("Apa itu PMB?");
  for (let batch = 0; batch < 50; batch++) {
    await Promise.all(Array.from({ length: 20 }, () => ask("Berapa biaya kuliah?", long)));
  }
  // Each sample at 1 is the second question of a new session.
  const atOneExchange = async () => {
    const fresh = await ask("Apa itu PMB?");
    const started = performance.now();
    await ask("Berapa biaya asrama?", fresh);
    return performance.now() - started;
  };
  const [atOne, atThousand] = await paired(150, atOneExchange, () => ask("Berapa biaya asrama?", long));
  const oneP50 = percentile(atOne ?? [], 50);
  const thousandP50 = percentile(atThousand ?? [], 50);
  record("/ask at 1,000 exchanges p50", thousandP50, "ms", oneP50, "≤ 1.1× at 1", thousandP50 <= 1.1 * oneP50);
  // Memory: the rows an answer loads from the object's storage, with a history
  // past the context window (3) and with 1,000 exchanges. At 1,000 the history
  // is full (MAX_HISTORY), so each answer also deletes its oldest exchange,
  // which reads two rows.
  const ten = await ask("Apa itu PMB?");
  for (let i = 0; i < 9; i++) await ask("Berapa biaya kuliah?", ten);
  const tenRows = await rowsReadToAnswer(ten, "Berapa biaya asrama?");
  const thousandRows = await rowsReadToAnswer(long, "Berapa biaya asrama?");
  record(
    "SQLite rows read per /ask at 1,000 exchanges",
    thousandRows,
    "rows",
    tenRows,
    "≤ at 10 + 2",
    tenRows > 0 && thousandRows <= tenRows + 2,
  );

  console.log("retrieval and ingestion");
  const pdf = await readFile("test/fixtures/panduan-wisuda.pdf");
  let upload = 0;
  const [uploads, uploadFloor] = await paired(
    20,
    async () => {
      const form = new FormData();
      form.append("file", new File([pdf], `panduan-${upload++}.pdf`, { type: "application/pdf" }));
      const res = await fetch(`${BASE}/upload`, { method: "POST", body: form });
      if (!res.ok) throw new Error(`PDF upload answered ${res.status}: ${await res.text()}`);
      await res.text();
    },
    () => post("/__floor/do", { key: "upload", text: "baris" }).then((res) => res.text()),
  );
  record("3-page PDF upload p50", percentile(uploads ?? [], 50), "ms", percentile(uploadFloor ?? [], 50), "", null);
  await post("/__bench/documents", { prefix: "kecil", count: 9, paragraphs: 10 });
  const at100 = await search();
  const floorAt100 = await floorRpc();
  for (let batch = 0; batch < 20; batch++) {
    await post("/__bench/documents", { prefix: `besar-${batch}`, count: 50, paragraphs: 10 });
  }
  const stats = (await (await fetch(`${BASE}/health`)).json()) as { total_documents: number };
  const at10k = await search();
  const floorAt10k = await floorRpc();
  // Server-side times, next to the floor RPC timed the same way.
  record(`retrieval over ~100 chunks p50`, at100, "ms", floorAt100, "", null);
  record(`retrieval over ${stats.total_documents} chunks p50`, at10k, "ms", floorAt10k, "≤ 10 ms", at10k <= 10);
  const ingest = (await (await post("/__bench/ingest", { filename: "ingest.md", bytes: 1_500_000 })).json()) as {
    ms: number;
    floorMs: number;
    bytes: number;
  };
  const mbPerSecond = ingest.bytes / 1_000_000 / (ingest.ms / 1000);
  const floorMbPerSecond = ingest.bytes / 1_000_000 / (ingest.floorMs / 1000);
  record(
    "text ingestion (floor: storing it in 1,000-char rows)",
    mbPerSecond,
    "MB/s",
    floorMbPerSecond,
    "≥ 1 MB/s",
    mbPerSecond >= 1,
  );
}

/**
 * `/ask` and the session listing with 10 and with 10,000 live sessions, on two
 * servers with the same documents whose samples alternate, so the drift of a
 * shared machine hits both states alike. Two processes also differ by a few
 * percent on their own, so both first hold 10 sessions and that ratio is
 * divided out.
 */
async function liveSessions(a: string, b: string) {
  console.log("live sessions");
  const asked = { [a]: await ask("Apa itu PMB?", undefined, a), [b]: await ask("Apa itu PMB?", undefined, b) };
  for (let i = 0; i < 9; i++) await Promise.all([a, b].map((base) => ask("Apa itu PMB?", undefined, base)));
  // Setup leaves a tail of work (index reports, then evictions) to finish first.
  const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const askIn = (base: string) => () => ask("Berapa biaya asrama?", asked[base], base);
  const listIn = (base: string) => () => fetch(`${base}/sessions?limit=50`).then((res) => res.text());
  const sample = async () => {
    const [askA = [], askB = [], listA = [], listB = []] = await paired(
      LIVE_SAMPLES,
      askIn(a),
      askIn(b),
      listIn(a),
      listIn(b),
    );
    return {
      askA: percentile(askA, 50),
      askB: percentile(askB, 50),
      listA: percentile(listA, 50),
      listB: percentile(listB, 50),
    };
  };
  await settle();
  const both10 = await sample();
  const created = await autocannon({
    url: `${b}/ask`,
    connections: 50,
    amount: 10_000 - 10,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: "Apa itu PMB?" }),
      },
    ],
  });
  if (created.non2xx + created.errors > 0) throw new Error("creating 10,000 sessions failed");
  await settle();
  const b10k = await sample();
  for (const [figure, few, many, calibration] of [
    ["/ask", b10k.askA, b10k.askB, both10.askB / both10.askA],
    ["GET /sessions?limit=50", b10k.listA, b10k.listB, both10.listB / both10.listA],
  ] as const) {
    record(`${figure}: second server / first, both with 10 sessions`, calibration, "×", null, "", null);
    const manyP50 = many / calibration;
    record(
      `${figure} with 10,000 sessions p50 (calibrated)`,
      manyP50,
      "ms",
      few,
      "≤ 1.1× with 10",
      manyP50 <= 1.1 * few,
    );
  }
}

function printTable() {
  const header: Row = {
    figure: "figure",
    value: "value",
    floor: "floor/baseline",
    ratio: "ratio",
    target: "target",
    ok: null,
  };
  const all = [header, ...rows];
  const widths = (["figure", "value", "floor", "ratio", "target"] as const).map((key) =>
    Math.max(...all.map((row) => String(row[key]).length)),
  );
  console.log("");
  for (const row of all) {
    const cells = (["figure", "value", "floor", "ratio", "target"] as const).map((key, i) =>
      String(row[key]).padEnd(widths[i] ?? 0),
    );
    const verdict = row === header ? "" : row.ok === null ? "" : row.ok ? "✅" : "❌";
    console.log(`${cells.join("  ")}  ${verdict}`);
  }
}

await main();
