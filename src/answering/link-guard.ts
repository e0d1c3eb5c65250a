// Answers can repeat what a document told the model to write. A markdown
// image is fetched by the client the moment it is rendered, carrying whatever
// its URL holds (the conversation, say), and a link invites a click; so both,
// and bare URLs, are kept only when they point at an allowed host. It works on
// a stream: text that may still turn into a link is held back until it is
// decided, so the tokens sent add up to exactly the answer stored.

const URL_CHAR = "[^\\s<>()\\[\\]\"'`]";
// A link target may hold balanced parentheses, as in CommonMark.
const TARGET = "(?:[^()\\s]|\\([^()\\s]{0,2000}\\))";
const OPEN_TARGET = `${TARGET}{0,2000}(?:\\([^()\\s]{0,2000})?`;

// A whole construct, leftmost first: [1] image or link, [2] autolink,
// [3] HTML image or anchor tag, [4] bare URL.
const CONSTRUCT = new RegExp(
  [
    `(!?)\\[([^\\]\\n]{0,500})\\]\\(\\s*(${TARGET}{0,2000})\\s*\\)`,
    `<(https?:\\/\\/[^>\\s]{1,2000})>`,
    `<\\/?(?:img|a)\\b[^>\\n]{0,2000}>`,
    `https?:\\/\\/${URL_CHAR}{1,2000}`,
  ].join("|"),
  "gi",
);

// A construct that the next token could still complete or extend, from its start.
const OPEN = new RegExp(
  `(?:!?\\[[^\\]\\n]{0,500}(?:\\](?:\\(\\s*${OPEN_TARGET}\\s*)?)?|!|<[^>\\n]{0,2000}|https?:\\/\\/${URL_CHAR}{0,2000}|h(?:t(?:t(?:p(?:s?(?::\\/?)?)?)?)?)?)$`,
  "iy",
);

export type HostAllowlist = readonly string[];

/** Parses a comma-separated host list; a host also allows its subdomains. */
export function hostAllowlist(hosts: string): HostAllowlist {
  return hosts
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
}

/** The text with images, links and URLs to hosts outside the allowlist neutralised. */
export function guardLinks(text: string, allowed: HostAllowlist): string {
  return text.replace(CONSTRUCT, (match, bang, label, target, autolink) => {
    if (label !== undefined) {
      const safeLabel = guardLinks(label, allowed);
      if (isAllowed(target, allowed)) return `${bang}[${safeLabel}](${target})`;
      return bang ? "" : safeLabel;
    }
    if (autolink !== undefined) return isAllowed(autolink, allowed) ? match : "";
    if (match.startsWith("<")) return "";
    return isAllowed(match, allowed) ? match : "";
  });
}

/** Guards a token stream: `push` returns what is safe to send now, `flush` the rest at the end. */
export class LinkGuard {
  #held = "";

  constructor(private readonly allowed: HostAllowlist) {}

  push(token: string): string {
    const text = this.#held + token;
    const cut = openFrom(text);
    this.#held = text.slice(cut);
    return guardLinks(text.slice(0, cut), this.allowed);
  }

  flush(): string {
    const rest = guardLinks(this.#held, this.allowed);
    this.#held = "";
    return rest;
  }
}

// Where the text stops being final: the leftmost point from which it is the
// unfinished beginning of a construct, skipping points inside a construct that
// is already complete (a bare URL at the very end can still grow).
function openFrom(text: string): number {
  const closed: Array<[number, number]> = [];
  for (const match of text.matchAll(CONSTRUCT)) {
    const end = match.index + match[0].length;
    if (end < text.length || match[0].endsWith(")") || match[0].endsWith(">")) closed.push([match.index, end]);
  }
  for (let start = 0; start < text.length; start++) {
    if (!"![<hH".includes(text.charAt(start))) continue;
    if (closed.some(([from, to]) => start > from && start < to)) continue;
    OPEN.lastIndex = start;
    if (OPEN.test(text)) return start;
  }
  return text.length;
}

function isAllowed(target: string, allowed: HostAllowlist): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return false;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  return allowed.some((entry) => host === entry || host.endsWith(`.${entry}`));
}
