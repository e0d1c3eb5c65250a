import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SessionObject } from "../src/session/session-object";
import { ask, getJson, getLocalJson } from "./helpers";

const HOUR = 3600 * 1000;
const stubOf = (sessionId: string) => env.SESSIONS.getByName(sessionId);

async function storedTables(sessionId: string): Promise<number> {
  return runInDurableObject(stubOf(sessionId), (_, state) =>
    Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM sqlite_master").one().n),
  );
}

describe("session expiry", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("deletes an idle session's storage when its alarm runs", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    vi.setSystemTime(Date.now() + HOUR + 1000);
    expect(await runDurableObjectAlarm(stubOf(session_id))).toBe(true);
    expect(await storedTables(session_id)).toBe(0);
    expect((await getJson(`/conversation/history/${session_id}`)).status).toBe(404);
  });

  it("pushes expiry forward on every use", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const before = (await getJson(`/session/${session_id}`)).body.expires_at;
    vi.setSystemTime(Date.now() + 0.8 * HOUR);
    const { body } = await getJson(`/session/${session_id}`);
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.parse(before));
    vi.setSystemTime(Date.now() + 0.8 * HOUR); // 1.6 h after creation, 0.8 h idle
    await runDurableObjectAlarm(stubOf(session_id));
    expect((await getJson(`/conversation/history/${session_id}`)).status).toBe(200);
  });

  it("ends a session at its absolute lifetime however busy it is", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const created = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - created < 25 * HOUR) {
      vi.setSystemTime(Date.now() + 0.9 * HOUR);
      status = (await getJson(`/session/${session_id}`)).status;
    }
    expect(status).toBe(404);
    expect(Date.now() - created).toBeGreaterThanOrEqual(24 * HOUR);
    expect(Date.now() - created).toBeLessThan(25 * HOUR);
    await expect.poll(() => storedTables(session_id)).toBe(0);
  });

  it("treats a session past its expiry as gone even before the alarm runs", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    vi.setSystemTime(Date.now() + 2 * HOUR);
    expect((await getJson(`/session/${session_id}`)).status).toBe(404);
  });

  it("does no harm when the same alarm is delivered twice or after deletion", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    vi.setSystemTime(Date.now() + 2 * HOUR);
    await runDurableObjectAlarm(stubOf(session_id));
    await runInDurableObject(stubOf(session_id), (instance: SessionObject) => instance.alarm());
    await runInDurableObject(stubOf(session_id), (instance: SessionObject) => instance.alarm());
    expect(await storedTables(session_id)).toBe(0);
    expect(await runInDurableObject(stubOf(session_id), (_, state) => state.storage.getAlarm())).toBeNull();
  });

  it("keeps a session that was used after its alarm was scheduled, and re-arms the alarm", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    vi.setSystemTime(Date.now() + 0.9 * HOUR);
    await ask("Jelaskan lebih detail", { session_id });
    const expected = Date.now() + HOUR;
    // The alarm for the first expiry arrives late, after the new activity.
    vi.setSystemTime(Date.now() + 0.2 * HOUR);
    await runInDurableObject(stubOf(session_id), (instance: SessionObject) => instance.alarm());
    const { status, body } = await getJson(`/conversation/history/${session_id}`);
    expect(status).toBe(200);
    expect(body.total_exchanges).toBe(2);
    const alarm = await runInDurableObject(stubOf(session_id), (_, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(expected);
  });

  it("finishes on the retried alarm when an attempt fails partway", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    await expect
      .poll(async () => JSON.stringify((await getLocalJson("/sessions?limit=100")).body))
      .toContain(session_id);
    vi.setSystemTime(Date.now() + 2 * HOUR);
    const indexDown = {
      getByName: () => ({
        put: async () => {},
        remove: async () => {
          throw new Error("Network connection lost.");
        },
      }),
    };
    await runInDurableObject(stubOf(session_id), async (_, state) => {
      const attempt = new SessionObject(state, { ...env, SESSION_INDEX: indexDown } as unknown as Env);
      await expect(attempt.alarm()).rejects.toThrow("Network connection lost.");
    });
    // Nothing was deleted by the failed attempt, so the retry does it all.
    expect(await storedTables(session_id)).toBeGreaterThan(0);
    expect(await runDurableObjectAlarm(stubOf(session_id))).toBe(true);
    expect(await storedTables(session_id)).toBe(0);
    expect(JSON.stringify((await getLocalJson("/sessions?limit=100")).body)).not.toContain(session_id);
  });

  it("survives the object being evicted from memory", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    await evictDurableObject(stubOf(session_id));
    const { status, body } = await getJson(`/conversation/history/${session_id}`);
    expect(status).toBe(200);
    expect(body.history[0].question).toBe("Apa itu PMB?");
  });
});
