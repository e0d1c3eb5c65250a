import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type AskInput, SessionObject } from "../src/session-object";
import { FakeWorkersAi } from "./fake-workers-ai";
import { parseEvents } from "./helpers";

// A real session object over real storage, answering with a model (or a
// knowledge base) that fails.
async function withSession(
  bindings: Record<string, unknown>,
  test: (session: SessionObject, input: AskInput) => Promise<void>,
) {
  const sessionId = crypto.randomUUID().replaceAll("-", "").padEnd(32, "x");
  const stub = env.SESSIONS.getByName(sessionId);
  await runInDurableObject(stub, async (_, state) => {
    const session = new SessionObject(state, { ...env, ...bindings } as unknown as Env);
    const input = {
      session_id: sessionId,
      create: true,
      question: "Berapa biaya asrama?",
      top_k: 3,
      filename_filter: null,
    };
    await test(session, input);
  });
}

const failingModel = () => {
  const ai = new FakeWorkersAi();
  ai.chat.failBeforeFirstToken = true;
  return { GENERATOR: "workers-ai", AI: ai };
};

describe("when answering fails", () => {
  it("reports a model failure as 502 and stores nothing, leaving the session usable", async () => {
    await withSession(failingModel(), async (session, input) => {
      expect(await session.ask(input)).toEqual({
        failure: { status: 502, detail: "The answer could not be generated. Please try again." },
      });
      expect((await session.history())?.total_exchanges).toBe(0);
    });
  });

  it("ends a stream whose model breaks off with an error event, storing nothing", async () => {
    const ai = new FakeWorkersAi();
    ai.chat.events = [JSON.stringify({ response: "Biaya asrama " })];
    await withSession({ GENERATOR: "workers-ai", AI: ai }, async (session, input) => {
      const stream = await session.askStream(input);
      const events = parseEvents(await new Response(stream).text());
      expect(events.map((event) => event.type)).toEqual(["session", "content", "error"]);
      expect(events.at(-1)?.error).toBe("The answer could not be generated. Please try again.");
      expect((await session.history())?.total_exchanges).toBe(0);
    });
  });

  it("reports an unavailable knowledge base as 503", async () => {
    const unavailable = {
      getByName: () => ({
        search: async () => {
          throw new Error("Durable Object reset because its code was updated.");
        },
      }),
    };
    await withSession({ KNOWLEDGE_BASE: unavailable }, async (session, input) => {
      const outcome = await session.ask(input);
      expect(outcome).toEqual({
        failure: { status: 503, detail: "The knowledge base is unavailable right now. Please try again shortly." },
      });
    });
  });
});
