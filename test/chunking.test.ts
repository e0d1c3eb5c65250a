import { describe, expect, it } from "vitest";
import { CHUNK_OVERLAP, CHUNK_SIZE, chunkText } from "../src/knowledge/chunking";

const paragraph = (n: number) =>
  Array.from(
    { length: 6 },
    (_, i) => `Kalimat nomor ${i + 1} dari paragraf ${n} menjelaskan satu aturan akademik.`,
  ).join(" ");

describe("chunkText", () => {
  it("keeps a short document whole", () => {
    expect(chunkText("# Judul\n\nSatu paragraf pendek.")).toEqual([
      { content: "# Judul\nSatu paragraf pendek.", heading: "" },
    ]);
  });

  it("cuts long text into chunks of about 1000 characters that overlap and lose nothing", () => {
    const text = Array.from({ length: 20 }, (_, i) => paragraph(i)).join("\n\n");
    const chunks = chunkText(text).map((chunk) => chunk.content);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(CHUNK_SIZE + CHUNK_OVERLAP);
    for (let i = 0; i < 20; i++) expect(chunks.some((chunk) => chunk.includes(paragraph(i)))).toBe(true);
  });

  it("splits an over-long paragraph on sentence boundaries, with overlap between chunks", () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Ini kalimat ke-${i} tentang biaya kuliah semester ganjil.`);
    const chunks = chunkText(sentences.join(" ")).map((chunk) => chunk.content);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.endsWith(".")).toBe(true);
    // The next chunk opens with whole sentences carried over from the end of the previous one.
    const firstLines = chunks[0]?.split("\n") ?? [];
    const carried = chunks[1]?.split("\n")[0];
    expect(firstLines.slice(-4)).toContain(carried);
  });

  it("splits a single enormous word-run without losing words", () => {
    const words = Array.from({ length: 600 }, (_, i) => `kata${i}`).join(" ");
    const chunks = chunkText(words).map((chunk) => chunk.content);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join(" ")).toContain("kata599");
  });

  it("gives each chunk the path of headings it begins under", () => {
    const section = (n: number) => Array.from({ length: 3 }, () => paragraph(n)).join("\n\n");
    const text = `# Pedoman\n\n## Jalur Reguler\n\n${section(1)}\n\n## Jalur Khusus\n\n### Gelombang 2\n\n${section(2)}`;
    const chunks = chunkText(text);
    const underWave2 = chunks.filter((chunk) => chunk.content.includes("paragraf 2") && !chunk.content.includes("#"));
    expect(underWave2.length).toBeGreaterThan(0);
    for (const chunk of underWave2) expect(chunk.heading).toBe("Pedoman › Jalur Khusus › Gelombang 2");
    const regular = chunks.find((chunk) => chunk.content.startsWith("Kalimat nomor 1 dari paragraf 1"));
    expect(regular?.heading).toBe("Pedoman › Jalur Reguler");
  });

  it("keeps a list together with the sentence that leads into it", () => {
    const filler = Array.from({ length: 4 }, () => paragraph(0)).join("\n\n");
    const text = `${filler}\n\nDokumen yang diunggah:\n\n- Ijazah\n- KTP\n- Pas foto`;
    const chunk = chunkText(text).find((candidate) => candidate.content.includes("- Ijazah"));
    expect(chunk?.content).toContain("Dokumen yang diunggah:\n- Ijazah\n- KTP\n- Pas foto");
  });

  it("returns nothing for blank text", () => {
    expect(chunkText("  \n\n \n")).toEqual([]);
  });
});
