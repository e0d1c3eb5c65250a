// A session's latest answer as numbered events. The answering appends to it;
// any number of readers follow it, each from the last id it saw and then live
// until the answer ends, so a client that reconnects misses nothing and sees
// nothing twice.
import type { AnswerEvent, Citation } from "../http/schemas";
import { encodeEvent, encodeText, eventFrame, HEARTBEAT, HEARTBEAT_MS, RETRY_HINT } from "./sse";

/** A stored answer, with the lengths of the tokens it was streamed in. */
export interface StoredAnswer {
  answer: string;
  tokenLengths: number[];
  /** Why it broke off; null when complete. */
  error: string | null;
  sources: string[];
  citations: Citation[];
}

export class AnswerLog {
  readonly #events: AnswerEvent[];
  readonly #readers = new Set<() => void>();

  constructor(events: AnswerEvent[] = []) {
    this.#events = events;
  }

  /** The events a stored answer was sent as, with the same ids. */
  static replay(sessionId: string, stored: StoredAnswer): AnswerLog {
    const events: AnswerEvent[] = [{ type: "session", session_id: sessionId }];
    let at = 0;
    for (const length of stored.tokenLengths) {
      events.push({ type: "content", token: stored.answer.slice(at, at + length) });
      at += length;
    }
    if (stored.error === null) {
      events.push({ type: "source", sources: stored.sources, citations: stored.citations });
      events.push({ type: "done" });
    } else {
      events.push({ type: "error", error: stored.error });
    }
    return new AnswerLog(events);
  }

  get ended(): boolean {
    const last = this.#events.at(-1)?.type;
    return last === "done" || last === "error";
  }

  append(event: AnswerEvent): void {
    if (this.ended) return;
    this.#events.push(event);
    for (const reader of this.#readers) reader();
  }

  /**
   * The retry hint and the events logged so far after `afterId`, encoded, and
   * the id to follow on from. Sent as the first bytes of a response, they do
   * not wait for a stream to be set up across the RPC boundary.
   */
  opening(afterId: number): { head: Uint8Array; next: number } {
    let text = RETRY_HINT;
    for (let id = afterId + 1; id <= this.#events.length; id++)
      text += eventFrame(this.#events[id - 1] as AnswerEvent, id);
    return { head: encodeText(text), next: Math.max(afterId, this.#events.length) };
  }

  /**
   * The events after `afterId` as an SSE byte stream that stays open until the
   * answer ends, with a heartbeat whenever nothing was sent for HEARTBEAT_MS.
   * Cancelling it stops only this reader, never the answer.
   */
  follow(afterId: number): ReadableStream<Uint8Array> {
    let next = afterId;
    let heartbeat: ReturnType<typeof setTimeout> | null = null;
    let pump = () => {};
    const stop = () => {
      clearTimeout(heartbeat);
      this.#readers.delete(pump);
    };
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        const beat = () => {
          controller.enqueue(HEARTBEAT);
          heartbeat = setTimeout(beat, HEARTBEAT_MS);
        };
        pump = () => {
          if (next >= this.#events.length && !this.ended) return;
          clearTimeout(heartbeat);
          for (; next < this.#events.length; next++) {
            controller.enqueue(encodeEvent(this.#events[next] as AnswerEvent, next + 1));
          }
          if (this.ended) {
            stop();
            controller.close();
          } else {
            heartbeat = setTimeout(beat, HEARTBEAT_MS);
          }
        };
        this.#readers.add(pump);
        heartbeat = setTimeout(beat, HEARTBEAT_MS);
        pump();
      },
      cancel: stop,
    });
  }
}
