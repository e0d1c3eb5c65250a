// Reads a chat model's Server-Sent Events stream into text pieces. Workers AI
// models emit either {"response": "..."} or OpenAI-style
// {"choices": [{"delta": {"content": "..."}}]} chunks, then possibly a usage
// chunk, then [DONE]; OpenAI-compatible servers emit the latter shape.
import { EventSourceParserStream } from "eventsource-parser/stream";

/** The model's stream broke off or said something unreadable. */
export class ModelStreamError extends Error {
  override name = "ModelStreamError";
}

type Chunk = { response?: unknown; choices?: Array<{ delta?: { content?: unknown } }> };

export async function* modelTokens(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  for await (const event of events) {
    if (event.data.trim() === "[DONE]") return;
    let chunk: Chunk;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      throw new ModelStreamError("The model sent an event that is not JSON");
    }
    const token = chunk.response ?? chunk.choices?.[0]?.delta?.content;
    // Usage and role-only chunks carry no text.
    if (typeof token === "string" && token.length > 0) yield token;
  }
  throw new ModelStreamError("The model's stream ended before [DONE]");
}
