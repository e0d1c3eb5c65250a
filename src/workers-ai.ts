// Talking to Workers AI: which models the service can call, how their replies
// read, and what to do when Workers AI is busy.
//
// MODEL_NAME and EMBEDDING_MODEL must name a model listed here (a zod enum),
// so every `env.AI.run` is checked by tsc against that model's own generated
// input and output types (`AiModels` in worker-configuration.d.ts). To add a
// model, add its id: tsc then says whether `replyText` and `embeddingsOf`
// still read every reply it documents.
import { z } from "zod";

export const CHAT_MODELS = [
  "@cf/aisingapore/gemma-sea-lion-v4-27b-it",
  "@cf/qwen/qwen3-30b-a3b-fp8",
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
] as const satisfies ReadonlyArray<keyof AiModels>;
export const ChatModel = z.enum(CHAT_MODELS);
export type ChatModel = z.infer<typeof ChatModel>;
export type ChatReply = AiModels[ChatModel]["postProcessedOutputs"];

// The vector index has 1024 dimensions (`npm run setup:vectorize`).
const EMBEDDING_MODELS = ["@cf/baai/bge-m3"] as const satisfies ReadonlyArray<keyof AiModels>;
export const EmbeddingModel = z.enum(EMBEDDING_MODELS);
export type EmbeddingModel = z.infer<typeof EmbeddingModel>;
type EmbeddingReply = AiModels[EmbeddingModel]["postProcessedOutputs"];

/**
 * The text of a non-streamed chat reply: a chat completion's
 * `choices[0].message.content` (or a text completion's `choices[0].text`), or
 * the legacy `{response}`.
 */
export function replyText(reply: ChatReply): string {
  if (typeof reply === "string") return reply;
  if ("choices" in reply) {
    const choice = reply.choices?.[0];
    if (choice && "message" in choice) return choice.message?.content ?? "";
    if (choice && "text" in choice) return choice.text;
    return "";
  }
  if ("response" in reply) return reply.response ?? "";
  return ""; // an asynchronous batch's request id: never asked for
}

/** The vectors of an embedding reply, or null if it holds none. */
export function embeddingsOf(reply: EmbeddingReply): number[][] | null {
  return "data" in reply && Array.isArray(reply.data) ? reply.data : null;
}

/** Options for every `env.AI.run`: through AI Gateway when AI_GATEWAY_ID is set. */
export function runOptions(gatewayId: string | undefined): AiOptions {
  return gatewayId ? { gateway: { id: gatewayId } } : {};
}

/** Workers AI (or the service's own cap on model calls) cannot take the call now; try again after `retryAfter` seconds. */
export class ModelBusy extends Error {
  override name = "ModelBusy";
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
  }
}

// https://developers.cloudflare.com/workers-ai/platform/errors/: out of
// capacity (3040) and the daily free allocation (3036); 3021 is the
// per-minute rate limit. The binding throws them as "<code>: <message>",
// which keeps its message across RPC too.
const CAPACITY = 3040;
const RATE_LIMITED = 3021;
const DAILY_ALLOCATION = 3036;
const CAPACITY_RETRY_SECONDS = 5;
const RATE_LIMIT_RETRY_SECONDS = 60;

/** Seconds to wait before asking again, if `error` says Workers AI is busy; null for any other error. */
export function busyRetryAfter(error: unknown, now = Date.now()): number | null {
  if (error instanceof ModelBusy) return error.retryAfter;
  const message = error instanceof Error ? error.message : String(error);
  const code = Number(/\b(30[0-9]{2})\s*:/.exec(message)?.[1]);
  if (code === CAPACITY) return CAPACITY_RETRY_SECONDS;
  if (code === RATE_LIMITED) return RATE_LIMIT_RETRY_SECONDS;
  // The free allocation is renewed at 00:00 UTC.
  if (code === DAILY_ALLOCATION) return Math.max(60, Math.ceil((nextUtcMidnight(now) - now) / 1000));
  return null;
}

const RETRY_MIN_MS = 250;
const RETRY_SPREAD_MS = 750;

/**
 * Runs a Workers AI call, first counting it against `cap` (MODEL_RATE_LIMIT,
 * one key for the whole service). When Workers AI is busy it is retried once,
 * after a random wait so that calls refused together do not return together;
 * not when the daily allocation is used up, which no wait within an answer
 * can change, nor once `signal` (the answer's deadline) has fired.
 */
export async function callWorkersAi<T>(
  call: () => Promise<T>,
  { cap, signal, retry = true }: { cap?: RateLimit; signal?: AbortSignal; retry?: boolean } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (cap && !(await cap.limit({ key: "workers-ai" })).success) {
      throw new ModelBusy("MODEL_RATE_LIMIT reached", RATE_LIMIT_RETRY_SECONDS);
    }
    try {
      return await call();
    } catch (error) {
      const wait = busyRetryAfter(error);
      const hopeless = wait === null || wait > RATE_LIMIT_RETRY_SECONDS;
      if (!retry || attempt > 1 || hopeless || error instanceof ModelBusy || signal?.aborted) throw error;
      await sleep(RETRY_MIN_MS + Math.random() * RETRY_SPREAD_MS, signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

function nextUtcMidnight(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
}
