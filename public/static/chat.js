// The web chat page: streams answers from POST /ask, keeps the session id in
// localStorage and reloads the conversation when the page opens. Model text is
// only ever inserted as text, never as HTML.
const STORAGE_KEY = "tanya-mail.session_id";

const conversation = document.getElementById("conversation");
const form = document.getElementById("ask-form");
const input = document.getElementById("question");
const send = document.getElementById("send");
const notice = document.getElementById("notice");
const empty = document.getElementById("empty");

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = !text;
}

function addQuestion(text) {
  empty.hidden = true;
  conversation.append(element("li", "question", text));
}

function addAnswer() {
  const item = element("li", "answer");
  item.append(element("p", "who", "Pak Ma'il"));
  const text = element("p", "text");
  item.append(text);
  conversation.append(item);
  return { item, text };
}

function showSources(item, sources, citations) {
  if (!sources?.length) return;
  const details = element("details", "sources");
  details.append(element("summary", "", `Sumber: ${sources.join(", ")}`));
  const list = element("ul");
  for (const citation of citations ?? []) {
    const entry = element("li");
    entry.append(element("strong", "", citation.filename));
    entry.append(element("q", "", citation.snippet));
    list.append(entry);
  }
  details.append(list);
  item.append(details);
}

function scrollToEnd() {
  conversation.lastElementChild?.scrollIntoView({ block: "end", behavior: "smooth" });
}

// Yields each Server-Sent Event in a fetch response body as {id, event}:
// its number within the answer and its JSON `data`.
async function* events(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const lines = buffer.slice(0, end).split("\n");
      buffer = buffer.slice(end + 2);
      const field = (name) =>
        lines
          .filter((line) => line.startsWith(`${name}:`))
          .map((line) => line.slice(name.length + 1).trimStart())
          .join("\n");
      const data = field("data");
      if (data) yield { id: Number(field("id")) || null, event: JSON.parse(data) };
      end = buffer.indexOf("\n\n");
    }
  }
}

const RESUME_ATTEMPTS = 3;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function expired() {
  localStorage.removeItem(STORAGE_KEY);
  showNotice("Sesi Anda sudah berakhir. Percakapan baru dimulai.");
}

async function ask(question) {
  const sessionId = localStorage.getItem(STORAGE_KEY);
  const response = await fetch("/ask", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ question, stream: true, session_id: sessionId }),
  });
  if (response.status === 404 && sessionId) {
    expired();
    return ask(question);
  }
  const { item, text } = addAnswer();
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    text.textContent = typeof problem.detail === "string" ? problem.detail : "Pertanyaan tidak dapat diproses.";
    text.classList.add("error");
    return;
  }
  // A dropped connection does not lose the answer: the server finishes it,
  // and the stream is picked up again after the last event that arrived.
  let lastId = 0;
  let finished = false;
  const follow = async (body) => {
    for await (const { id, event } of events(body)) {
      if (id) lastId = id;
      if (event.type === "session") localStorage.setItem(STORAGE_KEY, event.session_id);
      else if (event.type === "content") text.textContent += event.token;
      else if (event.type === "source") showSources(item, event.sources, event.citations);
      else if (event.type === "error") text.append(element("span", "error", ` ${event.error}`));
      if (event.type === "done" || event.type === "error") finished = true;
      scrollToEnd();
    }
  };
  await follow(response.body).catch(() => {});
  for (let attempt = 1; !finished && attempt <= RESUME_ATTEMPTS; attempt++) {
    await sleep(500 * attempt);
    const session = localStorage.getItem(STORAGE_KEY);
    if (!session) break;
    const resumed = await fetch(`/ask/stream/${encodeURIComponent(session)}?last_event_id=${lastId}`).catch(() => null);
    if (resumed?.ok) await follow(resumed.body).catch(() => {});
  }
  if (!finished) {
    text.append(element("span", "error", " Koneksi terputus sebelum jawaban selesai. Silakan coba lagi."));
  }
}

async function loadHistory() {
  const sessionId = localStorage.getItem(STORAGE_KEY);
  if (!sessionId) return;
  const response = await fetch(`/conversation/history/${encodeURIComponent(sessionId)}`);
  if (response.status === 404) return expired();
  if (!response.ok) return;
  const { history } = await response.json();
  for (const exchange of history) {
    addQuestion(exchange.question);
    const { item, text } = addAnswer();
    text.textContent = exchange.answer;
    if (exchange.complete === false) text.append(element("span", "error", " (jawaban tidak lengkap)"));
    showSources(item, exchange.sources, exchange.citations);
  }
  scrollToEnd();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const question = input.value.trim();
  if (!question) return;
  showNotice("");
  input.value = "";
  addQuestion(question);
  send.disabled = true;
  try {
    await ask(question);
  } catch {
    const { text } = addAnswer();
    text.textContent = "Tidak dapat terhubung ke server. Periksa koneksi Anda lalu coba lagi.";
    text.classList.add("error");
  } finally {
    send.disabled = false;
    input.focus();
  }
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

document.getElementById("new-conversation").addEventListener("click", () => {
  localStorage.removeItem(STORAGE_KEY);
  conversation.replaceChildren();
  empty.hidden = false;
  showNotice("");
  input.focus();
});

loadHistory().catch(() => showNotice("Riwayat percakapan tidak dapat dimuat."));
