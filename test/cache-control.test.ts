import { describe, expect, it } from "vitest";
import { ask, call, callLocal, postJson } from "./helpers";

describe("Cache-Control", () => {
  it("is no-store on every response about a session or what students asked, answers and errors alike", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const requests = [
      () => postJson("/ask", { question: "Berapa biaya kuliah?", session_id }),
      () => postJson("/ask", { question: "Berapa biaya asrama?", session_id, stream: true }),
      () => call(`/ask/stream/${session_id}`),
      () => call(`/conversation/history/${session_id}`),
      () => call(`/conversation/export/${session_id}`),
      () => call(`/conversation/export/${session_id}?format=markdown`),
      () => call(`/conversation/config/${session_id}`),
      () => postJson(`/conversation/config/${session_id}`, { context_window: 2 }),
      () => call(`/session/${session_id}`),
      () => callLocal("/sessions"),
      () => postJson(`/feedback/${session_id}`, { rating: "up" }),
      () => callLocal("/insights"),
      () => callLocal("/insights.csv"),
      () => call(`/session/${"C".repeat(32)}`),
      () => postJson("/ask", {}),
      () => call(`/conversation/history/${session_id}`, { method: "DELETE" }),
    ];
    for (const request of requests) {
      const res = await request();
      expect(res.headers.get("cache-control"), `${res.status} ${res.url}`).toBe("no-store");
      await res.text();
    }
  });
});
