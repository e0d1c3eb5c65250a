// Reads a piece of markdown with micromark (CommonMark plus GFM's bare URLs)
// and finds everything a client rendering it could fetch or open: links,
// images, link definitions, autolinks, bare and www. URLs, and raw HTML. It
// returns the edits that remove what is not allowed, and where text still to
// come could complete a link or a tag.
import { parse, postprocess, preprocess } from "micromark";
import { gfmAutolinkLiteral } from "micromark-extension-gfm-autolink-literal";
import { decodeString } from "micromark-util-decode-string";
import { normalizeIdentifier } from "micromark-util-normalize-identifier";
import type { Event, Token } from "micromark-util-types";
import { type HostAllowlist, isAllowed } from "./allowed-hosts";

/** Replace `text.slice(at, end)` with `insert`. */
export interface Edit {
  at: number;
  end: number;
  insert: string;
}

export interface Reading {
  /** In text order, never overlapping. */
  edits: Edit[];
  /** Every link, image, definition, autolink, bare URL and HTML as parsed, start → end, allowed or not. */
  spans: Map<number, number>;
}

// Code is read as ordinary text. A renderer that sees code where this reading
// would not (or the other way round, when an answer is read in pieces) must
// never find a live link there, so links are judged inside code too.
const extensions = [gfmAutolinkLiteral(), { disable: { null: ["codeIndented", "codeFenced", "codeText"] } }];

const ESCAPE = "\\";
const FOLLOWING_TEXT = "a";
const CONSTRUCTS = new Set(["htmlFlow", "htmlText", "definition", "autolink", "literalAutolink", "link", "image"]);

/**
 * Reads `text`; with `more`, as text that more will follow (after its final
 * whitespace), since what ends a document can read differently ("www.").
 */
export function readMarkdown(text: string, allowed: HostAllowlist, more = false): Reading {
  const source = more ? `${text}${FOLLOWING_TEXT}` : text;
  const events = postprocess(
    parse({ extensions })
      .document()
      .write(preprocess()(source, undefined, true)),
  );
  const exits = exitIndexes(events);
  const slice = (token: Token) => text.slice(token.start.offset, token.end.offset);
  const tokenAt = (at: number | undefined) => (at === undefined ? undefined : (events[at] as Event)[1]);
  const edits: Edit[] = [];
  const spans = new Map<number, number>();
  const drop = (at: number, end: number) => {
    if (end > at && at < text.length) edits.push({ at, end: Math.min(end, text.length), insert: "" });
  };

  // Definitions apply to the whole text, before or after their use; the first one of a label wins.
  const definitions = new Map<string, string>();
  for (let i = 0; i < events.length; i++) {
    const [kind, token] = events[i] as Event;
    if (kind !== "enter" || token.type !== "definition") continue;
    const label = tokenAt(find(events, i, exits, "definitionLabelString"));
    const destination = tokenAt(find(events, i, exits, "definitionDestinationString"));
    const id = label ? normalizeIdentifier(slice(label)) : "";
    if (!definitions.has(id)) definitions.set(id, destination ? decodeString(slice(destination)) : "");
    i = exits[i] as number;
  }

  const linkTarget = (at: number, label: Token | undefined): string => {
    if (find(events, at, exits, "resource") !== undefined) {
      const destination = tokenAt(find(events, at, exits, "resourceDestinationString"));
      return destination ? decodeString(slice(destination)) : "";
    }
    const reference = tokenAt(find(events, at, exits, "referenceString"));
    const id = reference ? slice(reference) : label ? slice(label) : "";
    return definitions.get(normalizeIdentifier(id)) ?? "";
  };

  const walk = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const [kind, token] = events[i] as Event;
      if (kind !== "enter") continue;
      const exit = exits[i] as number;
      if (CONSTRUCTS.has(token.type) && token.start.offset < text.length) {
        spans.set(token.start.offset, Math.min(token.end.offset, text.length));
      }
      switch (token.type) {
        case "htmlFlow":
        case "htmlText":
          drop(token.start.offset, token.end.offset);
          i = exit;
          break;
        case "definition": {
          const destination = tokenAt(find(events, i, exits, "definitionDestinationString"));
          if (!destination || !isAllowed(decodeString(slice(destination)), allowed)) {
            drop(token.start.offset, token.end.offset);
          }
          i = exit;
          break;
        }
        case "autolink":
        case "literalAutolink":
          if (!isAllowed(autolinkTarget(events, i, exits, slice), allowed)) drop(token.start.offset, token.end.offset);
          i = exit;
          break;
        case "link":
        case "image": {
          const label = find(events, i, exits, "labelText");
          const labelToken = label === undefined ? undefined : (events[label] as Event)[1];
          if (!isAllowed(linkTarget(i, labelToken), allowed)) {
            // The text stays; what makes it a link goes.
            drop(token.start.offset, labelToken ? labelToken.start.offset : token.end.offset);
            if (labelToken) drop(labelToken.end.offset, token.end.offset);
          }
          if (label !== undefined) walk(label + 1, exits[label] as number);
          i = exit;
          break;
        }
        case "characterEscape":
        case "characterReference":
          i = exit;
          break;
        case "data":
          escapeOpeners(text, token, edits);
          break;
      }
    }
  };
  walk(0, events.length);
  return { edits, spans };
}

