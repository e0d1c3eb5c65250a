// The staff console at /admin: sign-in with the admin token (kept in this
// tab's sessionStorage only, never in localStorage), then three tabs:
// documents, insights and sessions. A server with no ADMIN_TOKEN (a laptop
// running `npm run dev`) lets the page in without one.
import { ApiError } from "../../scripts/api-client.ts";
import type { StoredFile } from "../../src/http/schemas.ts";
import { byId } from "../shared/element.ts";
import { AdminApi } from "./admin-api.ts";
import { documentsTab } from "./documents.ts";
import { insightsTab } from "./insights.ts";
import { sessionsTab } from "./sessions.ts";
import { messageOf, UNAUTHORIZED } from "./status.ts";

const TOKEN_KEY = "tanya-mail.admin_token";

const loading = byId("loading");
const signIn = byId<HTMLFormElement>("sign-in");
const tokenInput = byId<HTMLInputElement>("token");
const signInError = byId("sign-in-error");
const consoleView = byId("console");
const access = byId("access");
const signOut = byId<HTMLButtonElement>("sign-out");

let api = new AdminApi(null);
const documents = documentsTab(() => api);
const tabs = {
  documents,
  insights: insightsTab(
    () => api,
    (question) => {
      select("documents");
      documents.uploadFor(question);
    },
  ),
  sessions: sessionsTab(() => api),
};
type TabName = keyof typeof tabs;

function select(name: TabName): void {
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    const selected = tab.getAttribute("aria-controls") === name;
    tab.setAttribute("aria-selected", String(selected));
    byId(tab.getAttribute("aria-controls") ?? "").hidden = !selected;
  }
}

function showSignIn(message: string | null): void {
  loading.hidden = true;
  consoleView.hidden = true;
  signOut.hidden = true;
  access.hidden = true;
  signIn.hidden = false;
  signInError.textContent = message ?? "";
  signInError.hidden = message === null;
  tokenInput.focus();
}

/** Opens the console if the server accepts `token` (or no token, on a local server); otherwise says why not. */
async function enter(token: string | null): Promise<boolean> {
  const candidate = new AdminApi(token);
  let files: StoredFile[];
  try {
    files = await candidate.files();
  } catch (error) {
    showSignIn(refusal(error, token));
    return false;
  }
  api = candidate;
  loading.hidden = true;
  signIn.hidden = true;
  consoleView.hidden = false;
  signOut.hidden = token === null;
  access.hidden = token !== null;
  access.textContent = "Server lokal tanpa token admin";
  select("documents");
  documents.show(files);
  return true;
}

function refusal(error: unknown, token: string | null): string | null {
  if (!(error instanceof ApiError)) return messageOf(error);
  if (error.status === 401) return token ? `Token tidak diterima. (${error.message})` : null;
  if (error.status === 429) return `Terlalu banyak percobaan. ${error.message}`;
  return error.message;
}

signIn.addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!(await enter(token))) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  tokenInput.value = "";
});

signOut.addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  // A fresh page holds none of what the console showed.
  location.reload();
});

document.addEventListener(UNAUTHORIZED, () => {
  sessionStorage.removeItem(TOKEN_KEY);
  api = new AdminApi(null);
  showSignIn("Token tidak lagi diterima. Silakan masuk lagi.");
});

for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
  tab.addEventListener("click", () => {
    const name = tab.getAttribute("aria-controls") as TabName;
    select(name);
    tabs[name].load();
  });
}

const stored = sessionStorage.getItem(TOKEN_KEY);
if (!(await enter(stored))) sessionStorage.removeItem(TOKEN_KEY);
