// A stand-in for the Workers AI binding (`env.AI`), which has no local
// simulator. It follows Cloudflare's documents, not this service's code:
// - the model schemas in cloudflare-docs `src/content/workers-ai-models/` and
//   the `AiModels` types in worker-configuration.d.ts: chat models take
//   `messages` (or `prompt`), `max_tokens`, `temperature` (0–5) and `stream`,
//   and reply in the shapes of model-replies.ts; bge-m3 embeds 1–100 non-empty
//   texts into 1024 dimensions as `{shape, data, pooling}`;
// - https://developers.cloudflare.com/workers-ai/platform/errors/: an unknown
//   model is 5007, "out of capacity" 3040, a used-up daily free allocation
//   3036; the per-minute rate limit is 3021 (as the binding reports it, see
//   cloudflare/ai#657). The binding throws an Error whose message starts
//   with the code; so does this. Input that fails a schema is 5006, as the
//   binding reports it (not in the table).
//
// Which chunk shape a model streams in is not documented per model: each
// supported model streams in a different one by default, and a question
// (the last user message) can ask for another with `#stream=response`,
// `#stream=choices` or `#stream=mixed`. Other markers a question may carry,
// so that failures can be tried by hand: `#capacity`, `#rate-limited`,
// `#daily-limit` (the model call fails with that error), `#no-stream` (an
// object comes back although a stream was asked for), `#break-off` (the
// stream ends without [DONE]) and `#slow` (50 ms between stream reads).
// The service searches a marker as a word no document holds, so a marked
// question needs enough words of its own to stay relevant; otherwise it is
// answered "not found" without the model being asked.
//
// The "model" follows this service's prompts closely enough to rehearse
// with: it answers with the opening of the first document it was given
// (`<dokumen … berkas="…">`), and rewrites a follow-up ("Pertanyaan terakhir:
// …") by putting the conversation's last question in front of it.
import {
  completeReply,
  eventStream,
  type ReplyShape,
  STREAM_SHAPES,
  type StreamShape,
  streamedReply,
  tokensOf,
  usageOf,
} from "./model-replies";

export type ChatMessage = { role: string; content: string | Array<{ type?: string; text?: string }> };
export type ChatInputs = {
  messages?: ChatMessage[];
  prompt?: string;
  max_tokens?: number;
  temperature?: number;
  stream?: boolean;
};
export type EmbeddingInputs = { text?: string | string[] };
export type RunOptions = { gateway?: { id: string }; [option: string]: unknown };

/** Chat models, with the reply shape of their documented output schema and the stream shape they use here. */
export const CHAT_MODELS: Record<string, { reply: ReplyShape; stream: StreamShape }> = {
  "@cf/aisingapore/gemma-sea-lion-v4-27b-it": { reply: "chat-completion", stream: "mixed" },
  "@cf/qwen/qwen3-30b-a3b-fp8": { reply: "chat-completion", stream: "choices" },
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { reply: "response", stream: "response" },
};

export const EMBEDDING_MODELS: Record<string, { dimensions: number; maxTexts: number }> = {
  "@cf/baai/bge-m3": { dimensions: 1024, maxTexts: 100 },
};

/** The errors the binding throws, by documented code. */
export const AI_ERRORS = {
  capacity: "3040: Capacity temporarily exceeded, please try again.",
  rateLimited: "3021: rate limiting: inference request per min rate reached",
  dailyLimit:
    "3036: You have used up your daily free allocation of 10,000 neurons. Please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage.",
} as const;

export class AiError extends Error {
  override name = "AiError";
}

const MARKERS = {
  "#capacity": AI_ERRORS.capacity,
  "#rate-limited": AI_ERRORS.rateLimited,
  "#daily-limit": AI_ERRORS.dailyLimit,
} as const;

export class WorkersAiStandIn {
  async run(model: string, inputs: unknown, options: RunOptions = {}): Promise<unknown> {
    if (options.gateway !== undefined && typeof options.gateway?.id !== "string") {
      throw new AiError("5006: Error: gateway.id must be a string");
    }
    const embedding = EMBEDDING_MODELS[model];
    if (embedding) return this.embed(model, inputs as EmbeddingInputs, embedding);
    const chat = CHAT_MODELS[model];
    if (chat) return this.chat(model, chatInputs(inputs), chat);
    throw new AiError(`5007: No such model ${model} or task`);
  }

  protected embed(model: string, inputs: EmbeddingInputs, limits: { dimensions: number; maxTexts: number }) {
    const texts = typeof inputs.text === "string" ? [inputs.text] : inputs.text;
    if (!Array.isArray(texts) || texts.length === 0) {
      throw new AiError(`5006: Error: required properties at '/' are 'text' (${model})`);
    }
    if (texts.length > limits.maxTexts) {
      throw new AiError(`5006: Error: Array must contain at most ${limits.maxTexts} element(s) at '/text'`);
    }
    if (texts.some((text) => typeof text !== "string" || text.length === 0)) {
      throw new AiError("5006: Error: String must contain at least 1 character(s) at '/text'");
    }
    return { shape: [texts.length, limits.dimensions], data: texts.map((text) => embedding(text)), pooling: "cls" };
  }

