import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ask, call, getJson, type Json, postJson } from "./helpers";
import { withSession } from "./session-harness";

const rate = (sessionId: string, body: unknown) => postJson(`/feedback/${sessionId}`, body);

async function storageWritten(id: string): Promise<number> {
  return runInDurableObject(env.SESSIONS.getByName(id), (_, state) =>
    Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM sqlite_master").one().n),
  );
}

async function twoExchanges(): Promise<string> {
  const { session_id } = await ask("Apa itu PMB?");
  await ask("Berapa biaya asrama?", { session_id });
  return session_id;
}

describe("POST /feedback", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("rates the latest answer by default and shows it in the history", async () => {
    const sessionId = await twoExchanges();
    const res = await rate(sessionId, { rating: "up" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "success",
      message: "Thank you for the feedback",
      data: { session_id: sessionId, exchange: 1, rating: "up" },
    });
    const { history } = (await getJson(`/conversation/history/${sessionId}`)).body;
    expect(history.map((entry: Json) => entry.feedback)).toEqual([null, { rating: "up", comment: null }]);
  });

  it("rates an earlier answer by its index, with a trimmed comment, and a second rating replaces the first", async () => {
    const sessionId = await twoExchanges();
    const first = await rate(sessionId, { rating: "down", exchange: 0, comment: "  Kurang jelas.  " });
    expect((await first.json<Json>()).data).toEqual({ session_id: sessionId, exchange: 0, rating: "down" });
    let { history } = (await getJson(`/conversation/history/${sessionId}`)).body;
    expect(history[0].feedback).toEqual({ rating: "down", comment: "Kurang jelas." });
    expect(history[1].feedback).toBeNull();

    expect((await rate(sessionId, { rating: "up", exchange: 0 })).status).toBe(200);
    ({ history } = (await getJson(`/conversation/history/${sessionId}`)).body);
    expect(history[0].feedback).toEqual({ rating: "up", comment: null });
  });

  it("carries the feedback into the JSON and Markdown exports", async () => {
    const sessionId = await twoExchanges();
    await rate(sessionId, { rating: "down", exchange: 1, comment: "Biaya per semester tidak disebut" });
    const exported = await (await call(`/conversation/export/${sessionId}`)).json<Json>();
    expect(exported.history.map((entry: Json) => entry.feedback)).toEqual([
      null,
      { rating: "down", comment: "Biaya per semester tidak disebut" },
    ]);
    const markdown = await (await call(`/conversation/export/${sessionId}?format=markdown`)).text();
    expect(markdown).toContain("Umpan balik: 👎 Biaya per semester tidak disebut");
    expect(markdown.match(/Umpan balik/g)).toHaveLength(1);
  });

  it("answers 404 Exchange not found for an index past the history, and changes nothing", async () => {
    const sessionId = await twoExchanges();
    for (const exchange of [2, 1_000_000]) {
      const res = await rate(sessionId, { rating: "up", exchange });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ detail: "Exchange not found" });
    }
    const { history } = (await getJson(`/conversation/history/${sessionId}`)).body;
    expect(history.map((entry: Json) => entry.feedback)).toEqual([null, null]);
  });

  it("counts indexes within the history shown, once older exchanges were dropped", async () => {
    await withSession({ MAX_HISTORY: "2" }, async (session, input) => {
      for (const question of ["Apa itu PMB?", "Berapa biaya asrama?", "Apa syarat beasiswa?"]) {
        await session.ask({ ...input, question });
      }
      expect(await session.feedback({ rating: "down", comment: null, exchange: 0 })).toEqual({ exchange: 0 });
      expect(await session.feedback({ rating: "up", comment: null, exchange: 2 })).toEqual({ exchange: null });
      const history = (await session.history())?.history ?? [];
      expect(history.map((entry) => [entry.question, entry.feedback?.rating ?? null])).toEqual([
        ["Berapa biaya asrama?", "down"],
        ["Apa syarat beasiswa?", null],
      ]);
    });
  });

  it("rates answers of a session stored before answers could be rated", async () => {
    await withSession({}, async (session, input, reopen) => {
      await session.ask(input);
      await runInDurableObject(env.SESSIONS.getByName(input.session_id), (_, state) => {
        for (const column of ["rating", "comment", "insight_id"]) {
          state.storage.sql.exec(`ALTER TABLE exchanges DROP COLUMN ${column}`);
        }
      });
      const upgraded = reopen();
      expect(await upgraded.feedback({ rating: "up", comment: "Jelas", exchange: null })).toEqual({ exchange: 0 });
      expect((await upgraded.history())?.history[0]?.feedback).toEqual({ rating: "up", comment: "Jelas" });
    });
  });

  it("answers 404 Session not found for a session never issued, writing nothing", async () => {
    for (const id of ["Zx9".padEnd(32, "f"), "not-an-id"]) {
      const res = await rate(id, { rating: "up" });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ detail: "Session not found" });
    }
    expect(await storageWritten("Zx9".padEnd(32, "f"))).toBe(0);
  });

  it("answers 404 for a deleted session and for an expired one, and keeps nothing of either", async () => {
    const deleted = await twoExchanges();
    await call(`/conversation/history/${deleted}`, { method: "DELETE" });
    const expired = await twoExchanges();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 2 * 3600 * 1000);
    for (const id of [deleted, expired]) {
      const res = await rate(id, { rating: "down", comment: "Tidak membantu" });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ detail: "Session not found" });
      await expect.poll(() => storageWritten(id)).toBe(0);
    }
  });

  it.each([
    ["rating", {}, "missing"],
    ["rating", { comment: "Bagus" }, "missing"],
    ["rating", { rating: "meh" }, "literal_error"],
    ["rating", { rating: 1 }, "literal_error"],
    ["exchange", { rating: "up", exchange: -1 }, "greater_than_equal"],
    ["exchange", { rating: "up", exchange: 1.5 }, "int_type"],
    ["exchange", { rating: "up", exchange: "0" }, "number_type"],
    ["exchange", { rating: "up", exchange: 1_000_001 }, "less_than_equal"],
    ["comment", { rating: "down", comment: "x".repeat(501) }, "string_too_long"],
    ["comment", { rating: "down", comment: 5 }, "string_type"],
  ])("rejects a bad %s with 422 in the list shape (%#), storing nothing", async (field, body, type) => {
    const sessionId = await twoExchanges();
    const res = await rate(sessionId, body);
    expect(res.status).toBe(422);
    expect((await res.json<Json>()).detail).toEqual([{ loc: ["body", field], msg: expect.any(String), type }]);
    const { history } = (await getJson(`/conversation/history/${sessionId}`)).body;
    expect(history.map((entry: Json) => entry.feedback)).toEqual([null, null]);
  });

  it("accepts a comment of exactly 500 characters", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    expect((await rate(session_id, { rating: "down", comment: "y".repeat(500) })).status).toBe(200);
  });

  it("refuses a body that is not JSON", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const plain = await call(`/feedback/${session_id}`, { method: "POST", body: "rating=up" });
    expect(plain.status).toBe(415);
    const broken = await call(`/feedback/${session_id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"rating": ',
    });
    expect(broken.status).toBe(422);
    expect((await broken.json<Json>()).detail[0].type).toBe("json_invalid");
  });
});
