// The Worker that `npm run bench` runs: the real service, plus the floor it is
// measured against (a bare Hono route, a bare Durable Object RPC that inserts
// one row and reads three) and bench-only helpers that fill the knowledge base.
// It is never deployed.
import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";
import {
  completeReply,
  DONE_EVENT,
  openingChunk,
  sseEvent,
  streamedReply,
  textChunk,
  usageChunk,
  usageOf,
} from "../rehearsal/model-replies";
import service, { KnowledgeBase as ServiceKnowledgeBase, SessionObject as ServiceSessionObject } from "../src/index";
import { currentChunks } from "../src/knowledge/chunk-rows";
import { CHUNK_SIZE } from "../src/knowledge/chunking";
import { ingestDocument } from "../src/knowledge/document-ingest";
import { knowledgeBase } from "../src/knowledge/knowledge-base";
import type { AskInput } from "../src/session/session-object";
import { sha256Hex } from "../src/sha256";

export { InsightsObject, SessionIndexShard } from "../src/index";

type BenchEnv = Env & { FLOOR: DurableObjectNamespace<FloorObject> };

// The bench's knowledge base: the service's, with the repeat methods below.
function benchKnowledgeBase(env: BenchEnv) {
  return (env.KNOWLEDGE_BASE as unknown as DurableObjectNamespace<KnowledgeBase>).getByName("main");
}

const ANSWER_TOKENS = 20;
const PACED_TOKEN_MS = 20;
// A mark that is no search term, so the question stays as relevant as without it.
const PACED = "⏱";

/**
 * Stands in for the Workers AI binding: a chat model that answers
 * ANSWER_TOKENS tokens instantly, or one every PACED_TOKEN_MS when the
 * question contains "⏱" (a mark that is no search term, so the question stays
 * as relevant as without it), in the documented shapes of the rehearsal's
 * stand-in (rehearsal/model-replies.ts): a chat completion when not streamed;
 * streamed, "mixed" chunks, a usage chunk and [DONE]. An instant answer
 * arrives as one chunk of events, as a finished reply does over the network;
 * a paced one arrives a token per chunk. Each token carries its emission
 * time, so the bench can measure what the service adds per token. It runs
 * inside the session object, as the real model's work runs outside the
 * service: the figures count the service's own work, not a hop to the fake.
 */
export const fakeModel = {
  async run(model: string, inputs: { messages?: Array<{ content: string }>; stream?: boolean }) {
    const last = inputs.messages?.at(-1)?.content ?? "";
    if (!inputs.stream) {
      const rewritten = last.split("Pertanyaan terakhir: ").at(-1) ?? last;
      return completeReply("chat-completion", model, rewritten, usageOf(last, [rewritten]));
    }
    if (last.includes(PACED)) return pacedAnswer();
    const tokens = Array.from({ length: ANSWER_TOKENS }, modelToken);
    return new Response(streamedReply(SHAPE, BENCH_MODEL, tokens)).body;
  },
};

const BENCH_MODEL = "@cf/aisingapore/gemma-sea-lion-v4-27b-it";
const SHAPE = "mixed";
const modelToken = () => `t${Date.now()} `;

function pacedAnswer(): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const opening = openingChunk(SHAPE, BENCH_MODEL);
      if (opening) controller.enqueue(encoder.encode(sseEvent(opening)));
      for (let i = 0; i < ANSWER_TOKENS; i++) {
        await new Promise((resolve) => setTimeout(resolve, PACED_TOKEN_MS));
        controller.enqueue(encoder.encode(sseEvent(textChunk(SHAPE, BENCH_MODEL, modelToken()))));
      }
      controller.enqueue(encoder.encode(sseEvent(usageChunk(SHAPE, usageOf("", [])))));
      controller.enqueue(encoder.encode(DONE_EVENT));
      controller.close();
    },
  });
}

// The service sees the fake model as its AI binding. One env object per
// runtime env, so the service's per-env caches (settings) keep working.
const withModel = new WeakMap<object, BenchEnv>();
function serviceEnv(env: BenchEnv): BenchEnv {
  let wrapped = withModel.get(env);
  if (!wrapped) {
    wrapped = { ...env, AI: fakeModel as unknown as Ai };
    withModel.set(env, wrapped);
  }
  return wrapped;
}

/**
 * The service's session object, answering with the fake model. It can also
 * answer one question while counting the SQLite rows the answer reads: what
 * the answer loads into the object's memory from its storage.
 */
