// What Workers AI chat models send back, byte for byte, as Cloudflare documents
// it: the output schemas in cloudflare-docs `src/content/workers-ai-models/`
// (gemma-sea-lion-v4-27b-it.json, qwen3-30b-a3b-fp8.json: a chat completion,
// `choices[0].message.content`; llama-3.3-70b-instruct-fp8-fast.json:
// `{response}`) and the `AiModels` types generated into
// worker-configuration.d.ts. A streamed reply is Server-Sent Events in one of
// three chunk shapes, then a usage chunk, then `data: [DONE]`:
//
//   "response": {"response": "Biaya "}                                  (native Workers AI)
//   "choices":  {"choices": [{"index": 0, "delta": {"content": "Biaya "}}]}   (OpenAI-compatible)
//   "mixed":    {"response": "", "choices": [{"delta": {"content": "Biaya "}}]}
//
// The last one is what Cloudflare's own workers-ai-provider guards against:
// an empty `response` next to the real text. The stand-in model, the test
// fakes and the bench's fake model all speak through these functions.

export const STREAM_SHAPES = ["response", "choices", "mixed"] as const;
export type StreamShape = (typeof STREAM_SHAPES)[number];

/** How a model's non-streamed reply is shaped, per its documented output schema. */
export type ReplyShape = "chat-completion" | "response";

export type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

const encoder = new TextEncoder();

/** A usage estimate of about four characters per token, as the models report it after the text. */
export function usageOf(prompt: string, completion: string[]): Usage {
  const prompt_tokens = Math.ceil(prompt.length / 4);
  const completion_tokens = completion.length;
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

/** The `data:` payload of one streamed piece of text, in `shape`. */
export function textChunk(shape: StreamShape, model: string, token: string): string {
  switch (shape) {
    case "response":
      return JSON.stringify({ response: token });
    case "choices":
      return JSON.stringify({
        id: "chatcmpl-stand-in",
        object: "chat.completion.chunk",
        created: nowSeconds(),
        model,
        choices: [{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }],
      });
    case "mixed":
      return JSON.stringify({
        response: "",
        choices: [{ index: 0, delta: { content: token }, logprobs: null, finish_reason: null }],
      });
  }
}

/** The chunks around the text: a role-only opening chunk for OpenAI-style streams, the closing usage chunk. */
export function openingChunk(shape: StreamShape, model: string): string | null {
  if (shape === "response") return null;
  return JSON.stringify({
    id: "chatcmpl-stand-in",
    object: "chat.completion.chunk",
    created: nowSeconds(),
    model,
    choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }],
  });
}

export function usageChunk(shape: StreamShape, usage: Usage): string {
  if (shape === "choices") {
    return JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage });
  }
  return JSON.stringify({ response: "", usage });
}

/** One Server-Sent Event. */
export function sseEvent(data: string): string {
  return `data: ${data}\n\n`;
}

export const DONE_EVENT = sseEvent("[DONE]");

/** Every event of a complete streamed reply of `tokens`, as text. */
export function streamedReply(shape: StreamShape, model: string, tokens: string[], prompt = ""): string {
  const opening = openingChunk(shape, model);
  let text = opening === null ? "" : sseEvent(opening);
  for (const token of tokens) text += sseEvent(textChunk(shape, model, token));
  return `${text}${sseEvent(usageChunk(shape, usageOf(prompt, tokens)))}${DONE_EVENT}`;
}

/**
 * `events` as a byte stream, the way the binding hands it over: a byte stream
 * (the only kind Workers RPC carries), each event split across two reads at
 * its middle byte, as network reads split them.
 */
export function eventStream(events: string, { pauseMs = 0 }: { pauseMs?: number } = {}): ReadableStream<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for (const frame of events.split(/(?<=\n\n)/)) {
    const bytes = encoder.encode(frame);
    const middle = Math.floor(bytes.byteLength / 2);
    pieces.push(bytes.subarray(0, middle), bytes.subarray(middle));
  }
  return new ReadableStream({
    type: "bytes",
    async pull(controller: ReadableByteStreamController) {
      const piece = pieces.shift();
      if (piece === undefined) {
        controller.close();
        return;
      }
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      controller.enqueue(piece.slice());
    },
  });
}

/** A non-streamed reply of `text`, in the model's documented shape. */
export function completeReply(shape: ReplyShape, model: string, text: string, usage: Usage) {
  if (shape === "response") return { response: text, tool_calls: [], usage };
  return {
    id: "chatcmpl-stand-in",
    object: "chat.completion" as const,
    created: nowSeconds(),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text },
        finish_reason: "stop",
        stop_reason: null,
        logprobs: null,
      },
    ],
    usage,
    prompt_logprobs: null,
  };
}

/** Splits text into model-sized pieces: words with their following space. */
export function tokensOf(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
