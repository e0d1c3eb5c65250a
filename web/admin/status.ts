// What the console says when a call fails: the server's own `detail`, so the
// staff see why (a file too large, a type not accepted). A refused token
// anywhere sends them back to sign in (admin.ts listens for UNAUTHORIZED).
import { ApiError } from "../../scripts/api-client.ts";

export const UNAUTHORIZED = "admin:unauthorized";

/** What the console says `error` was; a refused token also sends the staff back to sign in. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) document.dispatchEvent(new Event(UNAUTHORIZED));
  if (error instanceof ApiError) return error.message;
  return "Tidak dapat terhubung ke server. Periksa koneksi lalu coba lagi.";
}

/** Shows `error` in `box` (a `role="alert"` paragraph), or hides the box when there is none. */
export function showError(box: HTMLElement, error: unknown): void {
  box.textContent = error === null ? "" : `Gagal: ${messageOf(error)}`;
  box.hidden = error === null;
}
