import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, getJson, parseEvents, postJson, readEvents } from "./helpers";

describe("POST /ask streaming", () => {
  it("sends session, content tokens, source and done, in that order", async () => {
    const res = await postJson("/ask", { question: "Berapa biaya asrama per bulan?", stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEvents(res);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe("session");
    expect(types.at(-2)).toBe("source");
    expect(types.at(-1)).toBe("done");
    expect(types.slice(1, -2).every((type) => type === "content")).toBe(true);
    expect(types.filter((type) => type === "content").length).toBeGreaterThan(3);
    const source = events.at(-2) ?? {};
    expect(source.sources).toContain("fasilitas-kampus.md");
    expect(source.citations.length).toBeGreaterThan(0);
  });

  it("streams tokens that add up to the answer stored in history", async () => {
    const res = await postJson("/ask", { question: "Apa syarat Beasiswa Prestasi Akademik?", stream: true });
    const events = await readEvents(res);
    const sessionId = events[0]?.session_id;
    const streamed = events
      .filter((event) => event.type === "content")
      .map((event) => event.token)
      .join("");
    const { body } = await getJson(`/conversation/history/${sessionId}`);
    expect(body.history).toHaveLength(1);
    expect(body.history[0].answer).toBe(streamed);
    expect(body.history[0].sources).toEqual(events.at(-2)?.sources);
  });

  it("also streams when the client only sends Accept: text/event-stream", async () => {
    const res = await call("/ask", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ question: "Apa itu PMB?" }),
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect((await readEvents(res)).at(-1)).toEqual({ type: "done" });
  });

  it("sends the session event before any retrieval work", async () => {
    // Hold the knowledge base: retrieval cannot start until it is released.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const kb = env.KNOWLEDGE_BASE.getByName("main");
    await runInDurableObject(kb, async () => {}); // make sure it has started
    const holding = runInDurableObject(kb, (_, state) => state.blockConcurrencyWhile(() => held));
    const res = await postJson("/ask", { question: "Apa itu PMB?", stream: true });
    const reader = res.body?.getReader();
    const first = await reader?.read();
    const firstEvents = parseEvents(new TextDecoder().decode(first?.value));
    expect(firstEvents[0]?.type).toBe("session");
    expect(firstEvents.some((event) => event.type === "content")).toBe(false);
    release();
    await holding;
    let rest = "";
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(parseEvents(rest).at(-1)).toEqual({ type: "done" });
  });

  it("finishes and stores the answer when the client disconnects mid-stream", async () => {
    const res = await postJson("/ask", { question: "Bagaimana cara mendaftar PMB?", stream: true });
    const reader = res.body?.getReader();
    const first = await reader?.read();
    const sessionId = parseEvents(new TextDecoder().decode(first?.value))[0]?.session_id;
    await reader?.cancel();
    await expect
      .poll(async () => (await getJson(`/conversation/history/${sessionId}`)).body.total_exchanges, { timeout: 5000 })
      .toBe(1);
    const { body } = await getJson(`/conversation/history/${sessionId}`);
    expect(body.history[0].answer.length).toBeGreaterThan(20);
  });

  it("streams a 404 as JSON when the session does not exist", async () => {
    const res = await postJson("/ask", { question: "Apa itu PMB?", stream: true, session_id: "B".repeat(32) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Session not found" });
  });
});
