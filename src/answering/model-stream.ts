// Reads a chat model's Server-Sent Events stream into text pieces. Workers AI
// models emit {"response": "..."} chunks, OpenAI-style
// {"choices": [{"delta": {"content": "..."}}]} chunks, or both at once with an
// empty `response`; then possibly a usage chunk, then [DONE].
// OpenAI-compatible servers emit the second shape.
import { createParser } from "eventsource-parser";

/** The model's stream broke off or said something unreadable. */
export class ModelStreamError extends Error {
  override name = "ModelStreamError";
}

type Chunk = { response?: unknown; choices?: Array<{ delta?: { content?: unknown } }> };

// The parser is fed directly rather than through two piped streams: each
// token then costs no extra stream hops on its way to the client.
export async function* modelTokens(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const pending: string[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event.data) });
  const decoder = new TextDecoder();
  // A reader rather than `for await`: the stream's async iterator costs
  // measurably more per chunk in workerd.
  const reader = body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      parser.feed(decoder.decode(read.value, { stream: true }));
      for (let data = pending.shift(); data !== undefined; data = pending.shift()) {
        if (data.trim() === "[DONE]") return;
        const token = tokenOf(data);
        if (token) yield token;
      }
    }
    throw new ModelStreamError("The model's stream ended before [DONE]");
  } finally {
    // However reading ends (done, failed, or the caller stopped early), the
    // model's stream is let go, so a model still generating is told to stop.
    reader.cancel().catch(() => {});
  }
}

function tokenOf(data: string): string | null {
  let chunk: Chunk;
  try {
    chunk = JSON.parse(data);
  } catch {
    throw new ModelStreamError("The model sent an event that is not JSON");
  }
  // An empty `response` beside the delta is not the text, as in Cloudflare's
  // own workers-ai-provider.
  if (typeof chunk.response === "string" && chunk.response.length > 0) return chunk.response;
  const token = chunk.choices?.[0]?.delta?.content;
  // Usage and role-only chunks carry no text.
  return typeof token === "string" && token.length > 0 ? token : null;
}
