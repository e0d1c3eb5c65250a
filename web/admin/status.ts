// What the console says when a call fails: the server's own `detail`, so the
// staff see why (a file too large, a type not accepted). A refused token
// anywhere sends them back to sign in (admin.ts listens for UNAUTHORIZED).
import { ApiError } from "../../scripts/api-client.ts";

export const UNAUTHORIZED = "admin:unauthorized";

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return "Tidak dapat terhubung ke server. Periksa koneksi lalu coba lagi.";
}

/** Shows `error` in `box` (a `role="alert"` paragraph), or hides the box when there is none. */
export function showError(box: HTMLElement, error: unknown): void {
  if (error instanceof ApiError && error.status === 401) document.dispatchEvent(new Event(UNAUTHORIZED));
  box.textContent = error === null ? "" : `Gagal: ${messageOf(error)}`;
  box.hidden = error === null;
}

/** Tells screen-reader users what just happened. */
export function announce(text: string): void {
  const announcer = document.getElementById("announcer");
  if (announcer) announcer.textContent = text;
}
