// Answers can repeat what a document told the model to write. A markdown
// image is fetched by the client the moment it is rendered, carrying whatever
// its URL holds (the conversation, say), a link invites a click, and raw HTML
// can do either. So links, images, definitions, autolinks and bare URLs are
// kept only when they point at an allowed host (keeping a link's text when its
// target goes), and raw HTML never passes. Markdown is read by a real parser
// (markdown-links.ts); this module applies it to whole texts and to streams.
import type { HostAllowlist } from "./allowed-hosts";
import { applyEdits, isPlainText, liveOpeners, readMarkdown } from "./markdown-links";

/** The most text a stream holds back while a link may still be forming. */
export const HOLD_BACK_CHARS = 512;

// Removing a link can bring text together into a new one ("[[a](x)](y)");
// each reading removes at least one, and text that needs more readings than
// this is built to evade the guard, so it is escaped wholesale.
const MAX_READINGS = 4;
// A token is taken in steps of this size, so no reading is ever longer than
// HOLD_BACK_CHARS + READ_STEP.
const READ_STEP = 128;
const MIN_READ = 64;
const SPACE = /[ \t\r\n]/;

/** The text with what is not allowed removed, read as a whole. */
export function guardLinks(text: string, allowed: HostAllowlist): string {
  if (isPlainText(text)) return text;
  const guard = new LinkGuard(allowed);
  return guard.push(text) + guard.flush();
}

/**
 * Guards a token stream: `push` returns what is safe to send now, `flush` the
 * rest at the end. What it sends, joined, is itself guarded text. It cuts
 * only after whitespace and holds back text that may still become a link, up
 * to HOLD_BACK_CHARS; past that, the link's opening bracket is escaped, so
 * nothing later can complete it.
 *
 * Its cost grows linearly with the answer: the parser only ever reads the
 * held text, a bounded piece (its own worst cases, such as many unclosed
 * `<!--`, are quadratic in what it reads), and while text is held back it is
 * read again only once it has grown by half.
 */
export class LinkGuard {
  #held = "";
  // Dropping a "word" longer than HOLD_BACK_CHARS (no URL worth keeping is),
  // up to its next whitespace.
  #skipping = false;
  // The held length at which to look again for a place to cut.
  #nextLook = 0;

  constructor(private readonly allowed: HostAllowlist) {}

  push(token: string): string {
    let out = "";
    for (let at = 0; at < token.length; at += READ_STEP) out += this.#take(token.slice(at, at + READ_STEP));
    return out;
  }

  flush(): string {
    const rest = this.#skipping ? "" : guardPiece(this.#held, this.allowed, true);
    this.#held = "";
    this.#skipping = false;
    this.#nextLook = 0;
    return rest;
  }

  #take(piece: string): string {
    let text = piece;
    if (this.#skipping) {
      const space = text.search(SPACE);
      if (space < 0) return "";
      this.#skipping = false;
      text = text.slice(space);
    }
    this.#held += text;
    const held = this.#held;
    const over = held.length > HOLD_BACK_CHARS;
    if (!over && (held.length < this.#nextLook || !SPACE.test(text))) return "";
    const end = afterLastSpace(held, held.length);
    let cut = end;
    this.#nextLook = 0;
    if (cut > 0 && !isPlainText(held)) {
      if (!over && held.length < MIN_READ) {
        // Reading has a fixed cost: text that needs reading goes out in pieces worth it.
        this.#nextLook = MIN_READ;
        return "";
      }
      // Only brackets can open something that spans whitespace.
      if (/[[<]/.test(held)) {
        const { spans } = readMarkdown(held, this.allowed, true);
        const first = liveOpeners(held, spans)[0];
        if (first !== undefined && first < cut) cut = afterLastSpace(held, first);
        cut = outside(spans, held, cut);
        if (over) cut = end;
        else if (cut < end) this.#nextLook = held.length - cut + Math.max(MIN_READ, (held.length - cut) >> 1);
      }
    }
    this.#held = held.slice(cut);
    if (this.#held.length > HOLD_BACK_CHARS) {
      this.#held = "";
      this.#skipping = true;
    }
    return cut > 0 ? guardPiece(held.slice(0, cut), this.allowed, false) : "";
  }
}

/**
 * Guards one piece of text. Unless it is the end, text will follow it, so any
 * opening bracket that text could still complete is escaped too.
 */
function guardPiece(text: string, allowed: HostAllowlist, end: boolean): string {
  if (isPlainText(text)) return text;
  let out = text;
  for (let reading = 0; reading < MAX_READINGS; reading++) {
    const { edits, spans } = readMarkdown(out, allowed, !end);
    if (edits.length > 0) {
      out = applyEdits(out, edits);
      if (isPlainText(out)) return out;
      continue;
    }
    const open = end ? [] : liveOpeners(out, spans);
    if (open.length === 0) return out;
    out = applyEdits(
      out,
      open.map((at) => ({ at, end: at, insert: "\\" })),
    );
  }
  // Escaped, no bracket opens anything; what is left to remove are bare URLs,
  // and removing those cannot join text into anything new.
  out = applyEdits(out, escapeAll(out));
  out = applyEdits(out, readMarkdown(out, allowed, !end).edits);
  return readMarkdown(out, allowed, !end).edits.length === 0 ? out : "";
}

function escapeAll(text: string) {
  const edits = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "[" || text[i] === "]" || text[i] === "<") edits.push({ at: i, end: i, insert: "\\" });
  }
  return edits;
}

/** The cut moved back to whitespace before any construct it would split. */
function outside(spans: ReadonlyMap<number, number>, text: string, cut: number): number {
  let moved = cut;
  for (let again = true; again && moved > 0; ) {
    again = false;
    for (const [start, end] of spans) {
      if (start < moved && moved < end) {
        moved = afterLastSpace(text, start);
        again = true;
      }
    }
  }
  return moved;
}

/** The position just after the last whitespace before `limit`; 0 if there is none. */
function afterLastSpace(text: string, limit: number): number {
  for (let i = limit - 1; i >= 0; i--) {
    const char = text[i];
    if (char === " " || char === "\n" || char === "\t" || char === "\r") return i + 1;
  }
  return 0;
}
