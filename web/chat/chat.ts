// The web chat page: streams answers from POST /ask, keeps the session id in
// localStorage and reloads the conversation when the page opens. Answers are
// rendered as sanitised markdown (web/shared/markdown.ts). While an answer
// streams, Enter does nothing and Stop (or Esc) stops reading it; the server
// finishes the answer anyway, and the history shows it whole. Each complete
// answer can be rated 👍/👎 (feedback-bar.ts).
import { ApiClient, ApiError, Unreachable } from "../../scripts/api-client.ts";
import type { ClientConfigResponse, Feedback, FeedbackResponse, HistoryResponse } from "../../src/http/schemas.ts";
import { announce } from "../shared/announce.ts";
import { button, byId, element } from "../shared/element.ts";
import { AnswerView } from "./answer-view.ts";
import { feedbackBar } from "./feedback-bar.ts";

const STORAGE_KEY = "tanya-mail.session_id";
// How close to the bottom (px) still counts as reading the newest text.
const FOLLOW_MARGIN = 96;

const conversation = byId<HTMLOListElement>("conversation");
const form = byId<HTMLFormElement>("ask-form");
const input = byId<HTMLTextAreaElement>("question");
const send = byId<HTMLButtonElement>("send");
const stop = byId<HTMLButtonElement>("stop");
const notice = byId<HTMLParagraphElement>("notice");
const empty = byId<HTMLElement>("empty");
const starters = byId<HTMLElement>("starters");

const api = new ApiClient(location.origin);
// If /client-config cannot be read: no suggestions, no clickable links, no length limit.
let config: ClientConfigResponse = { starter_questions: [], allowed_link_hosts: [], max_question_chars: 0 };
// Answers wait for it, since it says which of their links may be clicked.
const configured = api.get<ClientConfigResponse>("/client-config").then(
  (loaded) => {
    config = loaded;
  },
  () => {},
);
let answering: AbortController | null = null;
// Feedback names an answer by its place in the session's history. The page
// counts the exchanges the server stores; after an answer it did not follow to
// its end (stopped, connection lost) it cannot know, and reads the history.
let exchanges: number | null = 0;

function showNotice(text: string): void {
  notice.textContent = text;
  notice.hidden = !text;
}

// The page follows a streaming answer only while the reader is at the bottom;
// scrolling up to read stops it, scrolling back down resumes it.
let following = true;
const nearBottom = () => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - FOLLOW_MARGIN;
window.addEventListener("scroll", () => {
  following = nearBottom();
});
// What the page scrolls into view (an opened passage) must clear the question
// box that stays at the bottom.
new ResizeObserver(() => {
  document.documentElement.style.scrollPaddingBottom = `${form.offsetHeight + 8}px`;
}).observe(form);
function keepInView(): void {
  if (following) window.scrollTo({ top: document.documentElement.scrollHeight });
}

function answerView(): AnswerView {
  const view = new AnswerView({ allowedHosts: config.allowed_link_hosts, onRender: keepInView, announce });
  conversation.append(view.item);
  return view;
}

function addQuestion(text: string): void {
  empty.hidden = true;
  conversation.append(element("li", "question", text));
}

function setAnswering(controller: AbortController | null): void {
  answering = controller;
  send.hidden = controller !== null;
  stop.hidden = controller === null;
}

function expired(): void {
  localStorage.removeItem(STORAGE_KEY);
  exchanges = 0;
  showNotice("Sesi Anda sudah berakhir. Percakapan baru dimulai.");
}

/** How the answer ended: whole, with an error the server reported, refused, or not followed to its end. */
type Ending = "done" | "failed" | "refused" | "unknown";

async function streamAnswer(question: string, view: AnswerView, signal: AbortSignal): Promise<Ending> {
  const sessionId = localStorage.getItem(STORAGE_KEY);
  let ending: Ending = "unknown";
  try {
    for await (const event of api.askStream(question, sessionId, signal)) {
      if (event.type === "session") localStorage.setItem(STORAGE_KEY, event.session_id);
      else if (event.type === "content") view.append(event.token);
      else if (event.type === "source") view.showSources(event.sources, event.citations);
      else if (event.type === "done") ending = "done";
      else if (event.type === "error") {
        view.note(event.error, "error");
        ending = "failed";
      }
    }
  } catch (error) {
    if (signal.aborted) {
      view.note("Jawaban dihentikan.", "stopped");
    } else if (error instanceof ApiError && error.status === 404 && sessionId) {
      expired();
      return streamAnswer(question, view, signal);
    } else if (error instanceof ApiError) {
      view.note(error.message || "Pertanyaan tidak dapat diproses.", "error");
      return "refused";
    } else if (error instanceof Unreachable && view.hasText) {
      view.note("Koneksi terputus sebelum jawaban selesai. Silakan coba lagi.", "error");
    } else {
      view.note("Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.", "error");
    }
  }
  return ending;
}

