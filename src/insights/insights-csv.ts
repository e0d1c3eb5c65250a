// The insights report as one CSV file (RFC 4180) for a spreadsheet: a row per
// number and per list entry, named by its section, in the columns its section
// has. Written here rather than with a CSV library: the maintained ones declare
// their types against Node's, which would replace the Worker's own.
import type { InsightsResponse } from "../http/schemas";

const COLUMNS = [
  "section",
  "date",
  "question",
  "filename",
  "value",
  "unanswered",
  "last_asked",
  "answer_excerpt",
  "comment",
] as const;
type Row = Partial<Record<(typeof COLUMNS)[number], string | number | null>>;

// A cell starting with one of these is a formula to a spreadsheet. Questions
// and comments are typed by anyone, so such a cell gets a leading ' (as
// OWASP's advice on CSV injection has it).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function insightsCsv(report: InsightsResponse): string {
  const rows: Row[] = [
    { section: "questions", value: report.questions },
    { section: "answered", value: report.answered },
    { section: "feedback_up", value: report.feedback.up },
    { section: "feedback_down", value: report.feedback.down },
    { section: "latency_p50_ms", value: report.latency_ms.p50 },
    { section: "latency_p95_ms", value: report.latency_ms.p95 },
    ...report.per_day.map((day) => ({
      section: "per_day",
      date: day.date,
      value: day.questions,
      unanswered: day.unanswered,
    })),
    ...report.top_questions.map((entry) => ({
      section: "top_questions",
      question: entry.question,
      value: entry.count,
    })),
    ...report.unanswered.map((entry) => ({
      section: "unanswered",
      question: entry.question,
      value: entry.count,
      last_asked: entry.last_asked,
    })),
    ...report.disliked.map((entry) => ({
      section: "disliked",
      question: entry.question,
      value: entry.count,
      answer_excerpt: entry.answer_excerpt,
      comment: entry.comment,
    })),
    ...report.top_sources.map((entry) => ({
      section: "top_sources",
      filename: entry.filename,
      value: entry.citations,
    })),
  ];
  const lines = [COLUMNS, ...rows.map((row) => COLUMNS.map((column) => row[column] ?? ""))].map((cells) =>
    cells.map(cell).join(","),
  );
  // The byte-order mark makes spreadsheets read the file as UTF-8.
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

function cell(value: string | number): string {
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) || text !== value ? `"${text.replaceAll('"', '""')}"` : text;
}
