import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { RetrievalQuery } from "../src/knowledge/retriever";
import { ask, callLocal, upload } from "./helpers";
import { withSession } from "./session-harness";

/** The real knowledge base, counting the searches that reach it. */
function countedKnowledgeBase(failFirst = 0) {
  const counted = {
    searches: 0,
    getByName(name: string) {
      const kb = env.KNOWLEDGE_BASE.getByName(name);
      return {
        search: async (query: RetrievalQuery) => {
          counted.searches += 1;
          if (counted.searches <= failFirst) throw new Error("Durable Object reset because its code was updated.");
          return kb.search(query);
        },
      };
    },
  };
  return counted;
}

describe("reusing searches", () => {
  // Started, with its sample documents loaded: loading them is a change that ends all reuse.
  beforeAll(() => env.KNOWLEDGE_BASE.getByName("main").stats());
  afterEach(() => {
    vi.useRealTimers();
  });

  it("searches the knowledge base once for a question many sessions ask, until SEARCH_CACHE_SECONDS pass", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const kb = countedKnowledgeBase();
    const bindings = { KNOWLEDGE_BASE: kb, SEARCH_CACHE_SECONDS: "10" };
    const question = "Berapa biaya sewa asrama mahasiswa?";
    const askInNewSession = () =>
      withSession(bindings, async (session, input) => {
        expect(await session.ask({ ...input, question })).toMatchObject({ result: { question } });
      });
    for (let i = 0; i < 3; i++) await askInNewSession();
    vi.setSystemTime(Date.now() + 9_999);
    await askInNewSession();
    expect(kb.searches).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    await askInNewSession();
    expect(kb.searches).toBe(2);
  });

  it("shares one search between sessions asking the same question at the same time", async () => {
    const kb = countedKnowledgeBase();
    const question = "Apakah asrama menyediakan Wi-Fi?";
    await Promise.all(
      Array.from({ length: 3 }, () =>
        withSession({ KNOWLEDGE_BASE: kb }, async (session, input) => {
          expect(await session.ask({ ...input, question })).toMatchObject({ result: { question } });
        }),
      ),
    );
    expect(kb.searches).toBe(1);
  });

  it("searches every question when SEARCH_CACHE_SECONDS is 0", async () => {
    const kb = countedKnowledgeBase();
    await withSession({ KNOWLEDGE_BASE: kb, SEARCH_CACHE_SECONDS: "0" }, async (session, input) => {
      await session.ask(input);
      await session.ask({ ...input, create: false });
    });
    expect(kb.searches).toBe(2);
  });

  it("does not remember a failed search: the same question is searched again and answered", async () => {
    const kb = countedKnowledgeBase(1);
    await withSession({ KNOWLEDGE_BASE: kb }, async (session, input) => {
      expect(await session.ask(input)).toMatchObject({ failure: { status: 503 } });
      expect(await session.ask({ ...input, create: false })).toMatchObject({ result: { question: input.question } });
    });
    expect(kb.searches).toBe(2);
  });

  it("answers from a new version of a document at once, and not from a deleted one", async () => {
    const question = "Kapan batas pembayaran UKT semester genap?";
    await upload("jadwal-ukt.txt", "Batas pembayaran UKT semester genap adalah tanggal 10 Januari pukul 23.59 WITA.");
    expect((await ask(question)).answer).toContain("10 Januari");
    await upload(
      "jadwal-ukt.txt",
      "Batas pembayaran UKT semester genap diundur ke tanggal 20 Januari pukul 23.59 WITA.",
    );
    const replaced = await ask(question);
    expect(replaced.answer).toContain("20 Januari");
    expect(replaced.answer).not.toContain("10 Januari");
    expect((await callLocal("/files/jadwal-ukt.txt", { method: "DELETE" })).status).toBe(200);
    expect((await ask(question)).sources).not.toContain("jadwal-ukt.txt");
  });
});