// Text that is plain here but could open raw HTML or a link definition where
// a renderer's reading differs (after a code fence, say) is escaped.
function escapeOpeners(text: string, token: Token, edits: Edit[]): void {
  for (let k = token.start.offset; k < Math.min(token.end.offset, text.length); k++) {
    const char = text[k];
    const next = text[k + 1] ?? "";
    if ((char === "<" && /^[A-Za-z!?/]$/.test(next)) || (char === "]" && next === ":")) {
      edits.push({ at: k, end: k, insert: ESCAPE });
    }
  }
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = "";
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.at) + edit.insert;
    at = edit.end;
  }
  return out + text.slice(at);
}

/**
 * Where text still to come could turn what is here into a link, an image, a
 * definition or a tag: an unclosed `[`; a closed `[…]` at the end, or followed
 * by `(` or `[` but not (yet) a link, or by `:` and a destination not yet
 * ended; and a `<` before its `>`. Constructs in `spans` are skipped whole.
 */
export function liveOpeners(text: string, spans: ReadonlyMap<number, number>): number[] {
  const open: number[] = [];
  const live: number[] = [];
  let angle = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const span = spans.get(i);
    if (span !== undefined) {
      i = span - 1;
    } else if (char === ESCAPE && isAsciiPunctuation(text.charCodeAt(i + 1))) {
      i++;
    } else if (char === "\n" && blankLineFollows(text, i)) {
      // No inline construct crosses a blank line.
      open.length = 0;
      live.length = 0;
      angle = -1;
    } else if (char === "[") {
      open.push(i);
    } else if (char === "]" && open.length > 0) {
      const start = open.pop() as number;
      const next = text[i + 1];
      if (next === undefined || next === "(" || next === "[") live.push(start);
      else if (next === ":" && definitionOpen(text, i + 2)) live.push(start);
    } else if (char === "<" && angle < 0 && /^[A-Za-z!?/]?$/.test(text[i + 1] ?? "")) {
      angle = i;
    } else if (char === ">") {
      angle = -1;
    }
  }
  live.push(...open);
  if (angle >= 0) live.push(angle);
  return live.sort((a, b) => a - b);
}

// Whether a definition whose destination starts at `at` (after optional
// whitespace and one line ending) may still change: its line has not ended.
// Text after the destination on the same line decides whether it is one.
function definitionOpen(text: string, at: number): boolean {
  let i = at;
  while (text[i] === " " || text[i] === "\t") i++;
  if (text[i] === "\r") i++;
  if (text[i] === "\n") i++;
  while (text[i] === " " || text[i] === "\t") i++;
  return i >= text.length || text.indexOf("\n", i) < 0;
}

/** True when the text holds nothing that markdown could read as a link, an image, a URL or HTML. */
export function isPlainText(text: string): boolean {
  return !/[[<@]|:\/\/|www\./i.test(text);
}

function autolinkTarget(events: Event[], at: number, exits: number[], slice: (token: Token) => string): string {
  const text = (type: string) => {
    const found = find(events, at, exits, type);
    return found === undefined ? undefined : slice((events[found] as Event)[1]);
  };
  const url = text("autolinkProtocol") ?? text("literalAutolinkHttp");
  if (url !== undefined) return url;
  const www = text("literalAutolinkWww");
  if (www !== undefined) return `http://${www}`;
  const address = text("autolinkEmail") ?? text("literalAutolinkEmail");
  if (address === undefined) return "";
  return /^mailto:/i.test(address) ? address : `mailto:${address}`;
}

/**
 * The index of the first token of `type` inside the token entered at `at`,
 * not looking into link text, which holds content of its own.
 */
function find(events: Event[], at: number, exits: number[], type: string): number | undefined {
  const end = exits[at] as number;
  for (let i = at + 1; i < end; i++) {
    const [kind, token] = events[i] as Event;
    if (kind !== "enter") continue;
    if (token.type === type) return i;
    if (token.type === "labelText") i = exits[i] as number;
  }
  return undefined;
}

/** For each enter event, the index of its exit. */
function exitIndexes(events: Event[]): number[] {
  const exits: number[] = new Array(events.length);
  const stack: number[] = [];
  for (const [i, [kind]] of events.entries()) {
    if (kind === "enter") stack.push(i);
    else exits[stack.pop() as number] = i;
  }
  return exits;
}

function blankLineFollows(text: string, newline: number): boolean {
  for (let i = newline + 1; i < text.length; i++) {
    const char = text[i];
    if (char === "\n" || char === "\r") return true;
    if (char !== " " && char !== "\t") return false;
  }
  return false;
}

function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  );
}
