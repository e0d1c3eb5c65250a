// One answer on the chat page. While tokens stream in, its markdown is
// rendered again at most once per animation frame, not once per token. Once
// finished it gets numbered citation markers, each opening the passage it
// quotes, and a copy button.
import type { Citation } from "../../src/http/schemas.ts";
import { renderMarkdown } from "../shared/markdown.ts";

const COPIED_LABEL_MS = 2000;
let answers = 0;

export type AnswerViewOptions = {
  /** Hosts that links in answers may point at. */
  allowedHosts: readonly string[];
  /** Runs after each repaint of the text, e.g. to keep it in view. */
  onRender: () => void;
  /** Tells screen-reader users what happened. */
  announce: (text: string) => void;
};

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class AnswerView {
  readonly item = element("li", "answer");
  readonly #body = element("div", "text markdown");
  readonly #id = ++answers;
  readonly #options: AnswerViewOptions;
  #markdown = "";
  #frame = 0;

  constructor(options: AnswerViewOptions) {
    this.#options = options;
    this.item.setAttribute("aria-busy", "true");
    this.item.append(element("p", "who", "Pak Ma'il"), this.#body);
  }

  get hasText(): boolean {
    return this.#markdown.length > 0;
  }

  append(token: string): void {
    this.#markdown += token;
    this.#frame ||= requestAnimationFrame(() => this.#render());
  }

  /** A line under the answer: why it is missing or cut short. */
  note(text: string, kind: "error" | "stopped"): void {
    this.item.insertBefore(element("p", `note ${kind}`, text), this.#body.nextSibling);
  }

  showSources(sources: readonly string[], citations: readonly Citation[]): void {
    if (citations.length === 0 && sources.length === 0) return;
    const box = element("div", "citations");
    box.append(element("span", "label", "Sumber:"));
    if (citations.length === 0) {
      box.append(` ${sources.join(", ")}`);
      this.item.append(box);
      return;
    }
    const markers = element("ol", "markers");
    const passages: HTMLElement[] = [];
    for (const [index, citation] of citations.entries()) {
      const number = String(index + 1);
      const passage = element("blockquote", "passage");
      passage.id = `passage-${this.#id}-${number}`;
      passage.hidden = true;
      const quoted = element("div", "markdown");
      quoted.append(renderMarkdown(citation.snippet, this.#options.allowedHosts));
      passage.append(element("p", "from", `[${number}] ${citation.filename}`), quoted);
      passages.push(passage);
      const marker = element("button", "marker");
      marker.type = "button";
      marker.setAttribute("aria-expanded", "false");
      marker.setAttribute("aria-controls", passage.id);
      marker.title = `Buka kutipan dari ${citation.filename}`;
      marker.append(element("span", "number", `[${number}]`), ` ${citation.filename}`);
      marker.addEventListener("click", () => this.#toggle(markers, passages, index));
      const entry = element("li");
      entry.append(marker);
      markers.append(entry);
    }
    box.append(markers, ...passages);
    this.item.append(box);
  }

  /** Renders what arrived, adds the copy button and returns the answer as plain text. */
  finish(): string {
    cancelAnimationFrame(this.#frame);
    this.#render();
    this.item.setAttribute("aria-busy", "false");
    if (this.hasText) this.item.append(this.#copyButton());
    return this.#body.textContent?.trim() ?? "";
  }

  #render(): void {
    this.#frame = 0;
    this.#body.replaceChildren(renderMarkdown(this.#markdown, this.#options.allowedHosts));
    this.#options.onRender();
  }

  // One passage open at a time: the marker pressed toggles its own and closes the others.
  #toggle(markers: HTMLElement, passages: HTMLElement[], index: number): void {
    for (const [i, button] of markers.querySelectorAll("button").entries()) {
      const open = i === index && button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      const passage = passages[i];
      if (!passage) continue;
      passage.hidden = !open;
      if (open) passage.scrollIntoView({ block: "nearest" });
    }
  }

  #copyButton(): HTMLButtonElement {
    const button = element("button", "copy", "Salin");
    button.type = "button";
    button.setAttribute("aria-label", "Salin jawaban");
    button.addEventListener("click", async () => {
      const copied = await navigator.clipboard.writeText(this.#markdown).then(
        () => true,
        () => false,
      );
      button.textContent = copied ? "Tersalin" : "Gagal menyalin";
      this.#options.announce(copied ? "Jawaban disalin." : "Jawaban gagal disalin.");
      setTimeout(() => {
        button.textContent = "Salin";
      }, COPIED_LABEL_MS);
    });
    return button;
  }
}
