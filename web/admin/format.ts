// How the console writes sizes, times and counts, the Indonesian way.

const dateTime = new Intl.DateTimeFormat("id-ID", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dayMonth = new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "short", timeZone: "UTC" });
const number = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 });

/**
 * A time from the server as its wall-clock time. The server writes times in
 * its TIMEZONE with that offset; the staff read them as the campus clock
 * says, whatever zone the browser is in.
 */
export function formatTime(iso: string): string {
  const wall = Date.parse(`${iso.slice(0, 19)}Z`);
  return Number.isNaN(wall) ? iso : dateTime.format(wall);
}

/** A calendar date (YYYY-MM-DD) as "23 Nov". */
export function formatDay(date: string): string {
  const day = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(day) ? date : dayMonth.format(day);
}

export function formatCount(count: number): string {
  return number.format(count);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${number.format(bytes / 1024)} KB`;
  return `${number.format(bytes / (1024 * 1024))} MB`;
}

const seconds = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 });

/** Milliseconds as seconds ("0,03", "2,4"): what staff compare answers by. */
export function formatSeconds(ms: number | null): string {
  return ms === null ? "–" : seconds.format(ms / 1000);
}
