import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HEARTBEAT_MS } from "../src/session/sse";
import { FakeWorkersAi, liveModel } from "./fake-workers-ai";
import { call, getJson, postJson } from "./helpers";
import { frameReader, streamOf, withSession } from "./session-harness";

type Frame = NonNullable<Awaited<ReturnType<ReturnType<typeof frameReader>["next"]>>>;

async function allFrames(stream: ReadableStream<Uint8Array>): Promise<Frame[]> {
  const reader = frameReader(stream);
  const frames: Frame[] = [];
  for (let frame = await reader.next(); frame; frame = await reader.next()) frames.push(frame);
  return frames;
}

const textOf = (frames: Frame[]) =>
  frames
    .filter((frame) => frame.event?.type === "content")
    .map((frame) => frame.event?.token)
    .join("");

async function streamedAnswer(question: string): Promise<{ sessionId: string; frames: Frame[] }> {
  const res = await postJson("/ask", { question, stream: true });
  const frames = await allFrames(res.body as ReadableStream<Uint8Array>);
  return { sessionId: frames.find((frame) => frame.event?.type === "session")?.event?.session_id, frames };
}

describe("resumable answer streams", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens with a retry hint and numbers every event from 1", async () => {
    const { frames } = await streamedAnswer("Berapa biaya asrama per bulan?");
    expect(frames[0]?.retry).toBeGreaterThan(0);
    const events = frames.filter((frame) => frame.event);
    expect(events.map((frame) => frame.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)?.event).toEqual({ type: "done" });
  });

  it("replays a finished answer after Last-Event-ID, from the header or the query, then ends", async () => {
    const { sessionId, frames } = await streamedAnswer("Apa syarat Beasiswa Prestasi Akademik?");
    const events = frames.filter((frame) => frame.event);
    const fromHeader = await call(`/ask/stream/${sessionId}`, { headers: { "last-event-id": "3" } });
    expect(fromHeader.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const rest = (await allFrames(fromHeader.body as ReadableStream<Uint8Array>)).filter((frame) => frame.event);
    expect(rest).toEqual(events.slice(3));
    const fromQuery = await call(`/ask/stream/${sessionId}?last_event_id=5`);
    expect((await allFrames(fromQuery.body as ReadableStream<Uint8Array>)).filter((f) => f.event)).toEqual(
      events.slice(5),
    );
    const whole = await call(`/ask/stream/${sessionId}`);
    expect((await allFrames(whole.body as ReadableStream<Uint8Array>)).filter((f) => f.event)).toEqual(events);
  });

  it("replays a stored answer with the same ids after the session object restarts", async () => {
    const { sessionId, frames } = await streamedAnswer("Bagaimana cara mendaftar PMB?");
    const events = frames.filter((frame) => frame.event);
    await evictDurableObject(env.SESSIONS.getByName(sessionId));
    const res = await call(`/ask/stream/${sessionId}`, { headers: { "last-event-id": "2" } });
    expect((await allFrames(res.body as ReadableStream<Uint8Array>)).filter((f) => f.event)).toEqual(events.slice(2));
  });

  it("continues an answer still being generated: what was missed, then live, each token exactly once", async () => {
    const model = liveModel();
    const ai = new FakeWorkersAi();
    ai.script.live = model.stream;
    await withSession({ GENERATOR: "workers-ai", AI: ai }, async (session, input) => {
      const first = frameReader(streamOf(await session.askStream(input)));
      model.say("Biaya ");
      model.say("asrama ");
      const received: Frame[] = [];
      while (received.filter((frame) => frame.event?.type === "content").length < 2) {
        const frame = await first.next();
        if (frame?.event) received.push(frame);
      }
      await first.cancel(); // the connection drops
      model.say("Rp ");
      model.say("750.000 ");
      const resumed = frameReader(streamOf(await session.resume(received.at(-1)?.id ?? 0)));
      model.say("per bulan.");
      model.finish();
      const rest: Frame[] = [];
      for (let frame = await resumed.next(); frame; frame = await resumed.next()) if (frame.event) rest.push(frame);
      const all = [...received, ...rest];
      expect(all.map((frame) => frame.id)).toEqual(all.map((_, i) => i + 1));
      expect(textOf(all)).toBe("Biaya asrama Rp 750.000 per bulan.");
      expect(all.at(-1)?.event).toEqual({ type: "done" });
      expect((await session.history())?.history[0]?.answer).toBe("Biaya asrama Rp 750.000 per bulan.");
    });
  });

  it("sends a keep-alive comment whenever the model has been silent for HEARTBEAT_MS", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const model = liveModel();
    const ai = new FakeWorkersAi();
    ai.script.live = model.stream;
    await withSession({ GENERATOR: "workers-ai", AI: ai }, async (session, input) => {
      const frames = frameReader(streamOf(await session.askStream(input)));
      expect((await frames.next())?.retry).toBeGreaterThan(0);
      expect((await frames.next())?.event?.type).toBe("session");
      for (let beat = 0; beat < 2; beat++) {
        let received = false;
        const next = frames.next().then((frame) => {
          received = true;
          return frame;
        });
        await vi.advanceTimersByTimeAsync(HEARTBEAT_MS - 1);
        expect(received).toBe(false);
        await vi.advanceTimersByTimeAsync(1);
        expect(await next).toEqual({ comment: "keep-alive" });
      }
      model.say("Rp 750.000 ");
      expect((await frames.next())?.event).toEqual({ type: "content", token: "Rp 750.000 " });
      model.finish();
      await frames.cancel();
    });
  });

  it("answers 404 for an unknown session and 422 for a Last-Event-ID that is not a number", async () => {
    expect((await getJson(`/ask/stream/${"C".repeat(32)}`)).status).toBe(404);
    const { sessionId } = await streamedAnswer("Apa itu PMB?");
    const bad = await getJson(`/ask/stream/${sessionId}`, { "last-event-id": "tiga" });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(["header", "last-event-id"]);
  });
});
