// Session ids are bearer secrets: whoever holds one can read the conversation.
// Only the server mints them, and logs only ever see a short hash.
import { sha256Hex } from "../sha256";

const ID_BYTES = 24; // 192 bits; the contract asks for at least 128.
const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_BYTES));
  return base64url(bytes);
}

/** Ids that could never have been issued are rejected without touching storage. */
export function isWellFormedSessionId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** A stable, non-reversible label for logs: first 12 hex digits of SHA-256. */
export async function sessionLogLabel(id: string): Promise<string> {
  return (await sha256Hex(new TextEncoder().encode(id))).slice(0, 12);
}

export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}
