// Markdown as the pages show it: parsed by marked, then sanitised by DOMPurify
// down to text elements (paragraphs, lists, emphasis, tables, code, links).
// A link stays clickable only when it points at an allowed host; any other
// becomes its plain text. The server removes such links from answers too, but
// the page does not rely on it: stored answers and documents' own words reach
// it as well. Images become their alt text (the page loads none from outside).
import DOMPurify from "dompurify";
import { Marked } from "marked";
import { isAllowed } from "../../src/answering/allowed-hosts";

const ALLOWED_TAGS = [
  ...["p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote", "a"],
  ...["ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td"],
  ...["h1", "h2", "h3", "h4", "h5", "h6"],
];
const ALLOWED_ATTR = ["href", "align", "start"];

const marked = new Marked({
  gfm: true,
  // Chat answers break lines where they mean to.
  breaks: true,
  renderer: { image: ({ text }) => escapeHtml(text) },
});

/** The markdown as sanitised HTML, with links outside `allowedHosts` made plain text. */
export function renderMarkdown(markdown: string, allowedHosts: readonly string[]): DocumentFragment {
  const html = marked.parse(markdown, { async: false });
  const fragment = DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, RETURN_DOM_FRAGMENT: true });
  for (const link of fragment.querySelectorAll("a")) {
    if (isAllowed(link.getAttribute("href") ?? "", allowedHosts)) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    } else {
      link.replaceWith(...link.childNodes);
    }
  }
  return fragment;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
