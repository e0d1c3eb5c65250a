// A stand-in for the Workers AI binding, which has no local simulator. It
// keeps the real shapes and limits: bge-m3 takes at most 100 texts and
// returns {shape, data} of 1024-dimensional vectors; chat models return a
// Server-Sent Events byte stream when asked to stream.
const EMBEDDING_MODEL = "@cf/baai/bge-m3";
const DIMENSIONS = 1024;

export type ChatScript = {
  events: string[];
  failBeforeFirstToken?: boolean;
  reply?: string;
  /** A model the test drives event by event (see `liveModel`), instead of `events`. */
  live?: ReadableStream<Uint8Array>;
};

export class FakeWorkersAi {
  readonly calls: Array<{ model: string; inputs: Record<string, any> }> = [];
  chat: ChatScript = { events: [] };

  async run(model: string, inputs: Record<string, any>): Promise<unknown> {
    this.calls.push({ model, inputs });
    if (model === EMBEDDING_MODEL) {
      const texts: string[] = typeof inputs.text === "string" ? [inputs.text] : inputs.text;
      if (!Array.isArray(texts) || texts.length === 0)
        throw new Error("AiError: 5006: Error: required properties at '/' are 'text'");
      if (texts.length > 100)
        throw new Error("AiError: 5006: Error: Array must contain at most 100 element(s) at '/text'");
      return { shape: [texts.length, DIMENSIONS], data: texts.map(embedding), pooling: "cls" };
    }
    if (this.chat.failBeforeFirstToken)
      throw new Error("AiError: 3040: Capacity temporarily exceeded, please try again.");
    if (inputs.stream) return this.chat.live ?? sseStream(this.chat.events);
    return { response: this.chat.reply ?? "" };
  }
}

/** A deterministic bag-of-words embedding: texts sharing words point the same way. */
export function embedding(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 0;
    for (const char of word) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
    vector[hash % DIMENSIONS] = (vector[hash % DIMENSIONS] ?? 0) + 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** The bytes a streaming model sends: one `data:` event per entry. */
export function sseStream(events: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const event of events) controller.enqueue(encoder.encode(`data: ${event}\n\n`));
      controller.close();
    },
  });
}

/** A model stream the test writes to: `say` sends one token, `finish` sends [DONE], `breakOff` ends it without. */
export function liveModel() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    stream,
    say: (token: string) => controller.enqueue(encoder.encode(`data: ${JSON.stringify({ response: token })}\n\n`)),
    finish: () => {
      controller.enqueue(encoder.encode("data: [DONE]\n\n"));
      controller.close();
    },
    breakOff: () => controller.close(),
  };
}
