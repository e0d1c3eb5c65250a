import { describe, expect, it } from "vitest";
import { ask, postJson } from "./helpers";

// Each test speaks as its own client, so the counts of other tests do not mix in.
const asClient = () => ({ "cf-connecting-ip": `198.51.100.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}` });

describe("rate limits", () => {
  it("answers 429 with Retry-After once a client exceeds its requests per minute", async () => {
    const client = asClient();
    const statuses: number[] = [];
    // Cheap requests count too: the limit is checked before anything else is done.
    for (let i = 0; i < 301; i++) statuses.push((await postJson("/ask", {}, client)).status);
    expect(statuses.slice(0, 300).every((status) => status === 422)).toBe(true);
    const limited = await postJson("/ask", { question: "Apa itu PMB?" }, client);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(await limited.json()).toEqual({ detail: "Too many requests from this client. Please wait a minute." });
    expect((await postJson("/ask", {}, asClient())).status).toBe(422);
  });

  it("answers 429 once a session exceeds its questions per minute, whoever asks", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await postJson("/ask", { question: "Jelaskan lebih detail", session_id }, asClient())).status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    const limited = await postJson("/ask", { question: "Lagi", session_id }, asClient());
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(await limited.json()).toEqual({ detail: "Too many questions in this session. Please wait a minute." });
    expect((await postJson("/ask", { question: "Apa itu PMB?" }, asClient())).status).toBe(200);
  });
});
