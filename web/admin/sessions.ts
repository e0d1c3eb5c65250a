// The sessions tab: how many conversations are live, a page of them at a
// time (newest first), and deleting one with its history.
import type { SessionListResponse } from "../../src/http/schemas.ts";
import { announce } from "../shared/announce.ts";
import { byId, element, labelledCell } from "../shared/element.ts";
import type { AdminApi } from "./admin-api.ts";
import { deleteCell } from "./delete-cell.ts";
import { formatCount, formatTime } from "./format.ts";
import { showError } from "./status.ts";

type Session = SessionListResponse["data"][number];

// Enough of an id to tell sessions apart on screen; the whole id is in the tooltip.
const SHOWN_ID_CHARS = 8;

export type SessionsTab = { load(): Promise<void> };

export function sessionsTab(api: () => AdminApi): SessionsTab {
  const count = byId("session-count");
  const error = byId("sessions-error");
  const table = byId<HTMLTableElement>("session-list");
  const empty = byId("sessions-empty");
  const more = byId<HTMLButtonElement>("more-sessions");
  let next: string | null = null;
  let total = 0;

  async function load(append = false): Promise<void> {
    try {
      const page = await api().sessions(append ? next : null);
      showError(error, null);
      next = page.next_cursor;
      total = page.total;
      const rows = page.data.map(sessionRow);
      if (append) table.tBodies[0]?.append(...rows);
      else table.tBodies[0]?.replaceChildren(...rows);
      showCount();
    } catch (failure) {
      showError(error, failure);
    }
  }

  function showCount(): void {
    count.textContent = `Sesi aktif: ${formatCount(total)}`;
    const rows = table.tBodies[0]?.rows.length ?? 0;
    table.hidden = rows === 0;
    empty.hidden = rows > 0;
    more.hidden = next === null;
  }

  function sessionRow(session: Session): HTMLTableRowElement {
    const row = element("tr");
    const id = element("th", "id", `${session.session_id.slice(0, SHOWN_ID_CHARS)}…`);
    id.scope = "row";
    id.title = session.session_id;
    const action = deleteCell(
      `Hapus sesi ${session.session_id.slice(0, SHOWN_ID_CHARS)}`,
      `Hapus sesi ini beserta ${session.total_exchanges} tanya jawabnya? Penggunanya akan memulai percakapan baru.`,
      async () => {
        await api().deleteSession(session.session_id);
        row.remove();
        total = Math.max(0, total - 1);
        showCount();
        announce("Sesi dihapus.");
      },
      error,
    );
    row.append(
      id,
      labelledCell("Dimulai", formatTime(session.created_at)),
      labelledCell("Terakhir aktif", formatTime(session.last_activity)),
      labelledCell("Tanya jawab", formatCount(session.total_exchanges), "number"),
      action,
    );
    return row;
  }

  more.addEventListener("click", () => load(true));
  byId("reload-sessions").addEventListener("click", () => load());
  return { load: () => load() };
}
