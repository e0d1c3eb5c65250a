import { describe, expect, it } from "vitest";
import { anotherClient, ask, postJson } from "./helpers";

// Each test speaks as its own client, so the counts of other tests do not mix in.
const asClient = () => ({ "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}` });

/**
 * Sends until the first 429 and returns it with how many were let through.
 * The limiter counts in fixed one-minute windows: a window may turn over
 * during the run and let up to one more window's worth through, never fewer.
 */
async function untilLimited(send: () => Promise<Response>, limit: number) {
  for (let passed = 0; passed <= 2 * limit; passed++) {
    const res = await send();
    if (res.status === 429) return { passed, res };
    await res.body?.cancel();
  }
  throw new Error(`never limited after ${2 * limit + 1} requests`);
}

describe("rate limits", () => {
  it("answers 429 with Retry-After once a client exceeds its requests per minute", async () => {
    const client = asClient();
    // Cheap requests count too: the limit is checked before anything else is done.
    const { passed, res } = await untilLimited(() => postJson("/ask", {}, client), 300);
    expect(passed).toBeGreaterThanOrEqual(300);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(await res.json()).toEqual({ detail: "Too many requests from this client. Please wait a minute." });
    expect((await postJson("/ask", {}, asClient())).status).toBe(422);
  });

  it("answers 429 once a session exceeds its questions per minute, whoever asks", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const follow = () => postJson("/ask", { question: "Jelaskan lebih detail", session_id }, asClient());
    const { passed, res } = await untilLimited(follow, 30);
    expect(passed).toBeGreaterThanOrEqual(30);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(await res.json()).toEqual({ detail: "Too many questions in this session. Please wait a minute." });
    expect((await postJson("/ask", { question: "Apa itu PMB?" }, asClient())).status).toBe(200);
  });

  it("answers 429 once one client starts too many new sessions, each with its own budgets", async () => {
    const client = { "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250)}` };
    const start = () => postJson("/ask", { question: "Apa itu PMB?" }, client);
    const { passed, res } = await untilLimited(start, 20);
    expect(passed).toBeGreaterThanOrEqual(20);
    expect(passed).toBeLessThan(60);
    expect(res.headers.get("retry-after")).toBe("60");
    expect((await res.json<{ detail: string }>()).detail).toMatch(/new sessions.*session_id/);
    // A session already started goes on.
    const { session_id } = await ask("Apa itu PMB?", { stream: false });
    expect((await postJson("/ask", { question: "Jelaskan lebih detail", session_id }, client)).status).toBe(200);
  });

  it("counts a whole IPv6 /64 as one client, however its addresses rotate", async () => {
    const prefix = anotherClient().split(":").slice(0, 4).join(":");
    let host = 0;
    const start = () =>
      postJson("/ask", { question: "Apa itu PMB?" }, { "cf-connecting-ip": `${prefix}:${(++host).toString(16)}::1` });
    const { passed } = await untilLimited(start, 20);
    expect(passed).toBeLessThan(60);
    // Another /64 is another client.
    expect((await postJson("/ask", { question: "Apa itu PMB?" }, { "cf-connecting-ip": anotherClient() })).status).toBe(
      200,
    );
  });
});
