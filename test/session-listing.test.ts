import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { INDEX_SHARDS, indexShard, indexShardFor } from "../src/session/session-index";
import { ask, callLocal, getLocalJson, type Json, postJson } from "./helpers";

async function listAll(limit: number): Promise<Json[]> {
  const seen: Json[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : "";
    const { status, body } = await getLocalJson(`/sessions?limit=${limit}${query}`);
    expect(status).toBe(200);
    expect(body.data.length).toBeLessThanOrEqual(limit);
    expect(body.message).toBe(`Found ${body.data.length} active sessions`);
    seen.push(...body.data);
    cursor = body.next_cursor;
  } while (cursor);
  return seen;
}

describe("GET /sessions", () => {
  it("lists a session as soon as the question that created it is answered", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const listed = (await listAll(100)).find((s) => s.session_id === session_id);
    expect(listed).toMatchObject({ session_id, total_exchanges: expect.any(Number) });
    const streamed = await postJson("/ask", { question: "Apa itu PMB?", stream: true });
    const id = /"session_id":"([^"]+)"/.exec(await readFirstEvent(streamed))?.[1];
    expect((await listAll(100)).some((s) => s.session_id === id)).toBe(true);
    await streamed.body?.cancel();
  });

  it("pages through every live session exactly once", async () => {
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) created.add((await ask(`Apa itu PMB? ${i}`)).session_id);
    expect((await listAll(100)).filter((s) => created.has(s.session_id)).length).toBe(7);
    const paged = await listAll(3);
    const ids = paged.map((s) => s.session_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of created) expect(ids).toContain(id);
    const created_at = paged.map((s) => Date.parse(s.created_at));
    expect([...created_at].sort((a, b) => b - a)).toEqual(created_at);
    for (const entry of paged) {
      expect(Object.keys(entry).sort()).toEqual([
        "created_at",
        "expires_at",
        "last_activity",
        "session_id",
        "total_exchanges",
      ]);
    }
  });

  it("keeps the order when the newest sessions all sit in one index shard", async () => {
    // Far in the future, so these are the newest entries in the listing.
    const base = Date.now() + 10 * 365 * 86_400_000;
    const entries = Array.from({ length: 40 }, (_, i) => ({
      session_id: `skewed-${String(i).padStart(2, "0")}`,
      created_at: base + (i < 30 ? 1000 + i : i * 3),
      last_activity: base,
      expires_at: base + 86_400_000,
      total_exchanges: 0,
    }));
    for (const [i, entry] of entries.entries()) {
      await indexShard(env, i < 30 ? 1 : i % INDEX_SHARDS).put(entry);
    }
    const expected = [...entries].sort((a, b) => b.created_at - a.created_at).map((entry) => entry.session_id);
    const listed = (await listAll(7)).map((s) => s.session_id).filter((id) => id.startsWith("skewed-"));
    expect(listed).toEqual(expected);
  });

  it("counts the live sessions on every page, one fewer once a session is deleted", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    await expect.poll(async () => (await listAll(100)).some((s) => s.session_id === session_id)).toBe(true);
    const totals: number[] = [];
    let listed = 0;
    let cursor: string | null = null;
    do {
      const { body }: { body: Json } = await getLocalJson(`/sessions?limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      totals.push(body.total);
      listed += body.data.length;
      cursor = body.next_cursor;
    } while (cursor);
    expect(totals.length).toBeGreaterThan(1);
    expect(new Set(totals)).toEqual(new Set([listed]));
    await callLocal(`/conversation/history/${session_id}`, { method: "DELETE" });
    expect((await getLocalJson("/sessions?limit=1")).body.total).toBe(listed - 1);
  });

  it("drops deleted sessions from the listing", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    expect((await listAll(100)).some((s) => s.session_id === session_id)).toBe(true);
    await callLocal(`/conversation/history/${session_id}`, { method: "DELETE" });
    expect((await listAll(100)).some((s) => s.session_id === session_id)).toBe(false);
  });

  it("keeps updating and deleting a session's entry after its index shard was reset", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const listed = async () => (await listAll(100)).find((s) => s.session_id === session_id)?.total_exchanges;
    await expect.poll(listed).toBe(1);
    // A reset breaks the stubs other objects hold to the shard, as an overload or a restart would.
    await runInDurableObject(indexShardFor(env, session_id), (_, state) => state.abort("reset")).catch(() => {});
    await ask("Berapa biaya kuliah?", { session_id });
    await expect.poll(listed).toBe(2);
    expect((await callLocal(`/conversation/history/${session_id}`, { method: "DELETE" })).status).toBe(200);
    expect(await listed()).toBeUndefined();
  });

  it("rejects a cursor it did not issue and limits outside 1-100", async () => {
    expect((await getLocalJson("/sessions?cursor=garbage!")).status).toBe(422);
    expect((await getLocalJson("/sessions?limit=0")).status).toBe(422);
    expect((await getLocalJson("/sessions?limit=101")).status).toBe(422);
    expect((await getLocalJson("/sessions?limit=abc")).status).toBe(422);
  });
});

/** The stream's first event, read before the answer is done. */
async function readFirstEvent(res: Response): Promise<string> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes('"session_id"')) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}
