import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../scripts/local-server.ts";

// The production answer path end to end: the session object calling the
// workers-ai generator through an AI binding. The bench configuration binds a
// fake chat model as AI, which streams 20 tokens of the form "t<ms> ".
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer({}, "bench/wrangler.bench.toml");
}, 120_000);
afterAll(() => server?.stop());

async function ask(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("answers written by a Workers AI model", () => {
  it("returns and stores the model's streamed text as the answer, with the retrieved sources", async () => {
    const res = await ask({ question: "Berapa biaya asrama per bulan?" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { answer: string; sources: string[]; session_id: string };
    expect(body.answer).toMatch(/^(t\d+ ){20}$/);
    expect(body.sources[0]).toBe("fasilitas-kampus.md");
    const history = (await (await fetch(`${server.url}/conversation/history/${body.session_id}`)).json()) as {
      history: Array<{ answer: string }>;
    };
    expect(history.history[0]?.answer).toBe(body.answer);
    const health = (await (await fetch(`${server.url}/health`)).json()) as { generator: string };
    expect(health.generator).toBe("workers-ai");
  });

  it("streams the model's tokens as content events that add up to the stored answer", async () => {
    const res = await ask({ question: "Berapa biaya asrama per bulan? ⏱", stream: true });
    const events = (await res.text())
      .split("\n\n")
      .map((block) => block.split("\n").find((line) => line.startsWith("data: ")))
      .filter((line) => line !== undefined)
      .map((line) => JSON.parse(line.slice(6)));
    expect(events.map((event) => event.type)).toEqual(["session", ...new Array(20).fill("content"), "source", "done"]);
    const streamed = events
      .filter((event) => event.type === "content")
      .map((event) => event.token)
      .join("");
    const history = (await (await fetch(`${server.url}/conversation/history/${events[0].session_id}`)).json()) as {
      history: Array<{ answer: string }>;
    };
    expect(history.history[0]?.answer).toBe(streamed);
  });
});
