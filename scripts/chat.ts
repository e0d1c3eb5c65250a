#!/usr/bin/env node
// The terminal chat: `npm run chat -- [--url URL]`. Streams answers as they
// arrive and remembers the session per API URL, so reopening the chat
// continues the same conversation.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs, styleText } from "node:util";
import type {
  AskResponse,
  FeedbackResponse,
  HealthResponse,
  SessionInfoResponse,
  TimezoneResponse,
} from "../src/http/schemas.ts";
import { zoneAbbreviation } from "../src/timezone.ts";
import { ApiClient, ApiError, DEFAULT_URL, Unreachable } from "./api-client.ts";
import { TerminalMarkdown } from "./terminal-markdown.ts";

const HELP = `Perintah:
  /help      tampilkan bantuan ini
  /clear     bersihkan layar
  /status    status API dan jumlah dokumen
  /stats     statistik percakapan ini
  /timezone  zona waktu lokal dan server
  /session   informasi sesi
  /feedback up|down [komentar]
             nilai jawaban terakhir (👍 atau 👎), dengan komentar bila perlu
  /new       mulai percakapan baru
  /exit      keluar (juga /quit, exit, quit, keluar)`;
const EXIT_WORDS = new Set(["/exit", "/quit", "exit", "quit", "keluar"]);

const { values } = parseArgs({ options: { url: { type: "string" }, help: { type: "boolean", short: "h" } } });
if (values.help) {
  console.log(`Pemakaian: tanya-mail [--url URL]\n\n${HELP}`);
  process.exit(0);
}
const api = new ApiClient(values.url ?? process.env.TANYA_MAIL_URL ?? DEFAULT_URL);
const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (style: Parameters<typeof styleText>[0], text: string) => (colour ? styleText(style, text) : text);
const clock = () => new Date().toLocaleTimeString("en-GB", { hour12: false });

// Remembered sessions, one per API URL, in the user's config directory.
const configDir =
  process.env.TANYA_MAIL_CONFIG_DIR ?? join(process.env.XDG_CONFIG_HOME || join(homedir(), ".config"), "tanya-mail");
const storePath = join(configDir, "sessions.json");

function readStore(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(storePath, "utf8"));
  } catch {
    return {};
  }
}

function remember(sessionId: string | null): void {
  const store = readStore();
  if (sessionId) store[api.baseUrl] = sessionId;
  else delete store[api.baseUrl];
  mkdirSync(configDir, { recursive: true });
  writeFileSync(storePath, `${JSON.stringify(store, null, 2)}\n`, { mode: 0o600 });
}

let sessionId: string | null = readStore()[api.baseUrl] ?? null;
let answering: AbortController | null = null;

async function ask(question: string, retried = false): Promise<void> {
  answering = new AbortController();
  // On a terminal the answer's markdown is shown formatted; piped, it stays as written.
  const markdown = process.stdout.isTTY ? new TerminalMarkdown(paint) : null;
  let printed = false;
  // Ends the answer's text, with what the formatter still held.
  const endText = () => {
    if (printed) process.stdout.write(markdown ? markdown.flush() : "\n");
    printed = false;
  };
  let result: Pick<AskResponse, "sources"> | null = null;
  try {
    for await (const event of api.askStream(question, sessionId, answering.signal)) {
      if (event.type === "session") {
        if (event.session_id !== sessionId) remember(event.session_id);
        sessionId = event.session_id;
      } else if (event.type === "content") {
        if (!printed) process.stdout.write(`${paint("green", `Pak Ma'il [${clock()}]:`)}${markdown ? "\n" : " "}`);
        printed = true;
        process.stdout.write(markdown ? markdown.push(printable(event.token)) : printable(event.token));
      } else if (event.type === "source") {
        result = event;
      } else if (event.type === "error") {
        endText();
        console.log(paint("red", `Gagal: ${printable(event.error)}`));
      }
    }
    endText();
    if (result?.sources.length) console.log(paint("dim", `Sumber: ${printable(result.sources.join(", "))}`));
  } catch (error) {
    if (answering.signal.aborted) {
      endText();
      console.log(paint("yellow", "(jawaban dihentikan)"));
    } else if (error instanceof ApiError && error.status === 404 && sessionId && !retried) {
      console.log(paint("yellow", "Sesi sebelumnya sudah berakhir; memulai sesi baru."));
      sessionId = null;
      remember(null);
      answering = null;
      return ask(question, true);
    } else {
      console.log(paint("red", describe(error)));
    }
  } finally {
    answering = null;
  }
}

// What the service sends is text from documents and a model: control
// characters in it (escape sequences, carriage returns, bells) could move the
// cursor, rewrite what is on screen or retitle the terminal. Line breaks and
// tabs stay. \p{Cc} is exactly C0, DEL and C1.
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (char) => (char === "\n" || char === "\t" ? char : ""));
}

function describe(error: unknown): string {
  if (error instanceof Unreachable || error instanceof ApiError) return error.message;
  return `Terjadi kesalahan: ${error instanceof Error ? error.message : String(error)}`;
}

