// The streaming protocol of POST /ask and GET /ask/stream/{session_id}:
// Server-Sent Events whose `data` is one AnswerEvent (http/schemas.ts) as
// JSON. Existing clients parse exactly these event shapes; the `id:`, `retry:`
// and comment lines are standard SSE that such clients ignore and
// EventSource uses to resume.
import type { AnswerEvent } from "../http/schemas";

/** How long an EventSource waits before reconnecting after the connection drops. */
const RETRY_MS = 2000;

const encoder = new TextEncoder();

/** One event as SSE text; `id` is its sequence number within the answer, counted from 1. */
export function eventFrame(event: AnswerEvent, id: number): string {
  return `id: ${id}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function encodeEvent(event: AnswerEvent, id: number): Uint8Array {
  return encoder.encode(eventFrame(event, id));
}

export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}

export const RETRY_HINT = `retry: ${RETRY_MS}\n\n`;

/** A comment line: keeps proxies from closing a connection while the model is silent. */
export const HEARTBEAT = encoder.encode(": keep-alive\n\n");

/** Silence after which a heartbeat goes out: well inside the 100 s after which Cloudflare closes an idle connection. */
export const HEARTBEAT_MS = 15_000;

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  // Tells nginx-style proxies not to buffer the stream.
  "x-accel-buffering": "no",
} as const;

/** An SSE stream as the session object hands it over: the bytes it had at once, then the rest as they come. */
export type EventStream = { head: Uint8Array; stream: ReadableStream<Uint8Array> };

/** One byte stream of `head` then `stream`; cancelling it cancels `stream`. */
export function joinEventStream({ head, stream }: EventStream): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
    },
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason), // the client went away: only this reader stops
  });
}
