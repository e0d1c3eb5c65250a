#!/usr/bin/env node
// `npm run check:sessions -- [--url URL]`: checks a running deployment keeps
// two users' conversations apart, end to end, and cleans up after itself.
// Sends ADMIN_TOKEN from the environment to the admin listing when set.
import { parseArgs } from "node:util";
import type { AskResponse, HistoryResponse, SessionListResponse } from "../src/http/schemas.ts";
import { ApiClient, ApiError, DEFAULT_URL } from "./api-client.ts";
import { Checklist } from "./checklist.ts";

const USERS = [
  { name: "Pengguna 1", first: "Apa itu PMB?", followUp: "Jelaskan lebih detail" },
  { name: "Pengguna 2", first: "Kapan pendaftaran dibuka?", followUp: "Bagaimana cara mendaftar?" },
];

const { values } = parseArgs({ options: { url: { type: "string" } } });
const api = new ApiClient(values.url ?? process.env.TANYA_MAIL_URL ?? DEFAULT_URL, process.env.ADMIN_TOKEN);
const short = (id: string | undefined) => (id ? id.slice(0, 8) : "-");
const checklist = new Checklist();
const step = checklist.step.bind(checklist);

async function listAll(): Promise<SessionListResponse["data"]> {
  const sessions: SessionListResponse["data"] = [];
  let cursor: string | null = null;
  do {
    const page: SessionListResponse = await api.get<SessionListResponse>(
      `/sessions?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
    );
    sessions.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && sessions.length < 10_000);
  return sessions;
}

async function main(): Promise<void> {
  console.log(`Memeriksa sesi di ${api.baseUrl}`);
  const ids: string[] = [];
  for (const user of USERS) {
    await step(`${user.name} bertanya "${user.first}" tanpa sesi`, async () => {
      const answer = await api.post<AskResponse>("/ask", { question: user.first });
      ids.push(answer.session_id);
      return Boolean(answer.session_id && answer.answer) || "tidak ada sesi atau jawaban";
    });
  }
  await step(`Sesi berbeda (${short(ids[0])} ≠ ${short(ids[1])})`, async () => ids.length === 2 && ids[0] !== ids[1]);
  for (const [i, user] of USERS.entries()) {
    await step(`${user.name} bertanya lanjutan "${user.followUp}" di sesinya (${short(ids[i])})`, async () => {
      const answer = await api.post<AskResponse>("/ask", { question: user.followUp, session_id: ids[i] });
      return answer.session_id === ids[i] || `jawaban datang dari sesi ${short(answer.session_id)}`;
    });
  }
  for (const [i, user] of USERS.entries()) {
    await step(`Riwayat ${user.name} berisi tepat 2 pertanyaannya sendiri`, async () => {
      const { history, total_exchanges } = await api.get<HistoryResponse>(`/conversation/history/${ids[i]}`);
      const questions = history.map((exchange) => exchange.question);
      const expected = [user.first, user.followUp];
      return (
        (total_exchanges === 2 && JSON.stringify(questions) === JSON.stringify(expected)) ||
        `berisi ${JSON.stringify(questions)}`
      );
    });
  }
  await step("/sessions mencantumkan kedua sesi dengan 2 tanya jawab", async () => {
    // The listing follows each answer a moment later, off the response path;
    // give a busy deployment up to 10 s.
    const deadline = Date.now() + 10_000;
    do {
      const listed = (await listAll()).filter((session) => ids.includes(session.session_id));
      if (listed.length === 2 && listed.every((session) => session.total_exchanges === 2)) return true;
      await new Promise((resolve) => setTimeout(resolve, 300));
    } while (Date.now() < deadline);
    return "tidak tercantum lengkap";
  });
  for (const [i, user] of USERS.entries()) {
    await step(`Sesi ${user.name} (${short(ids[i])}) dihapus dan tidak ada lagi`, async () => {
      if (!ids[i]) return "tidak ada sesi";
      await api.delete(`/conversation/history/${ids[i]}`);
      try {
        await api.get(`/session/${ids[i]}`);
        return "masih ada setelah dihapus";
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return true;
        throw error;
      }
    });
  }
  const { failures } = checklist;
  console.log(failures === 0 ? "Semua pemeriksaan lulus." : `${failures} pemeriksaan gagal.`);
  process.exit(failures === 0 ? 0 : 1);
}

await main();
