import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { humanNow, isoInZone } from "../src/timezone";

// What a reader of the zone's wall clock sees, straight from Intl.
function wallClock(epochMs: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      fractionalSecondDigits: 3,
      timeZoneName: "longOffset",
    })
      .formatToParts(new Date(epochMs))
      .map((part) => [part.type, part.value]),
  );
  const offset = (parts.timeZoneName ?? "").replace("GMT", "") || "+00:00";
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond}${offset}`;
}

describe("timestamps in a time zone", () => {
  it("read like Indonesian clocks", () => {
    const instant = Date.UTC(2026, 10, 23, 7, 4, 5, 123);
    expect(isoInZone(instant, "Asia/Makassar")).toBe("2026-11-23T15:04:05.123+08:00");
    expect(isoInZone(instant, "Asia/Jakarta")).toBe("2026-11-23T14:04:05.123+07:00");
    expect(isoInZone(instant, "Asia/Jayapura")).toBe("2026-11-23T16:04:05.123+09:00");
  });

  it("match the zone's wall clock at any instant, across daylight-saving changes and odd offsets", () => {
    const zones = [
      "Asia/Makassar",
      "Europe/Berlin",
      "America/New_York",
      "America/St_Johns",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "UTC",
    ];
    // Around transitions too: every instant near a quarter hour of 2026's changes.
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
      fc
        .integer({ min: -2, max: 2 })
        .chain((step) =>
          fc
            .constantFrom(
              Date.UTC(2026, 2, 29, 1),
              Date.UTC(2026, 2, 8, 7),
              Date.UTC(2026, 9, 4, 15),
              Date.UTC(2026, 3, 4, 15),
            )
            .map((t) => t + step * 60_000 - 1),
        ),
    );
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (epochMs, zone) => {
        expect(isoInZone(epochMs, zone)).toBe(wallClock(epochMs, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it("tell the model the minute in the configured zone, turning over with the minute", () => {
    const at = Date.UTC(2026, 10, 23, 7, 4, 59);
    expect(humanNow(at, "Asia/Makassar")).toMatch(/^Senin, 23 November 2026\b.*\b15\.04 WITA$/);
    expect(humanNow(at + 1000, "Asia/Makassar")).toMatch(/\b15\.05 WITA$/);
    expect(humanNow(at + 1000, "Asia/Jakarta")).toMatch(/\b14\.05 WIB$/);
    expect(humanNow(at, "Asia/Makassar")).toMatch(/\b15\.04 WITA$/);
  });
});
