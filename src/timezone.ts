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

// Zone offsets change only at transitions, which fall on quarter hours, so
// each zone's offset is looked up once per quarter hour and a timestamp is
// then plain arithmetic: a listing of 50 sessions formats 150 of them.
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const MAX_CACHED_OFFSETS = 1000;
const offsets = new Map<string, { text: string; ms: number }>();

function offsetAt(timeZone: string, epochMs: number): { text: string; ms: number } {
  const quarter = Math.floor(epochMs / QUARTER_HOUR_MS);
  const key = `${timeZone} ${quarter}`;
  let offset = offsets.get(key);
  if (!offset) {
    const text = utcOffset(timeZone, new Date(quarter * QUARTER_HOUR_MS));
    const [, sign, hours, minutes] = /^([+-])(\d{2}):(\d{2})$/.exec(text) ?? ["", "+", "00", "00"];
    offset = { text, ms: (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000 };
    if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** ISO 8601 local time in `timeZone` with its offset, e.g. `2026-11-23T15:04:05.123+08:00`. */
export function isoInZone(epochMs: number, timeZone: string): string {
  const offset = offsetAt(timeZone, epochMs);
  return `${new Date(epochMs + offset.ms).toISOString().slice(0, 23)}${offset.text}`;
}

/** The calendar date in `timeZone`, as `2026-11-23`. */
export function localDate(epochMs: number, timeZone: string): string {
  return isoInZone(epochMs, timeZone).slice(0, 10);
}

// The text shows minutes, so it is formatted once per minute and zone.
let lastHumanNow = { key: "", text: "" };

/** "Senin, 23 November 2026 15.04 WITA": how the generator is told the current time. */
export function humanNow(epochMs: number, timeZone: string): string {
  const minute = Math.floor(epochMs / 60_000);
  const key = `${timeZone} ${minute}`;
  if (lastHumanNow.key !== key) {
    const date = new Date(minute * 60_000);
    const text = format("id-ID", { timeZone, dateStyle: "full", timeStyle: "short" }).format(date);
    lastHumanNow = { key, text: `${text} ${zoneAbbreviation(timeZone, date)}` };
  }
  return lastHumanNow.text;
}
