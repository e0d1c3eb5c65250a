import { describe, expect, it } from "vitest";
import { FakeWorkersAi, liveModel } from "./fake-workers-ai";
import { withSession } from "./session-harness";

describe("per-session budgets", () => {
  it("refuses questions beyond MAX_QUESTIONS_PER_SESSION, keeping what was answered", async () => {
    await withSession({ MAX_QUESTIONS_PER_SESSION: "2" }, async (session, input) => {
      expect(await session.ask(input)).toHaveProperty("result");
      expect(await session.ask({ ...input, create: false })).toHaveProperty("result");
      expect(await session.ask({ ...input, create: false })).toEqual({
        failure: {
          status: 429,
          detail: "This session has reached its limit of 2 questions. Start a new session to ask more.",
        },
      });
      expect((await session.history())?.total_exchanges).toBe(2);
    });
  });

  it("never streams more answer tokens than MAX_ANSWER_TOKENS_PER_SESSION, then refuses", async () => {
    await withSession({ MAX_ANSWER_TOKENS_PER_SESSION: "5" }, async (session, input) => {
      const outcome = await session.ask({ ...input, question: "Apa syarat Beasiswa Prestasi Akademik?" });
      const answer = outcome && "result" in outcome ? outcome.result.answer : "";
      expect(answer.split(" ").filter(Boolean)).toHaveLength(5);
      expect(await session.ask({ ...input, create: false })).toEqual({
        failure: {
          status: 429,
          detail: "This session has used up its answer budget. Start a new session to ask more.",
        },
      });
    });
  });

  it("gives the model only the tokens the session has left", async () => {
    const ai = new FakeWorkersAi();
    ai.script.tokens = ["Rp ", "750.000"];
    await withSession(
      { GENERATOR: "workers-ai", AI: ai, MAX_ANSWER_TOKENS_PER_SESSION: "100", MODEL_MAX_TOKENS: "2048" },
      async (session, input) => {
        await session.ask(input);
        expect(ai.calls.at(-1)?.inputs.max_tokens).toBe(100);
        await session.ask({ ...input, create: false, question: "Berapa biaya asrama per bulan?" });
        expect(ai.calls.filter((call) => call.inputs.stream).at(-1)?.inputs.max_tokens).toBe(98);
      },
    );
  });

  it("answers at most MAX_CONCURRENT_ANSWERS questions at once, asking the rest to retry shortly", async () => {
    const models: Array<ReturnType<typeof liveModel>> = [];
    const ai = new FakeWorkersAi();
    const run = ai.run.bind(ai);
    // Each streamed answer is a model the test drives; follow-ups are rewritten by the stand-in.
    ai.run = async (model, inputs, options) => {
      if (!(inputs as { stream?: boolean }).stream) return run(model, inputs, options);
      const live = liveModel();
      models.push(live);
      return live.stream;
    };
    await withSession({ GENERATOR: "workers-ai", AI: ai, MAX_CONCURRENT_ANSWERS: "2" }, async (session, input) => {
      const first = session.ask(input);
      await expect.poll(() => models.length).toBe(1);
      const second = session.ask({ ...input, create: false });
      await expect.poll(() => models.length).toBe(2);
      expect(await session.ask({ ...input, create: false })).toEqual({
        failure: {
          status: 429,
          detail: "This session is already answering 2 questions; wait for one to finish.",
          retryAfter: 1,
        },
      });
      for (const model of models) {
        model.say("Rp 750.000");
        model.finish();
      }
      expect(await first).toHaveProperty("result");
      expect(await second).toHaveProperty("result");
      const third = session.ask({ ...input, create: false });
      await expect.poll(() => models.length).toBe(3);
      models[2]?.finish();
      expect(await third).toHaveProperty("result");
    });
  });

  it("keeps only the latest MAX_HISTORY exchanges but counts them all", async () => {
    await withSession({ MAX_HISTORY: "3" }, async (session, input) => {
      const questions = [
        "Apa itu PMB?",
        "Berapa biaya asrama?",
        "Apa syarat beasiswa?",
        "Kapan wisuda?",
        "Apa itu KRS?",
      ];
      for (const [i, question] of questions.entries()) await session.ask({ ...input, create: i === 0, question });
      const history = await session.history();
      expect(history?.total_exchanges).toBe(5);
      expect(history?.history.map((entry) => entry.question)).toEqual(questions.slice(2));
      expect((await session.info())?.stats.questions_asked).toBe(5);
    });
  });
});