  protected chat(model: string, inputs: ChatInputs, shapes: { reply: ReplyShape; stream: StreamShape }) {
    const markers = this.markers(inputs);
    for (const [marker, error] of Object.entries(MARKERS)) if (markers.includes(marker)) throw new AiError(error);
    const stream = inputs.stream === true && !markers.includes("#no-stream");
    const tokens = this.pieces(inputs, stream).slice(0, inputs.max_tokens ?? 256);
    const prompt = promptText(inputs);
    if (stream) {
      const shape = STREAM_SHAPES.find((name) => markers.includes(`#stream=${name}`)) ?? shapes.stream;
      let events = streamedReply(shape, model, tokens, prompt);
      if (markers.includes("#break-off")) events = events.slice(0, events.lastIndexOf("data: "));
      return eventStream(events, { pauseMs: markers.includes("#slow") ? 50 : 0 });
    }
    return completeReply(shapes.reply, model, tokens.join(""), usageOf(prompt, tokens));
  }

  /** The text the markers are read from: the question, in the last user message. */
  protected markers(inputs: ChatInputs): string {
    return lastUserText(inputs);
  }

  /** The reply in the pieces it is streamed in. */
  protected pieces(inputs: ChatInputs, _streamed: boolean): string[] {
    return tokensOf(this.reply(inputs));
  }

  /** What the model says: the opening of its first document, or a follow-up made whole. */
  protected reply(inputs: ChatInputs): string {
    const asked = lastUserText(inputs);
    const document = /<dokumen[^>]*berkas="([^"]*)"[^>]*>\n([\s\S]*?)\n<\/dokumen>/.exec(asked);
    if (document) {
      const opening = (document[2] ?? "").replace(/\s+/g, " ").trim().slice(0, 400);
      return `Menurut ${document[1]}: ${opening}`;
    }
    const followUp = /Pertanyaan terakhir:\s*([\s\S]*)$/.exec(asked);
    if (followUp) {
      const earlier = [...asked.matchAll(/^Pengguna: (.*)$/gm)].at(-1)?.[1] ?? "";
      return `${earlier} ${followUp[1]?.trim() ?? ""}`.trim();
    }
    return "OK";
  }
}

function chatInputs(inputs: unknown): ChatInputs {
  const value = (typeof inputs === "object" && inputs !== null ? inputs : {}) as ChatInputs;
  const messagesOk =
    Array.isArray(value.messages) &&
    value.messages.length > 0 &&
    value.messages.every(
      (m) => typeof m?.role === "string" && (typeof m.content === "string" || Array.isArray(m.content)),
    );
  if (!messagesOk && !(typeof value.prompt === "string" && value.prompt.length > 0)) {
    throw new AiError("5006: Error: oneOf at '/' not met: required properties are 'prompt' or 'messages'");
  }
  if (value.max_tokens !== undefined && (!Number.isInteger(value.max_tokens) || value.max_tokens < 1)) {
    throw new AiError("5006: Error: max_tokens must be a positive integer");
  }
  if (value.temperature !== undefined && !(value.temperature >= 0 && value.temperature <= 5)) {
    throw new AiError("5006: Error: temperature must be between 0 and 5");
  }
  if (value.stream !== undefined && typeof value.stream !== "boolean") {
    throw new AiError("5006: Error: stream must be a boolean");
  }
  return value;
}

function textOf(content: ChatMessage["content"]): string {
  return typeof content === "string" ? content : content.map((part) => part.text ?? "").join("");
}

function lastUserText(inputs: ChatInputs): string {
  const user = inputs.messages?.filter((message) => message.role === "user").at(-1);
  return user ? textOf(user.content) : (inputs.prompt ?? "");
}

function promptText(inputs: ChatInputs): string {
  return inputs.messages?.map((message) => textOf(message.content)).join("\n") ?? inputs.prompt ?? "";
}

const DIMENSIONS = 1024;
// A component every text shares: texts with no word in common score about
// 0.4 and texts sharing words score higher, the range bge-m3's cosine
// similarities fall in, so RELEVANCE_THRESHOLD (0.45) sorts them as it would.
const SHARED = 0.8;

/** A deterministic bag-of-words embedding: texts sharing words point the same way. */
export function embedding(text: string): number[] {
  const words = new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of words) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619) >>> 0;
    const at = 1 + (hash % (DIMENSIONS - 1));
    vector[at] = 1;
  }
  const bag = Math.sqrt(words.size) || 1;
  for (let i = 1; i < DIMENSIONS; i++) vector[i] = (vector[i] ?? 0) / bag;
  vector[0] = SHARED;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}
