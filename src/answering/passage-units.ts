// A passage read as a reader sees it: sentences, lists with the sentence (or
// heading) that leads into them, and table rows with their header, each with
// the headings it sits under. The extractive generator scores and quotes
// these units rather than bare sentences, so a list is answered whole and a
// sentence keeps the context its heading gives it.
import { HEADING_SEPARATOR, headingOf, nextPath } from "../knowledge/chunking";
import type { Passage } from "../knowledge/retriever";
import { sentences } from "../knowledge/text-analysis";

export interface Unit {
  kind: "sentence" | "list" | "table";
  /** The unit as it is quoted: a sentence, a Markdown list, or a Markdown table. */
  text: string;
  /** What the unit's text does not say but its place does: headings, a table's header. */
  context: string;
  passage: number;
  position: number;
}

const LIST_ITEM = /^\s*(?:[-*+•▪◦]|(\d{1,2})[.)]|([a-z])[.)])\s+(.*)$/;
const TABLE_ROW = /^\s*\|(.*)\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}/;

/** The units of `passage` (the `index`-th retrieved), in document order. */
export function passageUnits(passage: Passage, index: number): Unit[] {
  // Ancestors stored with the chunk have no levels; nesting order is enough.
  let path = (passage.heading ? passage.heading.split(HEADING_SEPARATOR) : []).map((title, i) => ({
    level: i + 1,
    title,
  }));
  const units: Unit[] = [];
  const lines = passage.content.split("\n");
  const titles = () => path.map((heading) => heading.title).join(HEADING_SEPARATOR);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = headingOf(line);
    if (heading) {
      path = nextPath(path, line);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: string[] = [];
      while (i < lines.length && (LIST_ITEM.test(lines[i] as string) || /^\s{2,}\S/.test(lines[i] as string))) {
        items.push(listItem(lines[i] as string, items.length));
        i++;
      }
      i--;
      // The sentence that leads into the list, or else the heading above it.
      const previous = units.at(-1);
      const leadIsSentence = previous?.kind === "sentence" && isLead(lines, i + 1 - items.length);
      const lead = leadIsSentence ? (units.pop() as Unit).text : path.length > 0 ? `${path.at(-1)?.title}:` : "";
      units.push({
        kind: "list",
        text: [lead, ...items].filter(Boolean).join("\n"),
        context: titles(),
        passage: index,
        position: units.length,
      });
      continue;
    }
    if (TABLE_ROW.test(line)) {
      const rows: string[] = [];
      while (i < lines.length && (TABLE_ROW.test(lines[i] as string) || TABLE_RULE.test(lines[i] as string))) {
        if (!TABLE_RULE.test(lines[i] as string)) rows.push((lines[i] as string).trim());
        i++;
      }
      i--;
      const [header, ...body] = rows;
      const rule = `|${" --- |".repeat(cells(header ?? "").length)}`;
      for (const row of body.length > 0 ? body : rows) {
        units.push({
          kind: "table",
          text: body.length > 0 ? `${header}\n${rule}\n${row}` : row,
          context: `${titles()}\n${header ?? ""}`,
          passage: index,
          position: units.length,
        });
      }
      continue;
    }
    for (const sentence of sentences(line)) {
      units.push({ kind: "sentence", text: sentence, context: titles(), passage: index, position: units.length });
    }
  }
  return units;
}

// A list continues the paragraph line just above it (no heading between).
function isLead(lines: string[], firstItem: number): boolean {
  const above = lines[firstItem - 1];
  return above !== undefined && !headingOf(above) && !LIST_ITEM.test(above) && above.trim().length > 0;
}

function listItem(line: string, index: number): string {
  const match = LIST_ITEM.exec(line);
  if (!match) return `  ${line.trim()}`;
  const [, number, letter, text] = match;
  if (number) return `${number}. ${text}`;
  if (letter) return `${index + 1}. ${text}`;
  return `- ${text}`;
}

function cells(row: string): string[] {
  return row.replace(/^\s*\||\|\s*$/g, "").split("|");
}
