// The insights tab: what was asked over 7 or 30 days, how it went, a chart
// per day, the questions the documents could not answer (each with a way to
// upload the missing document), the answers students disliked, and the same
// report as a CSV file.
import type { InsightsResponse } from "../../src/http/schemas.ts";
import { announce } from "../shared/announce.ts";
import { button, byId, element } from "../shared/element.ts";
import type { AdminApi } from "./admin-api.ts";
import { perDayChart } from "./chart.ts";
import { formatCount, formatDay, formatSeconds, formatTime } from "./format.ts";
import { showError } from "./status.ts";

export type InsightsTab = { load(): Promise<void> };

export function insightsTab(api: () => AdminApi, uploadFor: (question: string) => void): InsightsTab {
  const periodButtons = [...document.querySelectorAll<HTMLButtonElement>(".period button")];
  const error = byId("insights-error");
  const period = byId("insights-period");
  const numbers = byId("numbers");
  const chart = byId("per-day");
  let days = 7;
  let shown: InsightsResponse | null = null;

  async function load(): Promise<void> {
    try {
      shown = await api().insights(days);
      showError(error, null);
      render(shown);
    } catch (failure) {
      showError(error, failure);
    }
  }

  function render(report: InsightsResponse): void {
    period.textContent = `${formatDay(report.period.from)} – ${formatDay(report.period.to)} (${report.period.days} hari)`;
    const share = report.questions > 0 ? ` (${Math.round((report.answered / report.questions) * 100)}%)` : "";
    numbers.replaceChildren(
      figure("Pertanyaan", formatCount(report.questions)),
      figure("Terjawab dari dokumen", `${formatCount(report.answered)}${share}`),
      figure("Umpan balik", `👍 ${formatCount(report.feedback.up)} · 👎 ${formatCount(report.feedback.down)}`),
      figure(
        "Waktu jawab, detik (median · p95)",
        `${formatSeconds(report.latency_ms.p50)} · ${formatSeconds(report.latency_ms.p95)}`,
      ),
    );
    drawChart();
    fill(
      "unanswered",
      report.unanswered.map((entry) => {
        const item = listEntry(entry.question, `${entry.count}× · terakhir ${formatTime(entry.last_asked)}`);
        const upload = button("Unggah dokumen untuk ini", "secondary small");
        upload.addEventListener("click", () => uploadFor(entry.question));
        item.append(upload);
        return item;
      }),
      "Semua pertanyaan terjawab dari dokumen.",
    );
    fill(
      "disliked",
      report.disliked.map((entry) => {
        const item = listEntry(entry.question, `👎 ${entry.count}×`);
        if (entry.answer_excerpt) item.append(element("blockquote", "excerpt", entry.answer_excerpt));
        if (entry.comment) item.append(element("p", "comment", `Komentar: “${entry.comment}”`));
        return item;
      }),
      "Belum ada jawaban yang diberi 👎.",
    );
    fill(
      "top-questions",
      report.top_questions.map((entry) => listEntry(entry.question, `${entry.count}×`)),
      "Belum ada pertanyaan.",
    );
    fill(
      "top-sources",
      report.top_sources.map((entry) => listEntry(entry.filename, `${formatCount(entry.citations)} kutipan`)),
      "Belum ada dokumen yang dikutip.",
    );
  }

  function drawChart(): void {
    if (!shown || chart.clientWidth === 0) return;
    const legend = element("figcaption");
    legend.append(element("span", "key answered", "Terjawab"), element("span", "key unanswered", "Belum terjawab"));
    chart.replaceChildren(perDayChart(shown.per_day, chart.clientWidth), legend);
  }
  let drawnWidth = 0;
  new ResizeObserver(() => {
    if (chart.clientWidth === drawnWidth) return;
    drawnWidth = chart.clientWidth;
    drawChart();
  }).observe(chart);

  for (const choice of periodButtons) {
    choice.addEventListener("click", () => {
      days = Number(choice.dataset.days);
      for (const other of periodButtons) other.setAttribute("aria-pressed", String(other === choice));
      load();
    });
  }
  byId("reload-insights").addEventListener("click", () => load());
  byId("download-csv").addEventListener("click", async () => {
    try {
      const { blob, filename } = await api().insightsCsv(days);
      // A plain link cannot carry the admin token, so the file is fetched and handed over as a blob.
      const link = element("a");
      link.href = URL.createObjectURL(blob);
      link.download = filename;
      link.click();
      URL.revokeObjectURL(link.href);
      announce(`${filename} diunduh.`);
    } catch (failure) {
      showError(error, failure);
    }
  });

  return { load };
}

function figure(label: string, value: string): HTMLDivElement {
  const pair = element("div", "figure");
  pair.append(element("dt", "", label), element("dd", "", value));
  return pair;
}

function listEntry(text: string, meta: string): HTMLLIElement {
  const item = element("li");
  item.append(element("p", "what", text), element("p", "meta", meta));
  return item;
}

function fill(listId: string, items: HTMLLIElement[], empty: string): void {
  byId(listId).replaceChildren(...(items.length > 0 ? items : [element("li", "empty", empty)]));
}
