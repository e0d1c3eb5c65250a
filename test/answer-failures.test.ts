import { afterEach, describe, expect, it, vi } from "vitest";
import { ANSWER_FAILED, ANSWER_TIMED_OUT, KNOWLEDGE_BASE_UNAVAILABLE, MODEL_BUSY } from "../src/answering/ask-failure";
import { FakeWorkersAi, liveModel } from "./fake-workers-ai";
import { parseEvents } from "./helpers";
import { frameReader, streamOf, withSession } from "./session-harness";

const model = (configure: (ai: FakeWorkersAi) => void, settings: Record<string, string> = {}) => {
  const ai = new FakeWorkersAi();
  configure(ai);
  return { GENERATOR: "workers-ai", AI: ai, ...settings };
};

/** A knowledge-base binding whose `method` fails the way the real one can. */
const failingKnowledgeBase = (method: "search" | "hybridSearch", message: string) => ({
  getByName: () => ({
    [method]: async () => {
      throw new Error(message);
    },
  }),
});

/** Waits in real time (which fake timers leave alone) until `condition` holds, for at most 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5000; !condition(); await scheduler.wait(5)) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
  }
}

describe("when answering fails", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports a model failure before the first token as 502 and stores nothing, leaving the session usable", async () => {
    const ai = new FakeWorkersAi();
    ai.script.fail = "3007: Request timeout";
    await withSession({ GENERATOR: "workers-ai", AI: ai }, async (session, input) => {
      expect(await session.ask(input)).toEqual({ failure: { status: 502, detail: ANSWER_FAILED } });
      const events = parseEvents(await new Response(streamOf(await session.askStream(input))).text());
      expect(events.map((event) => event.type)).toEqual(["session", "error"]);
      expect(events.at(-1)).toEqual({ type: "error", error: ANSWER_FAILED });
      expect((await session.history())?.total_exchanges).toBe(0);
      ai.script = { tokens: ["Rp 750.000"] };
      expect(await session.ask(input)).toMatchObject({ result: { answer: "Rp 750.000" } });
    });
  });

  it("answers 503 with the wait when Workers AI stays busy, and a stream's error says when to retry", async () => {
    const bindings = model((ai) => {
      ai.script.markers = "#capacity";
    });
    await withSession(bindings, async (session, input) => {
      expect(await session.ask(input)).toEqual({ failure: { status: 503, detail: MODEL_BUSY, retryAfter: 5 } });
      const events = parseEvents(await new Response(streamOf(await session.askStream(input))).text());
      expect(events.at(-1)).toEqual({ type: "error", error: MODEL_BUSY, retry_after: 5 });
      expect((await session.history())?.total_exchanges).toBe(0);
    });
  });

  it("keeps what a model produced before breaking off, marked incomplete and never as an answer", async () => {
    const bindings = model((ai) => {
      ai.script = { tokens: ["Biaya asrama ", "adalah"], markers: "#break-off" };
    });
    await withSession(bindings, async (session, input) => {
      const events = parseEvents(await new Response(streamOf(await session.askStream(input))).text());
      expect(events[0]?.type).toBe("session");
      expect(events.at(-1)).toEqual({ type: "error", error: ANSWER_FAILED });
      const sent = events.filter((event) => event.type === "content").map((event) => event.token);
      expect(sent.join("")).toBe("Biaya asrama adalah");
      const history = await session.history();
      expect(history?.history).toEqual([
        expect.objectContaining({ question: input.question, answer: "Biaya asrama adalah", complete: false }),
      ]);
      // The next question is not built on the broken answer.
      (bindings.AI as FakeWorkersAi).script = { tokens: ["Rp 750.000"] };
      await session.ask({ ...input, create: false, question: "Dan listriknya?" });
      const rewrite = (bindings.AI as FakeWorkersAi).calls.filter((call) => !call.inputs.stream).at(-1);
      expect(JSON.stringify(rewrite?.inputs.messages ?? [])).not.toContain("Biaya asrama adalah");
      expect((await session.history())?.history.map((entry) => entry.complete)).toEqual([false, true]);
    });
  });

  it("ends a silent model at ANSWER_TIMEOUT_SECONDS with an error, as 504 for JSON", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const timeoutMs = 30_000;
    const silent = liveModel();
    const bindings = model((ai) => (ai.script.live = silent.stream), {
      ANSWER_TIMEOUT_SECONDS: String(timeoutMs / 1000),
    });
    await withSession(bindings, async (session, input) => {
      const frames = frameReader(streamOf(await session.askStream(input)));
      await vi.advanceTimersByTimeAsync(0); // the streamed answer starts once its first bytes are out
      silent.say("Biaya ");
      const seen = [];
      while (seen.at(-1)?.type !== "content") {
        const frame = await frames.next();
        if (frame?.event) seen.push(frame.event);
      }
      // Then the model goes silent: nothing ends the answer until the deadline.
      let ended = false;
      const rest = (async () => {
        for (let frame = await frames.next(); frame; frame = await frames.next())
          if (frame.event) seen.push(frame.event);
        ended = true;
      })();
      await vi.advanceTimersByTimeAsync(timeoutMs - 1);
      expect(ended).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await rest;
      expect(seen.map((event) => event.type)).toEqual(["session", "content", "error"]);
      expect(seen.at(-1)?.error).toBe(ANSWER_TIMED_OUT);
      expect((await session.history())?.history[0]).toMatchObject({ answer: "Biaya ", complete: false });
      silent.say("terlambat");
      expect((await session.history())?.history[0]?.answer).toBe("Biaya ");
    });
    const stalled = liveModel();
    const stalledBindings = model((ai) => (ai.script.live = stalled.stream), {
      ANSWER_TIMEOUT_SECONDS: String(timeoutMs / 1000),
    });
    await withSession(stalledBindings, async (session, input) => {
      let outcome: unknown;
      const asked = session.ask(input).then((result) => {
        outcome = result;
      });
      const ai = stalledBindings.AI as FakeWorkersAi;
      // Retrieval takes real time; the fake clock, which the deadline runs on, stands still meanwhile.
      await until(() => ai.calls.some((call) => call.inputs.stream));
      await vi.advanceTimersByTimeAsync(timeoutMs - 1);
      expect(outcome).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await asked;
      expect(outcome).toEqual({ failure: { status: 504, detail: ANSWER_TIMED_OUT } });
      expect((await session.history())?.total_exchanges).toBe(0);
    });
  });

  it("reports an unavailable knowledge base as 503 and stores nothing", async () => {
    const unavailable = failingKnowledgeBase("search", "Durable Object reset because its code was updated.");
    await withSession({ KNOWLEDGE_BASE: unavailable }, async (session, input) => {
      expect(await session.ask(input)).toEqual({ failure: { status: 503, detail: KNOWLEDGE_BASE_UNAVAILABLE } });
      expect((await session.history())?.total_exchanges).toBe(0);
    });
  });

  it("reports an unavailable vector index as 503, and the same session answers once it is back", async () => {
    const failingVectors = failingKnowledgeBase(
      "hybridSearch",
      "VECTOR_QUERY_ERROR (code = 40006): service unavailable",
    );
    await withSession({ RETRIEVER: "hybrid", KNOWLEDGE_BASE: failingVectors }, async (down, input, reopen) => {
      expect(await down.ask(input)).toEqual({ failure: { status: 503, detail: KNOWLEDGE_BASE_UNAVAILABLE } });
      const back = reopen();
      expect(await back.ask({ ...input, create: false })).toMatchObject({ result: { question: input.question } });
      expect((await back.history())?.total_exchanges).toBe(1);
    });
  });
});