function localTime(iso: string): string {
  return new Date(iso).toLocaleString("id-ID", { dateStyle: "medium", timeStyle: "medium" });
}

async function currentSession(): Promise<SessionInfoResponse | null> {
  if (!sessionId) return null;
  try {
    return await api.get<SessionInfoResponse>(`/session/${sessionId}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      sessionId = null;
      remember(null);
      return null;
    }
    throw error;
  }
}

const FEEDBACK_USAGE = "Pemakaian: /feedback up|down [komentar]";
const NOTHING_TO_RATE = "Belum ada jawaban untuk dinilai.";

const commands: Record<string, (args: string) => Promise<void> | void> = {
  "/help": () => console.log(HELP),
  "/clear": () => {
    if (interactive) console.clear();
  },
  "/status": async () => {
    const health = await api.get<HealthResponse>("/health");
    console.log(`API: terhubung ke ${api.baseUrl} (versi ${health.version}, mode ${health.mode})`);
    console.log(`Dokumen: ${health.total_files} berkas, ${health.total_documents} potongan teks`);
  },
  "/stats": async () => {
    const session = await currentSession();
    if (!session) return console.log("Belum ada percakapan di sesi ini.");
    const average = session.stats.average_answer_ms;
    console.log(`Pertanyaan: ${session.stats.questions_asked}`);
    console.log(
      `Rata-rata waktu jawab: ${average === null ? "-" : `${(average / 1000).toLocaleString("id-ID", { maximumFractionDigits: 2 })} detik`}`,
    );
  },
  "/timezone": async () => {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const server = await api.get<TimezoneResponse>("/timezone");
    console.log(`Zona waktu lokal: ${local} (${zoneAbbreviation(local, new Date())}), ${clock()}`);
    console.log(
      `Zona waktu server: ${server.timezone} (${server.abbreviation}, UTC${server.utc_offset}), ${server.now.slice(11, 19)}`,
    );
  },
  "/session": async () => {
    const session = await currentSession();
    if (!session) return console.log("Belum ada sesi. Ajukan pertanyaan untuk memulai.");
    console.log(`Sesi: ${session.session_id}`);
    console.log(`Dibuat: ${localTime(session.created_at)}`);
    console.log(`Aktivitas terakhir: ${localTime(session.last_activity)}`);
    console.log(`Berakhir: ${localTime(session.expires_at)}`);
    console.log(`Tanya jawab: ${session.total_exchanges}`);
  },
  "/feedback": async (args) => {
    const [word = "", ...comment] = args.split(/\s+/);
    const rating = word.toLowerCase();
    if (rating !== "up" && rating !== "down") return console.log(FEEDBACK_USAGE);
    if (!sessionId) return console.log(NOTHING_TO_RATE);
    try {
      await api.post<FeedbackResponse>(`/feedback/${sessionId}`, { rating, comment: comment.join(" ") || null });
      console.log("Terima kasih atas umpan baliknya.");
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      // The session holds no answer yet, or has ended: the next question finds out which.
      console.log(NOTHING_TO_RATE);
    }
  },
  "/new": () => {
    sessionId = null;
    remember(null);
    console.log("Percakapan baru dimulai.");
  },
};

async function handle(line: string): Promise<boolean> {
  const text = line.trim();
  if (!text) return true;
  if (EXIT_WORDS.has(text.toLowerCase())) return false;
  if (text.startsWith("/")) {
    const [name = "", args = ""] = text.split(/\s+(.*)/s);
    const command = commands[name.toLowerCase()];
    if (!command) console.log("Perintah tidak dikenal. Ketik /help untuk daftar perintah.");
    else
      await Promise.resolve(command(args)).catch((error: unknown) => {
        console.log(paint("red", describe(error)));
      });
    return true;
  }
  await ask(text);
  return true;
}

async function main(): Promise<void> {
  try {
    await api.get<HealthResponse>("/health");
  } catch (error) {
    console.error(describe(error));
    process.exit(1);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  // Ctrl-C stops an answer in progress; at the prompt it leaves.
  const interrupt = () => {
    if (answering) answering.abort();
    else rl.close();
  };
  rl.on("SIGINT", interrupt);
  process.on("SIGINT", interrupt);
  if (interactive) {
    console.log(paint("bold", "Tanya Ma'il — ketik pertanyaan Anda, /help untuk bantuan."));
    if (sessionId) console.log(paint("dim", "Melanjutkan percakapan sebelumnya."));
  }
  // The input can end (Ctrl-D) while an answer is still printing.
  let inputEnded = false;
  rl.once("close", () => {
    inputEnded = true;
  });
  const prompt = () => {
    if (!interactive || inputEnded) return;
    rl.setPrompt(`${paint("cyan", `Anda [${clock()}]:`)} `);
    rl.prompt();
  };
  prompt();
  for await (const line of rl) {
    if (!(await handle(line))) break;
    prompt();
  }
  rl.close();
  if (interactive) console.log("Sampai jumpa!");
}

await main();
