// Answers' markdown made readable on a terminal: bullets and numbers for
// lists, bold and italics as styles, aligned tables, links with their URL.
// marked parses it; a block is printed once it is complete (a paragraph, a
// list item, a table), since only then is its formatting known.

import { stripVTControlCharacters, type styleText } from "node:util";
import { lexer, type Token, type Tokens } from "marked";

/** Styles text, or leaves it plain (NO_COLOR). */
export type Paint = (style: Parameters<typeof styleText>[0], text: string) => string;

/** Turns a stream of markdown tokens into terminal text, a complete block at a time. */
export class TerminalMarkdown {
  readonly #paint: Paint;
  // Source not printed yet: the block still being written, and what follows it.
  #pending = "";
  // Items already printed of the list still being written.
  #printedItems = 0;
  #blocks = 0;

  constructor(paint: Paint) {
    this.#paint = paint;
  }

  /** Adds a token; returns what can be printed now. */
  push(token: string): string {
    this.#pending += token.replace(/\r\n?/g, "\n");
    // A block can only end where a line does.
    if (!token.includes("\n")) return "";
    const tokens = lexer(this.#pending);
    const last = tokens.findLastIndex((block) => block.type !== "space");
    let output = "";
    let consumed = 0;
    for (const [index, block] of tokens.entries()) {
      if (index >= last) break;
      output += this.#block(block, this.#printedItems);
      this.#printedItems = 0;
      consumed += block.raw.length;
    }
    this.#pending = this.#pending.slice(consumed);
    const open = tokens[last];
    if (open?.type === "list") {
      const list = open as Tokens.List;
      // Every item but the last is complete: a later line can only add to the last.
      const done = list.items.length - 1;
      if (done > this.#printedItems) {
        output += this.#block({ ...list, items: list.items.slice(0, done) }, this.#printedItems);
        this.#printedItems = done;
      }
    }
    return output;
  }

  /** What is left at the end of the answer. */
  flush(): string {
    let output = "";
    for (const block of lexer(this.#pending)) output += this.#block(block, this.#printedItems);
    this.#pending = "";
    this.#printedItems = 0;
    return output;
  }

  // One block with a line break after it; a blank line before every block
  // but the first, except when a list goes on.
  #block(block: Token, fromItem: number): string {
    if (block.type === "space" || block.type === "def") return "";
    const gap = this.#blocks++ > 0 && fromItem === 0 ? "\n" : "";
    return `${gap}${this.#render(block, "", fromItem)}\n`;
  }

  #render(block: Token, indent: string, fromItem = 0): string {
    const paint = this.#paint;
    switch (block.type) {
      case "paragraph":
      case "text":
        return indent + this.#inline("tokens" in block && block.tokens ? block.tokens : [block]);
      case "heading":
        return indent + paint(["bold", "underline"], this.#inline((block as Tokens.Heading).tokens));
      case "list": {
        const list = block as Tokens.List;
        const start = typeof list.start === "number" ? list.start : 1;
        return list.items
          .slice(fromItem)
          .map((item, i) => {
            const marker = list.ordered ? `${start + fromItem + i}.` : "•";
            const check = item.task ? (item.checked ? "[x] " : "[ ] ") : "";
            const inner = item.tokens
              .filter((token) => token.type !== "space" && token.type !== "checkbox")
              .map((token) => this.#render(token, `${indent}   `))
              .join("\n")
              .trimStart();
            return `${indent} ${paint("cyan", marker)} ${check}${inner}`;
          })
          .join("\n");
      }
      case "table":
        return this.#table(block as Tokens.Table, indent);
      case "blockquote":
        return (block as Tokens.Blockquote).tokens
          .filter((token) => token.type !== "space")
          .map((token) => this.#render(token, `${indent}${paint("dim", "│")} `))
          .join("\n");
      case "code":
        return (block as Tokens.Code).text
          .split("\n")
          .map((line) => `${indent}    ${line}`)
          .join("\n");
      case "hr":
        return `${indent}${paint("dim", "─".repeat(24))}`;
      default:
        return indent + ("text" in block && typeof block.text === "string" ? block.text : block.raw).trimEnd();
    }
  }

  #inline(tokens: readonly Token[]): string {
    const paint = this.#paint;
    return tokens
      .map((token) => {
        switch (token.type) {
          case "strong":
            return paint("bold", this.#inline((token as Tokens.Strong).tokens));
          case "em":
            return paint("italic", this.#inline((token as Tokens.Em).tokens));
          case "del":
            return paint("strikethrough", this.#inline((token as Tokens.Del).tokens));
          case "codespan":
            return paint("cyan", (token as Tokens.Codespan).text);
          case "br":
            return "\n";
          case "link": {
            const link = token as Tokens.Link;
            const label = this.#inline(link.tokens);
            return stripVTControlCharacters(label) === link.href
              ? paint("underline", label)
              : `${label} (${paint("underline", link.href)})`;
          }
          case "image":
            return (token as Tokens.Image).text;
          default:
            return "tokens" in token && token.tokens ? this.#inline(token.tokens) : "text" in token ? token.text : "";
        }
      })
      .join("");
  }

  #table(table: Tokens.Table, indent: string): string {
    const rows = [table.header, ...table.rows].map((row) => row.map((cell) => this.#inline(cell.tokens)));
    const widths = table.header.map((_, column) =>
      Math.max(...rows.map((row) => stripVTControlCharacters(row[column] ?? "").length)),
    );
    const line = (row: string[], header: boolean) =>
      indent +
      row
        .map((cell, column) => {
          const padded = cell + " ".repeat((widths[column] ?? 0) - stripVTControlCharacters(cell).length);
          return header ? this.#paint("bold", padded) : padded;
        })
        .join(this.#paint("dim", " │ "))
        .trimEnd();
    const [header = [], ...body] = rows;
    const rule = indent + this.#paint("dim", widths.map((width) => "─".repeat(width)).join("─┼─"));
    return [line(header, true), rule, ...body.map((row) => line(row, false))].join("\n");
  }
}