export class SessionObject extends ServiceSessionObject {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, serviceEnv(env));
  }

  async rowsReadToAnswer(input: AskInput): Promise<number> {
    const sql = this.ctx.storage.sql;
    const exec = sql.exec;
    const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
    sql.exec = ((query: string, ...bindings: unknown[]) => {
      const cursor = exec.call(sql, query, ...bindings);
      cursors.push(cursor);
      return cursor;
    }) as typeof sql.exec;
    try {
      const outcome = await this.ask(input);
      if (!outcome || "failure" in outcome) throw new Error("the counted answer failed");
    } finally {
      sql.exec = exec;
    }
    // A cursor's count is final once it has been read, which the answer did.
    return cursors.reduce((sum, cursor) => sum + cursor.rowsRead, 0);
  }
}

/**
 * The service's knowledge base, able to repeat its own work inside itself,
 * so the bench can tell what one search, or one current-chunk check of a
 * hybrid search, costs the object apart from the RPC that brings it.
 */
export class KnowledgeBase extends ServiceKnowledgeBase {
  /** Runs `runs` keyword searches for `topK` results, a new query each. */
  async searchRepeatedly(queries: QueryKind, topK: number, runs: number): Promise<number> {
    let found = 0;
    for (let i = 0; i < runs; i++) {
      found += (await this.search({ text: benchQuery(queries, i), topK, filenameFilter: null })).passages.length;
    }
    return found;
  }

  /** Checks `count` dense hits against the stored chunks (as hybridSearch does), `runs` times. */
  async checkRepeatedly(count: number, runs: number): Promise<number> {
    const sql = this.ctx.storage.sql;
    const ids = sql
      .exec<{ chunk_id: string }>("SELECT chunk_id FROM chunks ORDER BY random() LIMIT ?", count)
      .toArray()
      .map((row) => row.chunk_id);
    let found = 0;
    for (let i = 0; i < runs; i++) found += currentChunks(sql, ids).size;
    return found;
  }
}

// The service's Env types the namespace with the service's class.
function benchSessions(env: BenchEnv) {
  return env.SESSIONS as unknown as DurableObjectNamespace<SessionObject>;
}

export class FloorObject extends DurableObject<BenchEnv> {
  #sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    this.#sql.exec("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
  }

  /** Stores `text` as rows of `rowChars` characters: the storage floor of ingesting it. */
  store(text: string, rowChars: number): number {
    let rows = 0;
    for (let at = 0; at < text.length; at += rowChars, rows++) {
      this.#sql.exec("INSERT INTO rows (text) VALUES (?)", text.slice(at, at + rowChars));
    }
    return rows;
  }

  insertAndRead(text: string): string[] {
    this.#sql.exec("INSERT INTO rows (text) VALUES (?)", text);
    return this.#sql
      .exec<{ text: string }>("SELECT text FROM rows ORDER BY id DESC LIMIT 3")
      .toArray()
      .map((row) => row.text);
  }
}

