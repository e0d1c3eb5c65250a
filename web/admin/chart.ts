// The per-day chart of the insights: one bar per day, the questions answered
// from the documents below and those left unanswered stacked on top. Plain
// SVG drawn to the width it is shown at, so its labels stay readable on a phone.
import type { InsightsResponse } from "../../src/http/schemas.ts";
import { formatCount, formatDay } from "./format.ts";

type Day = InsightsResponse["per_day"][number];

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 180;
const MARGIN = { top: 12, right: 8, bottom: 24, left: 36 };
// Enough room between date labels for "23 Nov".
const LABEL_WIDTH = 48;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function label(x: number, y: number, anchor: "end" | "middle", text: string): SVGTextElement {
  const node = svg("text", { class: "axis", x, y, "text-anchor": anchor });
  node.textContent = text;
  return node;
}

/** A round number at or above `value`, for the top of the scale. */
function niceCeiling(value: number): number {
  if (value <= 4) return 4;
  const step = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((factor) => factor * step).find((top) => top >= value) ?? 10 * step;
}

export function perDayChart(days: readonly Day[], width: number): SVGSVGElement {
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = niceCeiling(Math.max(0, ...days.map((day) => day.questions)));
  const y = (count: number) => MARGIN.top + plotHeight - (count / top) * plotHeight;
  const slot = plotWidth / Math.max(days.length, 1);
  const bar = Math.max(2, Math.min(slot * 0.7, 40));

  const total = days.reduce((sum, day) => sum + day.questions, 0);
  const unanswered = days.reduce((sum, day) => sum + day.unanswered, 0);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: "img" });
  const first = days[0]?.date ?? "";
  const last = days.at(-1)?.date ?? "";
  chart.setAttribute(
    "aria-label",
    `Pertanyaan per hari, ${formatDay(first)} sampai ${formatDay(last)}: ${total} pertanyaan, ${unanswered} belum terjawab`,
  );

  for (const value of [0, top / 2, top]) {
    chart.append(
      svg("line", { class: "grid", x1: MARGIN.left, x2: width - MARGIN.right, y1: y(value), y2: y(value) }),
      label(MARGIN.left - 6, y(value) + 4, "end", formatCount(value)),
    );
  }

  const every = Math.ceil(LABEL_WIDTH / slot);
  for (const [i, day] of days.entries()) {
    const x = MARGIN.left + i * slot + (slot - bar) / 2;
    const group = svg("g", {});
    const title = svg("title", {});
    title.textContent = `${formatDay(day.date)}: ${day.questions} pertanyaan, ${day.unanswered} belum terjawab`;
    const answered = day.questions - day.unanswered;
    group.append(
      title,
      svg("rect", { class: "answered", x, width: bar, y: y(answered), height: y(0) - y(answered) }),
      svg("rect", { class: "unanswered", x, width: bar, y: y(day.questions), height: y(answered) - y(day.questions) }),
      // An invisible full-height bar, so that the day's tooltip shows wherever its column is pointed at.
      svg("rect", { class: "hit", x: MARGIN.left + i * slot, width: slot, y: MARGIN.top, height: plotHeight }),
    );
    // The latest day is always labelled; the others as room allows, counting back from it.
    if ((days.length - 1 - i) % every === 0)
      group.append(label(x + bar / 2, HEIGHT - 6, "middle", formatDay(day.date)));
    chart.append(group);
  }
  return chart;
}
