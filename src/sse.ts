// The streaming protocol of POST /ask: Server-Sent Events whose `data` is one
// JSON object. Existing clients parse exactly these event shapes.
import type { Citation } from "./answer-pipeline";

export type AnswerEvent =
  | { type: "session"; session_id: string }
  | { type: "content"; token: string }
  | { type: "source"; sources: string[]; citations: Citation[] }
  | { type: "done" }
  | { type: "error"; error: string };

const encoder = new TextEncoder();

export function encodeEvent(event: AnswerEvent): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(event)}\n\n`);
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  // Tells nginx-style proxies not to buffer the stream.
  "x-accel-buffering": "no",
} as const;