const bench = new Hono<{ Bindings: BenchEnv }>()
  .get("/__floor/hono", (c) => c.json({ ok: true }))
  .post("/__floor/do", async (c) => {
    const { key, text } = await c.req.json<{ key: string; text: string }>();
    return c.json({ rows: await c.env.FLOOR.getByName(key).insertAndRead(text) });
  })
  // The fake model's paced answer passed straight through a bare Worker: what
  // the runtime and localhost alone add to each token.
  .post("/__floor/stream", () => new Response(pacedAnswer(), { headers: { "content-type": "text/event-stream" } }))
  // Server-side times of the floor RPC, the baseline of the server-side figures.
  .post("/__bench/floor-rpc", async (c) => {
    const { runs } = await c.req.json<{ runs: number }>();
    const floor = c.env.FLOOR.getByName("server-side");
    return c.json({ times: await timeRuns(runs, () => floor.insertAndRead("baris")) });
  })
  // The rows of its session's storage that answering this question reads.
  .post("/__bench/rows-read", async (c) => {
    const { session_id, question } = await c.req.json<{ session_id: string; question: string }>();
    const input = { session_id, create: false, question, top_k: 3, filename_filter: null };
    return c.json({ rows: await benchSessions(c.env).getByName(session_id).rowsReadToAnswer(input) });
  })
  // Adds `count` synthetic documents of `paragraphs` paragraphs to the shared knowledge base.
  .post("/__bench/documents", async (c) => {
    const { prefix, count, paragraphs } = await c.req.json<{ prefix: string; count: number; paragraphs: number }>();
    const kb = knowledgeBase(c.env);
    let chunks = 0;
    for (let i = 0; i < count; i++) {
      const text = syntheticDocument(`${prefix}-${i}`, paragraphs);
      chunks += (await ingestDocument(kb, await textDocument(`${prefix}-${i}.md`, text))).chunks;
    }
    return c.json({ chunks, ...(await kb.stats()) });
  })
  // Server-side times of keyword searches, each of a new query.
  .post("/__bench/search", async (c) => {
    const { query, runs } = await c.req.json<{ query: string; runs: number }>();
    const kb = knowledgeBase(c.env);
    return c.json({
      times: await timeRuns(runs, (i) => kb.search({ text: `${query} ${i}`, topK: 5, filenameFilter: null })),
    });
  })
  // Wall time of `runs` repetitions of a search or of a current-chunk check
  // inside the knowledge base, in one RPC: the object's own cost per call.
  .post("/__bench/kb-repeat", async (c) => {
    const { work, runs, topK, queries } = await c.req.json<{
      work: "search" | "check";
      runs: number;
      topK: number;
      queries: QueryKind;
    }>();
    const kb = benchKnowledgeBase(c.env);
    const started = performance.now();
    if (work === "search") await kb.searchRepeatedly(queries, topK, runs);
    else await kb.checkRepeatedly(topK, runs);
    return c.json({ ms: performance.now() - started });
  })
  // `total` keyword searches sent to the knowledge base, `concurrency` at a
  // time: how many it answers per second when each arrives by RPC, as a
  // question's search does.
  .post("/__bench/kb-throughput", async (c) => {
    const { total, concurrency, queries } = await c.req.json<{
      total: number;
      concurrency: number;
      queries: QueryKind;
    }>();
    const kb = knowledgeBase(c.env);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < total; i = next++) {
          await kb.search({ text: benchQuery(queries, i), topK: 6, filenameFilter: null });
        }
      }),
    );
    return c.json({ ms: performance.now() - started });
  })
  // Server-side ingestion time of one text document of `bytes` bytes, and the
  // time a bare object takes to store the same text in rows of a chunk's size.
  .post("/__bench/ingest", async (c) => {
    const { filename, bytes } = await c.req.json<{ filename: string; bytes: number }>();
    const text = syntheticText(bytes);
    let started = performance.now();
    const document = await textDocument(filename, text);
    const result = await ingestDocument(knowledgeBase(c.env), document);
    const ms = performance.now() - started;
    started = performance.now();
    await c.env.FLOOR.getByName("ingest").store(text, CHUNK_SIZE);
    const floorMs = performance.now() - started;
    return c.json({ ms, floorMs, chunks: result.chunks, bytes: text.length });
  });

/** Times `runs` sequential calls inside the Worker, so the figures exclude HTTP. */
async function timeRuns(runs: number, call: (run: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await call(i);
    times.push(performance.now() - started);
  }
  return times;
}

const TOPICS = ["biaya", "asrama", "beasiswa", "pendaftaran", "kuliah", "wisuda", "perpustakaan", "laboratorium"];

/**
 * Questions for the knowledge-base benches: "topical" ones name two of the
 * synthetic documents' eight topics (each in about an eighth of the chunks);
 * "common" ones add words every chunk has, so every chunk matches and is
 * ranked, the worst case for BM25.
 */
type QueryKind = "topical" | "common";
function benchQuery(kind: QueryKind, i: number): string {
  const topics = `${TOPICS[i % TOPICS.length]} ${TOPICS[(i * 3 + 1) % TOPICS.length]}`;
  return kind === "common" ? `ketentuan mahasiswa ${topics}` : topics;
}

async function textDocument(filename: string, text: string) {
  const bytes = new TextEncoder().encode(text);
  return { filename, text, size: bytes.byteLength, fileHash: await sha256Hex(bytes) };
}

function syntheticDocument(name: string, paragraphs: number): string {
  const parts = [`# Dokumen ${name}`];
  for (let p = 0; p < paragraphs; p++) {
    const topic = TOPICS[(name.length + p) % TOPICS.length];
    parts.push(
      Array.from(
        { length: 8 },
        (_, s) => `Ketentuan ${topic} nomor ${p}-${s} pada ${name} berlaku bagi mahasiswa program sarjana dan diploma.`,
      ).join(" "),
    );
  }
  return parts.join("\n\n");
}

function syntheticText(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let p = 0; length < bytes; p++) {
    const paragraph = syntheticDocument(`ingest-${p}`, 1);
    parts.push(paragraph);
    length += paragraph.length + 2;
  }
  return parts.join("\n\n").slice(0, bytes);
}

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/__")) return bench.fetch(request, env, ctx);
    return service.fetch(request, serviceEnv(env), ctx);
  },
} satisfies ExportedHandler<BenchEnv>;
