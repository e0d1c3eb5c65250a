// Times as Indonesian users read them: ISO 8601 with the configured zone's
// offset, and the WIB/WITA/WIT names for the three Indonesian zones.

const INDONESIAN_ZONES: Record<string, string> = {
  "Asia/Jakarta": "WIB",
  "Asia/Pontianak": "WIB",
  "Asia/Makassar": "WITA",
  "Asia/Ujung_Pandang": "WITA",
  "Asia/Jayapura": "WIT",
};

// Building a DateTimeFormat costs far more than using one, and every
// timestamp in every response goes through here.
const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let cached = formats.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, options);
    formats.set(key, cached);
  }
  return cached;
}

/** UTC offset of `timeZone` at `date`, as `+08:00`. */
export function utcOffset(timeZone: string, date: Date): string {
  const name = format("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(date)
    .find((part) => part.type === "timeZoneName")?.value;
  // "GMT" alone means an offset of zero.
  const offset = name?.replace("GMT", "") ?? "";
  return offset === "" ? "+00:00" : offset;
}

export function zoneAbbreviation(timeZone: string, date: Date): string {
  const indonesian = INDONESIAN_ZONES[timeZone];
  if (indonesian) return indonesian;
  return (
    format("en-US", { timeZone, timeZoneName: "short" })
      .formatToParts(date)
      .find((part) => part.type === "timeZoneName")?.value ?? "UTC"
  );
}

/** ISO 8601 local time in `timeZone` with its offset, e.g. `2026-11-23T15:04:05.123+08:00`. */
export function isoInZone(epochMs: number, timeZone: string): string {
  const offset = utcOffset(timeZone, new Date(epochMs));
  const [, sign, hours, minutes] = /^([+-])(\d{2}):(\d{2})$/.exec(offset) ?? ["", "+", "00", "00"];
  const offsetMs = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  return `${new Date(epochMs + offsetMs).toISOString().slice(0, 23)}${offset}`;
}

/** The calendar date in `timeZone`, as `2026-11-23`. */
export function localDate(epochMs: number, timeZone: string): string {
  return isoInZone(epochMs, timeZone).slice(0, 10);
}

/** `date` (YYYY-MM-DD) moved by `days` calendar days. */
export function shiftDate(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** "Senin, 23 November 2026 15.04 WITA": how the generator is told the current time. */
export function humanNow(epochMs: number, timeZone: string): string {
  const date = new Date(epochMs);
  const text = format("id-ID", { timeZone, dateStyle: "full", timeStyle: "short" }).format(date);
  return `${text} ${zoneAbbreviation(timeZone, date)}`;
}
