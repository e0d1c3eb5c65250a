import { describe, expect, it } from "vitest";
import { ask, call, getJson, type Json, postJson } from "./helpers";

describe("conversation endpoints", () => {
  it("returns the history with the contract's fields, oldest first", async () => {
    const first = await ask("Apa itu PMB?");
    await ask("Berapa biaya pendaftaran?", { session_id: first.session_id });
    const { status, body } = await getJson(`/conversation/history/${first.session_id}`);
    expect(status).toBe(200);
    expect(body.session_id).toBe(first.session_id);
    expect(body.total_exchanges).toBe(2);
    expect(body.history[0]).toEqual({
      question: "Apa itu PMB?",
      answer: first.answer,
      sources: first.sources,
      citations: first.citations,
      timestamp: first.timestamp,
      complete: true,
      feedback: null,
    });
  });

  it("sets and reads the context window", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const set = await postJson(`/conversation/config/${session_id}`, { context_window: 7 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({
      status: "success",
      message: "Context window set to 7 exchanges",
      data: { session_id, context_window: 7 },
    });
    const { body } = await getJson(`/conversation/config/${session_id}`);
    expect(body.data).toEqual({ session_id, context_window: 7 });
    expect((await getJson(`/session/${session_id}`)).body.config).toEqual({ context_window: 7 });
  });

  it("exports the conversation as a JSON attachment", async () => {
    const { session_id, answer } = await ask("Apa itu PMB?");
    const res = await call(`/conversation/export/${session_id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="percakapan-.*\.json"$/);
    const body = await res.json<Json>();
    expect(Object.keys(body).sort()).toEqual(["config", "created_at", "exported_at", "history", "session_id"]);
    expect(body.config).toEqual({ context_window: 3 });
    expect(body.history[0].answer).toBe(answer);
  });

  it("exports a readable Markdown transcript", async () => {
    const { session_id, answer, sources } = await ask("Apa itu PMB?");
    const res = await call(`/conversation/export/${session_id}?format=markdown`);
    expect(res.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(res.headers.get("content-disposition")).toMatch(/\.md"$/);
    const text = await res.text();
    expect(text).toContain("## 1. Apa itu PMB?");
    expect(text).toContain(answer);
    expect(sources).toContain("pmb-jadwal.md");
    expect(text).toContain(`Sumber: ${sources.join(", ")}`);
  });

  it("reports session lifetime and statistics", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    await ask("Jelaskan lebih detail", { session_id });
    const { body } = await getJson(`/session/${session_id}`);
    expect(body.session_id).toBe(session_id);
    expect(body.total_exchanges).toBe(2);
    expect(body.stats.questions_asked).toBe(2);
    expect(body.stats.average_answer_ms).toEqual(expect.any(Number));
    const expiresIn = Date.parse(body.expires_at) - Date.parse(body.last_activity);
    expect(expiresIn).toBe(3600 * 1000);
    for (const field of ["created_at", "last_activity", "expires_at"]) expect(body[field]).toMatch(/\+08:00$/);
  });
});
