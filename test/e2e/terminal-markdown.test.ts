import { styleText } from "node:util";
import { describe, expect, it } from "vitest";
import { type Paint, TerminalMarkdown } from "../../scripts/terminal-markdown.ts";

const ansi: Paint = (style, text) => styleText(style, text, { validateStream: false });
const plain: Paint = (_style, text) => text;
const BOLD = "\u001b[1m";
const BOLD_END = "\u001b[22m";

const ANSWER = `Syarat **pendaftaran** ulang:

- Ijazah atau *SKL*
- Rapor
  - semester 1 sampai 5
- KTP

1. Isi formulir
2. Bayar Rp 350.000

| Jalur | Biaya |
|---|---|
| Prestasi | Rp 0 |
| Tes tulis | Rp 350.000 |

Lihat [portal PMB](https://pmb.unm.ac.id) atau https://unm.ac.id.`;

function render(text: string, paint: Paint): string {
  const markdown = new TerminalMarkdown(paint);
  return markdown.push(text) + markdown.flush();
}

describe("answers' markdown in the terminal chat", () => {
  it("shows lists with bullets and numbers, tables in columns and links with their address", () => {
    expect(render(ANSWER, plain)).toBe(
      [
        "Syarat pendaftaran ulang:",
        "",
        " • Ijazah atau SKL",
        " • Rapor",
        "    • semester 1 sampai 5",
        " • KTP",
        "",
        " 1. Isi formulir",
        " 2. Bayar Rp 350.000",
        "",
        "Jalur     │ Biaya",
        "──────────┼───────────",
        "Prestasi  │ Rp 0",
        "Tes tulis │ Rp 350.000",
        "",
        "Lihat portal PMB (https://pmb.unm.ac.id) atau https://unm.ac.id.",
        "",
      ].join("\n"),
    );
  });

  it("shows bold as bold where the terminal has colours", () => {
    const shown = render(ANSWER, ansi);
    expect(shown).toContain(`Syarat ${BOLD}pendaftaran${BOLD_END} ulang:`);
    expect(shown).not.toContain("**");
  });

  it("prints each paragraph, list item and table once it is complete, as printing it whole would", () => {
    const markdown = new TerminalMarkdown(plain);
    const printed: string[] = [];
    for (const token of ANSWER.match(/[\s\S]{1,4}/g) ?? []) printed.push(markdown.push(token));
    printed.push(markdown.flush());
    expect(printed.join("")).toBe(render(ANSWER, plain));
    // The first list item is out while the list is still being written.
    const upToSecondItem = ANSWER.indexOf("- Rapor") + 2;
    const partial = new TerminalMarkdown(plain).push(ANSWER.slice(0, upToSecondItem));
    expect(partial).toBe("Syarat pendaftaran ulang:\n\n • Ijazah atau SKL\n");
  });
});
