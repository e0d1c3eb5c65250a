import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AnswerRecord, FeedbackRecord } from "../src/insights/insight-records";

// Each test reports from an insights object of its own, so that it sees only
// its own records; the service's object is exercised in insights.test.ts.
const freshInsights = () => env.INSIGHTS.getByName(`test-${crypto.randomUUID()}`);

// 2030-03-10 12:00 in Asia/Makassar (UTC+8), the configured zone.
const NOW = Date.UTC(2030, 2, 10, 4, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let ids = 0;
function answer(question: string | null, overrides: Partial<AnswerRecord> = {}): AnswerRecord {
  ids += 1;
  return {
    kind: "answer",
    id: `answer-${ids}`,
    at: NOW - HOUR,
    question,
    answered: true,
    sources: ["pmb-jadwal.md"],
    latency_ms: 100,
    ...overrides,
  };
}

function feedback(of: AnswerRecord, overrides: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return { kind: "feedback", id: of.id, rating: "down", comment: null, answer_excerpt: "Jawaban…", ...overrides };
}

async function storedAnswers(stub: ReturnType<typeof freshInsights>): Promise<number> {
  return runInDurableObject(stub, (_, state) =>
    Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM answers").one().n),
  );
}

describe("the insights report", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("groups questions whatever their case, spacing and punctuation, shown as most often spelled", async () => {
    const insights = freshInsights();
    await insights.write([
      answer("Kapan PMB dibuka?"),
      answer("kapan pmb dibuka"),
      answer("Kapan  PMB dibuka?"),
      answer("Kapan PMB dibuka?"),
      answer("KAPAN PMB DIBUKA!!"),
      // Spelled each way once: the latest spelling is shown.
      answer("Berapa biaya asrama?", { at: NOW - 2 * HOUR }),
      answer("berapa biaya asrama ?", { at: NOW - HOUR }),
      answer("Di mana perpustakaan?"),
    ]);
    const report = await insights.report(7);
    expect(report.top_questions).toEqual([
      { question: "Kapan PMB dibuka?", count: 5 },
      { question: "berapa biaya asrama ?", count: 2 },
      { question: "Di mana perpustakaan?", count: 1 },
    ]);
    expect(report.questions).toBe(8);
  });

  it("lists unanswered questions with their count and when last asked, most asked first", async () => {
    const insights = freshInsights();
    await insights.write([
      answer("Apakah ada beasiswa olahraga?", { answered: false, sources: [], at: NOW - 3 * DAY }),
      answer("apakah ada beasiswa olahraga", { answered: false, sources: [], at: NOW - 2 * HOUR }),
      answer("Berapa harga parkir mobil?", { answered: false, sources: [], at: NOW - DAY }),
      answer("Kapan PMB dibuka?"),
    ]);
    const report = await insights.report(7);
    expect(report.questions).toBe(4);
    expect(report.answered).toBe(1);
    expect(report.unanswered).toEqual([
      { question: "apakah ada beasiswa olahraga", count: 2, last_asked: "2030-03-10T10:00:00.000+08:00" },
      { question: "Berapa harga parkir mobil?", count: 1, last_asked: "2030-03-09T12:00:00.000+08:00" },
    ]);
  });

  it("lists disliked answers with an excerpt and the latest comment, and counts all feedback", async () => {
    const insights = freshInsights();
    const first = answer("Berapa biaya asrama?", { at: NOW - 5 * HOUR });
    const second = answer("berapa biaya asrama", { at: NOW - 4 * HOUR });
    const third = answer("Berapa biaya asrama?", { at: NOW - 3 * HOUR });
    const liked = answer("Kapan PMB dibuka?");
    await insights.write([first, second, third, liked]);
    await insights.write([
      feedback(first, { comment: "Tidak ada biaya per semester", answer_excerpt: "Biaya asrama Rp 750.000" }),
      feedback(second, { comment: "Kurang lengkap", answer_excerpt: "Biaya asrama per bulan" }),
      feedback(third),
      feedback(liked, { rating: "up", answer_excerpt: null }),
    ]);
    const report = await insights.report(7);
    expect(report.feedback).toEqual({ up: 1, down: 3 });
    expect(report.disliked).toEqual([
      {
        question: "Berapa biaya asrama?",
        answer_excerpt: "Biaya asrama per bulan",
        comment: "Kurang lengkap",
        count: 3,
      },
    ]);
  });

  it("counts a changed rating once, as it is now, even when it arrived before its answer", async () => {
    const insights = freshInsights();
    const rated = answer("Apa itu KRS?");
    await insights.write([feedback(rated, { comment: "Salah" })]);
    await insights.write([rated, rated]);
    await insights.write([feedback(rated, { rating: "up", comment: null, answer_excerpt: null })]);
    const report = await insights.report(7);
    expect(report.questions).toBe(1);
    expect(report.feedback).toEqual({ up: 1, down: 0 });
    expect(report.disliked).toEqual([]);
  });

  it("counts cited sources, latency percentiles, and each day in the configured time zone", async () => {
    const insights = freshInsights();
    // 23:30 UTC on 7 March is already 8 March in Asia/Makassar.
    const lateEvening = Date.UTC(2030, 2, 7, 23, 30);
    await insights.write([
      ...Array.from({ length: 20 }, (_, i) =>
        answer("Kapan PMB dibuka?", { latency_ms: (i + 1) * 10, sources: ["pmb-jadwal.md", "biaya.md"] }),
      ),
      answer("Apa itu UKT?", { at: lateEvening, answered: false, sources: [], latency_ms: 5 }),
    ]);
    const report = await insights.report(4);
    expect(report.period).toEqual({ from: "2030-03-07", to: "2030-03-10", days: 4 });
    expect(report.per_day).toEqual([
      { date: "2030-03-07", questions: 0, unanswered: 0 },
      { date: "2030-03-08", questions: 1, unanswered: 1 },
      { date: "2030-03-09", questions: 0, unanswered: 0 },
      { date: "2030-03-10", questions: 20, unanswered: 0 },
    ]);
    expect(report.top_sources).toEqual([
      { filename: "biaya.md", citations: 20 },
      { filename: "pmb-jadwal.md", citations: 20 },
    ]);
    // 21 latencies: 5, 10, 20, …, 200. Nearest rank: the 11th and the 20th.
    expect(report.latency_ms).toEqual({ p50: 100, p95: 190 });
  });

  it("reports only the days asked for, and nothing at all for a quiet period", async () => {
    const insights = freshInsights();
    await insights.write([answer("Apa itu PMB?", { at: NOW - 8 * DAY })]);
    const week = await insights.report(7);
    expect(week).toMatchObject({ questions: 0, answered: 0, top_questions: [], top_sources: [] });
    expect(week.latency_ms).toEqual({ p50: null, p95: null });
    expect(week.per_day).toHaveLength(7);
    expect(await insights.report(9)).toMatchObject({ questions: 1, latency_ms: { p50: 100, p95: 100 } });
  });

  it("keeps only counts for records without the question's words", async () => {
    const insights = freshInsights();
    const silent = answer(null, { answered: false, sources: [] });
    await insights.write([silent, answer(null), feedback(silent, { comment: null, answer_excerpt: null })]);
    const report = await insights.report(7);
    expect(report).toMatchObject({ questions: 2, answered: 1, feedback: { up: 0, down: 1 } });
    expect(report).toMatchObject({ unanswered: [], top_questions: [], disliked: [] });
  });

  it("deletes records older than the retention period when its alarm runs, and keeps the rest", async () => {
    const insights = freshInsights();
    await insights.write([
      answer("Pertanyaan lama", { at: NOW - 91 * DAY }),
      answer("Pertanyaan tepat 90 hari", { at: NOW - 89 * DAY }),
      answer("Pertanyaan baru", { at: NOW - DAY }),
    ]);
    expect(await storedAnswers(insights)).toBe(3);
    expect(await runDurableObjectAlarm(insights)).toBe(true);
    expect(await storedAnswers(insights)).toBe(2);
    // A day later, the alarm comes back and takes the next day's records.
    vi.setSystemTime(NOW + DAY);
    expect(await runDurableObjectAlarm(insights)).toBe(true);
    expect(await storedAnswers(insights)).toBe(1);
    expect((await insights.report(90)).top_questions).toEqual([{ question: "Pertanyaan baru", count: 1 }]);
  });

  it("prunes a backlog larger than one alarm's share over several runs, and stops once empty", async () => {
    const insights = freshInsights();
    const old = Array.from({ length: 5001 }, () => answer("Pertanyaan lama", { at: NOW - 100 * DAY }));
    await insights.write(old);
    expect(await runDurableObjectAlarm(insights)).toBe(true);
    expect(await storedAnswers(insights)).toBe(1);
    expect(await runDurableObjectAlarm(insights)).toBe(true);
    expect(await storedAnswers(insights)).toBe(0);
    expect(await runDurableObjectAlarm(insights)).toBe(false);
  });
});
