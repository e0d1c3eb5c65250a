import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/http/app";

const QUESTION = "Berapa biaya asrama untuk mahasiswa baru?";

type Send = (path: string, init?: RequestInit) => Promise<Response>;

/** The request log lines written while `requests` runs against the app with these settings. */
async function loggedLines(vars: Record<string, string>, requests: (send: Send) => Promise<void>) {
  const written: Array<{ method: "info" | "error"; line: string }> = [];
  const spies = (["info", "error"] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation((line) => written.push({ method, line: String(line) })),
  );
  try {
    await requests(async (path, init) => app.request(path, init, { ...env, ...vars }));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  // Other error lines (the cause of a 500) are not request lines.
  return written.filter(({ line }) => line.includes('"request_id"'));
}

const askInit = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("request logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("write one JSON line per request with id, route, status, latency and a hash of the session, never the id or question", async () => {
    let sessionId = "";
    const lines = await loggedLines({}, async (send) => {
      const asked = (await (await send("/ask", askInit({ question: QUESTION }))).json()) as { session_id: string };
      sessionId = asked.session_id;
      await send(`/conversation/history/${sessionId}`);
      await send(`/session/${"Z".repeat(32)}`);
    });
    const entries = lines.map(({ line }) => JSON.parse(line));
    expect(entries).toHaveLength(3);
    expect(lines.map(({ method }) => method)).toEqual(["info", "info", "info"]);
    expect(entries[0]).toMatchObject({ level: "info", method: "POST", route: "/ask", status: 200 });
    expect(entries[1]).toMatchObject({ route: "/conversation/history/:session_id", status: 200 });
    expect(entries[2]).toMatchObject({ route: "/session/:session_id", status: 404 });
    for (const entry of entries) {
      expect(entry.request_id).toMatch(/^[\w-]{8,}$/);
      expect(entry.latency_ms).toBeGreaterThanOrEqual(0);
    }
    expect(entries[0].session).toMatch(/^[0-9a-f]{12}$/);
    expect(entries[1].session).toBe(entries[0].session);
    const everything = lines.map(({ line }) => line).join("\n");
    expect(everything).not.toContain(sessionId);
    expect(everything).not.toContain("Z".repeat(32));
    expect(everything).not.toContain(QUESTION);
  });

  it("include the question only when LOG_QUESTIONS=true", async () => {
    const lines = await loggedLines({ LOG_QUESTIONS: "true" }, async (send) => {
      await send("/ask", askInit({ question: QUESTION }));
    });
    expect(JSON.parse(lines[0]?.line ?? "{}").question).toBe(QUESTION);
  });

  it("write a failed request's line as an error", async () => {
    const lines = await loggedLines({ SESSION_TIMEOUT_SECONDS: "soon" }, async (send) => {
      await send("/health");
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.method).toBe("error");
    expect(JSON.parse(lines[0]?.line ?? "{}")).toMatchObject({ level: "error", route: "/*", status: 500 });
  });
});
