import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/http/app";
import { insightsObject } from "../src/insights/insights-object";
import { ask, type Json, postJson } from "./helpers";
import { withSession } from "./session-harness";

const TOKEN = "insights-admin-token-long-enough-for-the-rule";
const withToken = { ...env, ADMIN_TOKEN: TOKEN };
const admin = (path: string, authorization = `Bearer ${TOKEN}`) =>
  app.request(path, { headers: { authorization } }, withToken);

async function report(): Promise<Json> {
  const res = await admin("/insights?days=1");
  expect(res.status).toBe(200);
  return res.json();
}

// Every test files its questions under a day of its own, far from any other
// test's, and reads that one day: the service's insights object is shared.
let day = 0;
function ownDay(): void {
  day += 1;
  vi.setSystemTime(Date.UTC(2040, 0, 1, 4) + (Math.floor(Math.random() * 3000) * 10 + day) * 86_400_000);
}

/** Everything the insights object has stored, as text. */
async function storedInsights(): Promise<string> {
  return runInDurableObject(insightsObject(env), (_, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
      )
      .toArray();
    return JSON.stringify(tables.map(({ name }) => state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()));
  });
}

describe("GET /insights", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    ownDay();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reports what was asked, what went unanswered and what was disliked, from real conversations", async () => {
    const { session_id } = await ask("Kapan pendaftaran PMB gelombang 1 dibuka?");
    await ask("kapan pendaftaran pmb gelombang 1 dibuka", { session_id });
    await ask("Kapan pendaftaran PMB gelombang 1 dibuka?", { session_id });
    const other = await ask("Xylofon kuantum zebra?");
    await ask("xylofon  kuantum, zebra", { session_id: other.session_id });
    await ask("xylofon  kuantum, zebra", { session_id: other.session_id });
    expect((await postJson(`/feedback/${session_id}`, { rating: "down", comment: "Tanggalnya?" })).status).toBe(200);
    expect((await postJson(`/feedback/${other.session_id}`, { rating: "up", exchange: 0 })).status).toBe(200);

    await expect.poll(async () => (await report()).feedback).toEqual({ up: 1, down: 1 });
    const insights = await report();
    expect(insights).toMatchObject({ questions: 6, answered: 3 });
    expect(insights.top_questions).toEqual([
      { question: "Kapan pendaftaran PMB gelombang 1 dibuka?", count: 3 },
      { question: "xylofon  kuantum, zebra", count: 3 },
    ]);
    expect(insights.unanswered).toEqual([
      { question: "xylofon  kuantum, zebra", count: 3, last_asked: expect.stringMatching(/\+08:00$/) },
    ]);
    expect(insights.disliked).toEqual([
      {
        question: "Kapan pendaftaran PMB gelombang 1 dibuka?",
        answer_excerpt: expect.stringContaining("2 Januari 2027"),
        comment: "Tanggalnya?",
        count: 1,
      },
    ]);
    expect(insights.top_sources[0]).toEqual({ filename: "pmb-jadwal.md", citations: 3 });
    expect(insights.per_day).toEqual([{ date: insights.period.to, questions: 6, unanswered: 3 }]);
    expect(insights.latency_ms.p95).toBeGreaterThanOrEqual(insights.latency_ms.p50);
  });

  it("gives the same rows as CSV for a spreadsheet, with formulas neutralised", async () => {
    const { session_id } = await ask('=HYPERLINK("http://contoh.test","klik")');
    await postJson(`/feedback/${session_id}`, { rating: "down", comment: 'Jawaban "aneh", tolong\nperbaiki' });
    await expect.poll(async () => (await report()).disliked.length).toBe(1);
    const insights = await report();
    const res = await admin("/insights.csv?days=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="insights-${insights.period.from}-${insights.period.to}.csv"`,
    );
    const csv = await res.text();
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("section,date,question,filename,value,unanswered,last_asked,answer_excerpt,comment");
    expect(lines).toContain("questions,,,,1,,,,");
    expect(lines).toContain("feedback_down,,,,1,,,,");
    expect(lines).toContain(`per_day,${insights.period.to},,,1,1,,,`);
    expect(csv).toContain(
      `unanswered,,"'=HYPERLINK(""http://contoh.test"",""klik"")",,1,,${insights.unanswered[0].last_asked},,`,
    );
    expect(csv).toContain(`"Jawaban ""aneh"", tolong\nperbaiki"`);
  });

  it("records only counts when RECORD_QUESTIONS is false", async () => {
    await withSession({ RECORD_QUESTIONS: "false" }, async (session, input) => {
      await session.ask({ ...input, question: "Nama saya Siti, NIM 2027001: kapan wisuda?" });
      expect(await session.feedback({ rating: "down", comment: "Saya Siti", exchange: null })).toEqual({ exchange: 0 });
    });
    await expect.poll(async () => (await report()).feedback.down).toBe(1);
    expect(await report()).toMatchObject({ questions: 1, top_questions: [], unanswered: [], disliked: [] });
    expect(await storedInsights()).not.toMatch(/Siti|2027001/);
  });

  it("holds no session id, in storage or in what it reports", async () => {
    const { session_id } = await ask("Apa syarat Beasiswa Prestasi Akademik?");
    await postJson(`/feedback/${session_id}`, { rating: "down", comment: "Kurang lengkap" });
    await expect.poll(async () => (await report()).disliked.length).toBe(1);
    expect(await storedInsights()).toContain("Kurang lengkap");
    expect(await storedInsights()).not.toContain(session_id);
    expect(JSON.stringify(await report())).not.toContain(session_id);
    expect(await (await admin("/insights.csv?days=1")).text()).not.toContain(session_id);
  });

  it("refuses a missing or wrong admin token, for the report and the CSV", async () => {
    for (const path of ["/insights", "/insights.csv"]) {
      const missing = await app.request(path, {}, withToken);
      expect(missing.status, path).toBe(401);
      expect(await missing.json()).toEqual({ detail: expect.stringContaining("admin token") });
      expect((await admin(path, "Bearer salah")).status, path).toBe(401);
      // Without the Bearer scheme the header is malformed, which bearerAuth answers with 400.
      const malformed = await admin(path, TOKEN);
      expect(malformed.status, path).toBe(400);
      expect(await malformed.json()).toEqual({ detail: expect.stringContaining("admin token") });
      expect((await admin(path)).status, path).toBe(200);
    }
  });

  it("reports 7 days by default and refuses periods outside 1 to 90 days", async () => {
    const week = await (await admin("/insights")).json<Json>();
    expect(week.period.days).toBe(7);
    expect(week.per_day).toHaveLength(7);
    for (const days of ["0", "91", "1.5", "seminggu"]) {
      const res = await admin(`/insights?days=${days}`);
      expect(res.status, days).toBe(422);
      expect((await res.json<Json>()).detail[0].loc).toEqual(["query", "days"]);
    }
    expect((await admin("/insights.csv?days=91")).status).toBe(422);
  });
});
