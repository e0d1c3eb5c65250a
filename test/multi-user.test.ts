import { describe, expect, it } from "vitest";
import { ask, getJson, getLocalJson } from "./helpers";

describe("two users at once", () => {
  it("keeps each user's conversation, context and history to themselves", async () => {
    const [user1, user2] = await Promise.all([ask("Apa itu PMB?"), ask("Kapan pendaftaran dibuka?")]);
    expect(user1.session_id).not.toBe(user2.session_id);

    const [follow1, follow2] = await Promise.all([
      ask("Jelaskan lebih detail", { session_id: user1.session_id }),
      ask("Bagaimana cara mendaftar?", { session_id: user2.session_id }),
    ]);
    // "Jelaskan lebih detail" names no topic: it is answered from user 1's own PMB question.
    expect(follow1.sources).toContain("pmb-jadwal.md");
    expect(follow1.answer).toMatch(/Penerimaan Mahasiswa Baru/);
    expect(follow2.sources).toContain("pmb-persyaratan.md");

    const history1 = (await getJson(`/conversation/history/${user1.session_id}`)).body;
    const history2 = (await getJson(`/conversation/history/${user2.session_id}`)).body;
    expect(history1.total_exchanges).toBe(2);
    expect(history2.total_exchanges).toBe(2);
    expect(history1.history.map((e: { question: string }) => e.question)).toEqual([
      "Apa itu PMB?",
      "Jelaskan lebih detail",
    ]);
    expect(history2.history.map((e: { question: string }) => e.question)).toEqual([
      "Kapan pendaftaran dibuka?",
      "Bagaimana cara mendaftar?",
    ]);

    await expect
      .poll(async () => {
        const { body } = await getLocalJson("/sessions?limit=100");
        return body.data
          .filter((s: { session_id: string }) => [user1.session_id, user2.session_id].includes(s.session_id))
          .map((s: { total_exchanges: number }) => s.total_exchanges);
      })
      .toEqual([2, 2]);
  });

  it("answers a follow-up from the topic of its own session", async () => {
    const dorm = await ask("Apa saja fasilitas asrama mahasiswa?");
    const fees = await ask("Berapa UKT Fakultas Teknik?");
    const dormFollowUp = await ask("Berapa biayanya per bulan?", { session_id: dorm.session_id });
    expect(dormFollowUp.sources[0]).toBe("fasilitas-kampus.md");
    expect(dormFollowUp.answer).toContain("Rp 750.000");
    const feesFollowUp = await ask("Bagaimana jika terlambat membayarnya?", { session_id: fees.session_id });
    expect(feesFollowUp.sources[0]).toBe("biaya-kuliah.md");
  });
});

describe("one session under concurrent asks", () => {
  it("records 20 concurrent questions, each exactly once", async () => {
    const { session_id } = await ask("Apa itu PMB?");
    const questions = Array.from({ length: 20 }, (_, i) => `Pertanyaan ${i + 1}: berapa biaya kuliah?`);
    const answers = await Promise.all(questions.map((question) => ask(question, { session_id })));
    expect(answers.every((answer) => answer.session_id === session_id)).toBe(true);
    const { body } = await getJson(`/conversation/history/${session_id}`);
    expect(body.total_exchanges).toBe(21);
    const asked = body.history.map((exchange: { question: string }) => exchange.question).slice(1);
    expect([...asked].sort()).toEqual([...questions].sort());
    const info = (await getJson(`/session/${session_id}`)).body;
    expect(info.stats.questions_asked).toBe(21);
  });
});
