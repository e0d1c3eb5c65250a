#!/usr/bin/env node
// `npm run bench:sessions`: many users at once against the service as
// `npm run dev` runs it (wrangler.toml, embedded mode). 1,000 sessions ask 3
// questions each from 50 concurrent clients; then every history is read back.
// Passes only with zero 5xx, zero lost or duplicated exchanges and zero
// cross-session leakage. Talks only to localhost and stops itself after
// DEADLINE_MS. SESSIONS, QUESTIONS and CLIENTS override the sizes.
import { withLocalServer } from "../scripts/local-server.ts";
import { percentile } from "./percentile.ts";

const SESSIONS = Number(process.env.SESSIONS ?? 1000);
const QUESTIONS = Number(process.env.QUESTIONS ?? 3);
const CLIENTS = Number(process.env.CLIENTS ?? 50);
const DEADLINE_MS = 10 * 60 * 1000;

const TOPICS = [
  "biaya kuliah",
  "beasiswa prestasi",
  "jadwal PMB",
  "biaya asrama",
  "syarat pendaftaran",
  "cuti akademik",
];

type History = { total_exchanges: number; history: Array<{ question: string; complete: boolean }> };

const latencies: number[] = [];
const statuses = new Map<number, number>();
let base = "";

// Each session's questions carry its own marker, so any question seen in
// another session's history is leakage, and a missing or repeated one is loss
// or duplication.
const questionOf = (session: number, turn: number) =>
  `[s${session}q${turn}] ${turn === 0 ? "Apa" : "Jelaskan lebih detail tentang"} ${TOPICS[session % TOPICS.length]}?`;

async function request(path: string, user: number, body?: unknown): Promise<Response> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    // Each simulated user has an address of their own, as real users would; the
    // service limits new sessions per address.
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.0.${user >> 8}.${user & 255}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  latencies.push(performance.now() - started);
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  return res;
}

async function converse(session: number): Promise<string | null> {
  let sessionId: string | null = null;
  for (let turn = 0; turn < QUESTIONS; turn++) {
    const res = await request("/ask", session, { question: questionOf(session, turn), session_id: sessionId });
    const body = (await res.json()) as { session_id?: string };
    if (!res.ok) return sessionId;
    sessionId = body.session_id ?? null;
  }
  return sessionId;
}

async function run(): Promise<boolean> {
  const sessionIds = new Array<string | null>(SESSIONS).fill(null);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let session = next++; session < SESSIONS; session = next++) {
        sessionIds[session] = await converse(session);
      }
    }),
  );
  const askSeconds = (performance.now() - started) / 1000;

  let lost = 0;
  let duplicated = 0;
  let leaked = 0;
  let missingSessions = 0;
  let miscounted = 0;
  let disordered = 0;
  next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let session = next++; session < SESSIONS; session = next++) {
        const sessionId = sessionIds[session];
        if (!sessionId) {
          missingSessions += 1;
          continue;
        }
        const res = await request(`/conversation/history/${sessionId}`, session);
        if (!res.ok) {
          missingSessions += 1;
          continue;
        }
        const { history, total_exchanges } = (await res.json()) as History;
        const asked = history.map((entry) => entry.question);
        for (let turn = 0; turn < QUESTIONS; turn++) {
          const count = asked.filter((question) => question === questionOf(session, turn)).length;
          if (count === 0) lost += 1;
          if (count > 1) duplicated += count - 1;
        }
        leaked += asked.filter((question) => !question.startsWith(`[s${session}q`)).length;
        if (total_exchanges !== QUESTIONS) miscounted += 1;
        const expected = Array.from({ length: QUESTIONS }, (_, turn) => questionOf(session, turn));
        if (asked.join("\n") !== expected.join("\n")) disordered += 1;
      }
    }),
  );

  const serverErrors = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
  const figures: Array<[string, string | number]> = [
    ["sessions × questions, clients", `${SESSIONS} × ${QUESTIONS}, ${CLIENTS}`],
    ["questions answered per second", ((SESSIONS * QUESTIONS) / askSeconds).toFixed(0)],
    [
      "/ask latency p50 / p99 (ms)",
      `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)}`,
    ],
    [
      "responses by status",
      [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}: ${n}`)
        .join(", "),
    ],
    ["5xx responses", serverErrors],
    ["sessions missing", missingSessions],
    ["exchanges lost", lost],
    ["exchanges duplicated", duplicated],
    ["questions in another session's history", leaked],
    ["histories with a wrong total", miscounted],
    ["histories not exactly their own questions, in order", disordered],
  ];
  const width = Math.max(...figures.map(([name]) => name.length));
  for (const [name, value] of figures) console.log(`${name.padEnd(width)}  ${value}`);
  return serverErrors + missingSessions + lost + duplicated + leaked + miscounted + disordered === 0;
}

const passed = await withLocalServer(
  { name: "sessions-under-pressure", deadlineMs: DEADLINE_MS, devtools: false },
  (url) => {
    base = url;
    return run();
  },
);
console.log(passed ? "\nAll sessions intact." : "\nFAILED: see the figures above.");
process.exit(passed ? 0 : 1);
