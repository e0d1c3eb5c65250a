// The documents embedded mode loads on first start, so a fresh checkout can
// answer questions right away. Markdown files are bundled as text modules and
// PDFs as bytes (see the `[[rules]]` in wrangler.toml); each is read as an
// upload would be. pmb-pascasarjana.pdf is made from the .html beside it by
// `npm run make:pdfs`.
import beasiswa from "./sample-corpus/beasiswa.md";
import biayaKuliah from "./sample-corpus/biaya-kuliah.md";
import fasilitasKampus from "./sample-corpus/fasilitas-kampus.md";
import peraturanAkademik from "./sample-corpus/peraturan-akademik.md";
import pmbJadwal from "./sample-corpus/pmb-jadwal.md";
import pmbPascasarjana from "./sample-corpus/pmb-pascasarjana.pdf";
import pmbPersyaratan from "./sample-corpus/pmb-persyaratan.md";

const text = (content: string) => new TextEncoder().encode(content);

export const SAMPLE_CORPUS: ReadonlyArray<{ filename: string; bytes: Uint8Array }> = [
  { filename: "pmb-jadwal.md", bytes: text(pmbJadwal) },
  { filename: "pmb-persyaratan.md", bytes: text(pmbPersyaratan) },
  { filename: "pmb-pascasarjana.pdf", bytes: new Uint8Array(pmbPascasarjana) },
  { filename: "biaya-kuliah.md", bytes: text(biayaKuliah) },
  { filename: "beasiswa.md", bytes: text(beasiswa) },
  { filename: "peraturan-akademik.md", bytes: text(peraturanAkademik) },
  { filename: "fasilitas-kampus.md", bytes: text(fasilitasKampus) },
];
