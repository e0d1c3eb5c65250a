// What a client rendering an answer would load or link to: the text rendered
// by micromark with all of GitHub Flavored Markdown (tables, code and all),
// raw HTML let through, as a careless renderer would. Judges the guard from
// outside, with a reading different from its own.
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

export interface Rendered {
  /** True when the markdown holds HTML a renderer would pass through. */
  rawHtml: boolean;
  /** Every href and src in the rendered HTML. */
  targets: string[];
}

export function rendered(markdown: string): Rendered {
  const render = (allowDangerousHtml: boolean) =>
    micromark(markdown, {
      allowDangerousHtml,
      // Keep javascript: and the like, so a test sees them rather than micromark's own blanking.
      allowDangerousProtocol: true,
      extensions: [gfm()],
      htmlExtensions: [gfmHtml()],
    });
  const html = render(true);
  const targets = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) =>
    (match[1] ?? "").replaceAll("&amp;", "&").replaceAll("&quot;", '"'),
  );
  // Footnotes link within the page.
  return { rawHtml: html !== render(false), targets: targets.filter((target) => !target.startsWith("#user-content-")) };
}