/** The place in the history of the answer that just ended `ending`, or null if it was not stored whole. */
async function placeOf(ending: Ending, hasText: boolean): Promise<number | null> {
  if (ending === "done" && exchanges === null) {
    exchanges = await storedExchanges().catch(() => null);
    return exchanges === null ? null : exchanges - 1;
  }
  if (exchanges === null) return null;
  if (ending === "done") return exchanges++;
  // A failed answer is stored with what it had said, if anything.
  if (ending === "failed" && hasText) exchanges++;
  else if (ending === "unknown") exchanges = null;
  return null;
}

async function storedExchanges(): Promise<number | null> {
  const sessionId = localStorage.getItem(STORAGE_KEY);
  if (!sessionId) return null;
  return (await api.get<HistoryResponse>(`/conversation/history/${encodeURIComponent(sessionId)}`)).history.length;
}

function offerFeedback(view: AnswerView, exchange: number, recorded: Feedback | null): void {
  const sessionId = localStorage.getItem(STORAGE_KEY);
  if (!sessionId) return;
  const send = async ({ rating, comment }: Feedback) => {
    try {
      await api.post<FeedbackResponse>(`/feedback/${encodeURIComponent(sessionId)}`, { rating, exchange, comment });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new Error("Sesi ini sudah berakhir; penilaian tidak dapat dicatat.");
      }
      if (error instanceof ApiError) throw new Error(error.message);
      throw new Error("Tidak dapat terhubung ke server. Coba lagi nanti.");
    }
  };
  view.offerFeedback(feedbackBar({ recorded, send }));
}

async function ask(question: string): Promise<void> {
  if (answering) return;
  showNotice("");
  addQuestion(question);
  following = true;
  keepInView();
  const controller = new AbortController();
  setAnswering(controller);
  await configured;
  const view = answerView();
  const ending = await streamAnswer(question, view, controller.signal);
  const text = view.finish();
  const stopped = controller.signal.aborted;
  const exchange = await placeOf(ending, view.hasText);
  if (exchange !== null) offerFeedback(view, exchange, null);
  announce(stopped ? "Jawaban dihentikan." : `Pak Ma'il: ${text}`);
  setAnswering(null);
  keepInView();
  input.focus();
}

function showStarters(): void {
  const list = starters.querySelector("ul");
  if (!list) return;
  list.replaceChildren(
    ...config.starter_questions.map((question) => {
      const starter = button(question, "starter");
      starter.addEventListener("click", () => {
        // The suggestions go away with the question sent; the box is where to go on.
        input.focus();
        ask(question);
      });
      const item = element("li");
      item.append(starter);
      return item;
    }),
  );
  starters.hidden = config.starter_questions.length === 0;
}

async function loadHistory(): Promise<void> {
  const sessionId = localStorage.getItem(STORAGE_KEY);
  if (!sessionId) return;
  let history: HistoryResponse;
  try {
    history = await api.get<HistoryResponse>(`/conversation/history/${encodeURIComponent(sessionId)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return expired();
    throw error;
  }
  exchanges = history.history.length;
  for (const [index, exchange] of history.history.entries()) {
    addQuestion(exchange.question);
    const view = answerView();
    view.append(exchange.answer);
    if (!exchange.complete) view.note("(jawaban tidak lengkap)", "error");
    view.showSources(exchange.sources, exchange.citations);
    view.finish();
    if (exchange.complete) offerFeedback(view, index, exchange.feedback);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question || answering) return;
  input.value = "";
  ask(question);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && answering) {
    event.preventDefault();
    answering.abort();
  }
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    // While an answer streams, Enter neither sends nor adds a line: the next
    // question waits in the box until the answer is done or stopped.
    event.preventDefault();
    if (!answering) form.requestSubmit();
  }
});

stop.addEventListener("click", () => {
  answering?.abort();
  input.focus();
});

byId("new-conversation").addEventListener("click", () => {
  answering?.abort();
  localStorage.removeItem(STORAGE_KEY);
  exchanges = 0;
  conversation.replaceChildren();
  empty.hidden = false;
  showNotice("");
  input.focus();
});

async function start(): Promise<void> {
  await configured;
  if (config.max_question_chars > 0) input.maxLength = config.max_question_chars;
  showStarters();
  await loadHistory().catch(() => showNotice("Riwayat percakapan tidak dapat dimuat."));
  keepInView();
}

start();
