// A real session object over real storage, built with settings and bindings
// of a test's choosing (a model that fails, stalls or obeys documents).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type AskInput, SessionObject } from "../src/session/session-object";
import { joinEventStream } from "../src/session/sse";
import { parseEvents } from "./helpers";

export async function withSession(
  bindings: Record<string, unknown>,
  test: (
    session: SessionObject,
    input: AskInput,
    reopen: (bindings?: Record<string, unknown>) => SessionObject,
  ) => Promise<void>,
): Promise<void> {
  const sessionId = crypto.randomUUID().replaceAll("-", "").padEnd(32, "x");
  await runInDurableObject(env.SESSIONS.getByName(sessionId), async (_, state) => {
    // Another object over the same storage, as after a restart with other bindings.
    const reopen = (other: Record<string, unknown> = {}) =>
      new SessionObject(state, { ...env, ...other } as unknown as Env);
    const input = {
      session_id: sessionId,
      create: true,
      question: "Berapa biaya asrama?",
      top_k: 3,
      filename_filter: null,
    };
    await test(reopen(bindings), input, reopen);
  });
}

/** The SSE stream of an outcome, failing the test if there is none. */
export function streamOf(outcome: Awaited<ReturnType<SessionObject["askStream"]>>): ReadableStream<Uint8Array> {
  if (!outcome || !("stream" in outcome)) throw new Error(`expected a stream, got ${JSON.stringify(outcome)}`);
  return joinEventStream(outcome.stream);
}

/** Reads SSE frames as they arrive: each call returns the next events (and comments) received. */
export function frameReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  return {
    /** The next complete frame: `{id, event}` for an event, `{comment}` for a comment, `{retry}` for a hint. */
    async next(): Promise<{ id?: number; event?: Record<string, any>; comment?: string; retry?: number } | null> {
      for (;;) {
        const end = buffered.indexOf("\n\n");
        if (end >= 0) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          return parseFrame(frame);
        }
        const chunk = await reader.read();
        if (chunk.done) return null;
        buffered += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

function parseFrame(frame: string) {
  const parsed: { id?: number; event?: Record<string, any>; comment?: string; retry?: number } = {};
  for (const line of frame.split("\n")) {
    if (line.startsWith(":")) parsed.comment = line.slice(1).trim();
    else if (line.startsWith("id: ")) parsed.id = Number(line.slice(4));
    else if (line.startsWith("retry: ")) parsed.retry = Number(line.slice(7));
    else if (line.startsWith("data: ")) parsed.event = parseEvents(`${line}\n\n`)[0];
  }
  return parsed;
}
