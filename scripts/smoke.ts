#!/usr/bin/env node
// `npm run smoke -- --url URL [--token TOKEN]`: what an operator runs right
// after `npm run deploy`. Checks the deployment's dependencies, uploads a
// tiny marked document, asks about it (as JSON and as a stream) and a
// follow-up, then deletes it again. One line per step with ✅/❌; exits 1 on
// any failure. The admin token comes from --token or ADMIN_TOKEN.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import type { AskResponse, HealthResponse, HistoryResponse, StoredFile } from "../src/http/schemas.ts";
import { ApiClient, DEFAULT_URL } from "./api-client.ts";
import { Checklist } from "./checklist.ts";

const { values } = parseArgs({ options: { url: { type: "string" }, token: { type: "string" } } });
const url = (values.url ?? process.env.TANYA_MAIL_URL ?? DEFAULT_URL).replace(/\/+$/, "");
const token = values.token ?? process.env.ADMIN_TOKEN;
const api = new ApiClient(url, token);

// A made-up word that no other document contains, so that retrieval can only find this one.
const marker = `asap${[...randomBytes(6)].map((byte) => "bcdfghjklmnpqrstvwxz"[byte % 20]).join("")}o`;
const filename = `uji-asap-${marker}.md`;
const text = `# Uji asap ${marker}

Kode uji asap ${marker} dipakai petugas untuk memeriksa layanan Tanya Ma'il setelah setiap pembaruan.
Pemeriksaan ${marker} mengunggah dokumen kecil ini, menanyakan isinya, lalu menghapusnya lagi.`;
const question = `Untuk apa kode uji asap ${marker} dipakai?`;

const checklist = new Checklist();
const step = checklist.step.bind(checklist);

const cites = (sources: string[]) => sources.includes(filename) || `sources are ${JSON.stringify(sources)}`;

async function main(): Promise<void> {
  console.log(`Uji asap di ${url}`);
  if (!token) console.log("(no --token or ADMIN_TOKEN: the admin steps will be refused)");
  await step("deep health: vector index, embedding model and chat model answer", async () => {
    const response = await fetch(`${url}/health?deep=1`, { headers: { authorization: `Bearer ${token ?? ""}` } });
    const health = (await response.json()) as Partial<HealthResponse> & { detail?: string };
    const failed = Object.entries(health.checks ?? {}).filter(([, check]) => !check.ok);
    if (response.ok && failed.length === 0) return true;
    return failed.length > 0
      ? failed.map(([name, check]) => `${name}: ${check.detail}`).join("; ")
      : `HTTP ${response.status} ${health.detail ?? ""}`;
  });
  const uploaded = await step(`upload ${filename}`, async () => {
    const form = new FormData();
    form.append("file", new File([text], filename, { type: "text/markdown" }));
    await api.request("/upload", { method: "POST", body: form });
    return true;
  });
  try {
    let sessionId: string | null = null;
    await step("ask about it, as JSON: the answer cites the document", async () => {
      const answer = await api.post<AskResponse>("/ask", { question });
      sessionId = answer.session_id;
      if (!answer.answer.trim()) return "the answer is empty";
      return cites(answer.sources);
    });
    await step("ask about it, as a stream: the tokens add up to the stored answer", async () => {
      let streamed = "";
      let session = "";
      let sources: string[] = [];
      for await (const event of api.askStream(question, null)) {
        if (event.type === "session") session = event.session_id;
        if (event.type === "content") streamed += event.token;
        if (event.type === "source") sources = event.sources;
        if (event.type === "error") return `the stream ended with an error: ${event.error}`;
      }
      const stored = await api.get<HistoryResponse>(`/conversation/history/${encodeURIComponent(session)}`);
      await api.delete(`/conversation/history/${encodeURIComponent(session)}`).catch(() => {});
      if (!streamed.trim() || stored.history[0]?.answer !== streamed) return "the streamed and stored answers differ";
      return cites(sources);
    });
    await step('ask the follow-up "Jelaskan lebih detail": it cites the same document', async () => {
      if (!sessionId) return "no session from the first question";
      const answer = await api.post<AskResponse>("/ask", { question: "Jelaskan lebih detail", session_id: sessionId });
      await api.delete(`/conversation/history/${encodeURIComponent(sessionId)}`).catch(() => {});
      return cites(answer.sources);
    });
  } finally {
    if (uploaded) {
      await step(`delete ${filename}`, async () => {
        await api.delete(`/files/${encodeURIComponent(filename)}`);
        const files = await api.get<StoredFile[]>("/files");
        return !files.some((file) => file.filename === filename) || "it is still listed";
      });
    }
  }
  console.log(checklist.failures === 0 ? "Semua langkah berhasil." : `${checklist.failures} langkah gagal.`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  checklist.failures += 1;
}
process.exit(checklist.failures === 0 ? 0 : 1);
