// One answer on the chat page. While tokens stream in, its markdown is
// rendered again at most once per animation frame, not once per token. Once
// finished it gets numbered citation markers, each opening the passage it
// quotes, a copy button and, when complete, 👍/👎.
import type { Citation } from "../../src/http/schemas.ts";
import { button, element } from "../shared/element.ts";
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

export class AnswerView {
  readonly item = element("li", "answer");
  readonly #body = element("div", "text markdown");
  readonly #actions = element("div", "actions");
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
      const marker = button("", "marker");
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
    if (this.hasText) {
      this.#actions.append(this.#copyButton());
      this.item.append(this.#actions);
    }
    return this.#body.textContent?.trim() ?? "";
  }

  /** Puts the rating controls (feedback-bar.ts) beside the copy button of a finished answer. */
  offerFeedback(bar: HTMLElement): void {
    this.#actions.append(bar);
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
    const copy = button("Salin", "copy", "Salin jawaban");
    copy.addEventListener("click", async () => {
      const copied = await navigator.clipboard.writeText(this.#markdown).then(
        () => true,
        () => false,
      );
      copy.textContent = copied ? "Tersalin" : "Gagal menyalin";
      this.#options.announce(copied ? "Jawaban disalin." : "Jawaban gagal disalin.");
      setTimeout(() => {
        copy.textContent = "Salin";
      }, COPIED_LABEL_MS);
    });
    return copy;
  }
}
