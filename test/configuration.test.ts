import { describe, expect, it } from "vitest";
import readme from "../README.md";
import { settingsSchema } from "../src/config";

// The rows of the README's configuration table, by the settings their first cell names.
const rows = new Map(
  readme
    .slice(readme.indexOf("## Configuration"))
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => {
      const [, names = "", fallback = ""] = line.split("|");
      return [...names.matchAll(/`([A-Z_]+)`/g)].map((match) => [match[1] as string, fallback.trim()] as const);
    }),
);

describe("the README's configuration table", () => {
  it("lists every setting with the default the code applies, and no others", () => {
    const defaults: Record<string, unknown> = settingsSchema.parse({});
    const names = Object.keys(settingsSchema.shape);
    expect([...rows.keys()].sort()).toEqual([...names].sort());
    for (const name of names) {
      const value = defaults[name];
      const documented = rows.get(name);
      if (value === undefined || (Array.isArray(value) && value.length === 0)) {
        expect(documented, name).toMatch(/^(unset|none)/);
      } else {
        expect(documented, name).toBe(`\`${String(value)}\``);
      }
    }
  });
});
