import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ask, call, postJson } from "./helpers";

function sessionRequests(id: string): Array<[string, () => Promise<Response>]> {
  return [
    ["POST /ask", () => postJson("/ask", { question: "Apa itu PMB?", session_id: id })],
    ["POST /ask stream", () => postJson("/ask", { question: "Apa itu PMB?", session_id: id, stream: true })],
    ["GET history", () => call(`/conversation/history/${id}`)],
    ["DELETE history", () => call(`/conversation/history/${id}`, { method: "DELETE" })],
    ["DELETE conversation", () => call(`/conversation/${id}`, { method: "DELETE" })],
    ["GET config", () => call(`/conversation/config/${id}`)],
    ["POST config", () => postJson(`/conversation/config/${id}`, { context_window: 5 })],
    ["GET export", () => call(`/conversation/export/${id}`)],
    ["GET export markdown", () => call(`/conversation/export/${id}?format=markdown`)],
    ["GET session", () => call(`/session/${id}`)],
    ["POST feedback", () => postJson(`/feedback/${id}`, { rating: "down", comment: "Tidak membantu" })],
  ];
}

async function expectNotFoundEverywhere(id: string) {
  for (const [name, send] of sessionRequests(id)) {
    const res = await send();
    expect({ name, status: res.status, body: await res.json() }).toEqual({
      name,
      status: 404,
      body: { detail: "Session not found" },
    });
  }
}

async function storageWritten(id: string): Promise<{ tables: number; alarm: number | null }> {
  return runInDurableObject(env.SESSIONS.getByName(id), async (_, state) => ({
    tables: Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM sqlite_master").one().n),
    alarm: await state.storage.getAlarm(),
  }));
}

describe("unknown sessions", () => {
  it("answers 404 on every endpoint for a well-formed id that was never issued, writing nothing", async () => {
    const id = "Zx9".padEnd(32, "q");
    await expectNotFoundEverywhere(id);
    expect(await storageWritten(id)).toEqual({ tables: 0, alarm: null });
  });

  it("answers 404 for ids that could never have been issued", async () => {
    for (const id of ["abc", "x".repeat(31), "not/valid", "%00", "a".repeat(200)]) {
      const res = await call(`/session/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(404);
    }
  });

  it("answers 404 everywhere once a session is deleted, and keeps no storage", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const res = await call(`/conversation/history/${session_id}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "success", message: "Session deleted", data: { session_id } });
    await expectNotFoundEverywhere(session_id);
    expect(await storageWritten(session_id)).toEqual({ tables: 0, alarm: null });
  });

  it("deletes through the short alias too", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    expect((await call(`/conversation/${session_id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call(`/session/${session_id}`)).status).toBe(404);
  });
});
