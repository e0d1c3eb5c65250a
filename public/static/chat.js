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

// Yields the JSON `data` of each Server-Sent Event in a fetch response body.
async function* events(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const data = buffer
        .slice(0, end)
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      buffer = buffer.slice(end + 2);
      if (data) yield JSON.parse(data);
      end = buffer.indexOf("\n\n");
    }
  }
}

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
  for await (const event of events(response.body)) {
    if (event.type === "session") localStorage.setItem(STORAGE_KEY, event.session_id);
    else if (event.type === "content") text.textContent += event.token;
    else if (event.type === "source") showSources(item, event.sources, event.citations);
    else if (event.type === "error") {
      text.append(element("span", "error", ` ${event.error}`));
    }
    scrollToEnd();
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
